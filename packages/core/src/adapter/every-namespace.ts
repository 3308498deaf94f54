import type { Namespace, Server } from 'socket.io';

/** What the adapter does to each namespace of a server. */
export interface NamespaceSetUp {
  /**
   * Middlewares and `connection` listeners. A child of a dynamic namespace copies its parent's
   * when Socket.IO creates it, so on an adopted parent these run once and every child inherits them.
   */
  listeners(namespace: Namespace): void;
  /**
   * What belongs to one namespace alone (its Socket.IO adapter), children included; a child of a
   * dynamic namespace comes with its parent's `label` (the pattern the gateway gave).
   */
  own(namespace: Namespace, parentLabel?: string): void;
}

/** A dynamic namespace (`io.of(/regex/)`); Socket.IO does not export its class. */
type ParentNamespace = Namespace & { children: Set<Namespace> };

/** The handle `onEveryNamespace` returns. */
export interface EveryNamespace {
  /**
   * Sets a dynamic namespace up before anyone listens to it (call it where the gateway's parent
   * namespace is created, before Nest binds its `connection` listener). Socket.IO creates each
   * child on its first connection by copying the parent's middlewares and listeners, then
   * announces it: setting the child up only then would put the adapter's middlewares after the
   * app's, and its `connection` listener after Nest's, which binds the gateway's handlers to a
   * socket the adapter does not know yet.
   */
  adoptParent(parent: Namespace, label: string): void;
}

/** Sets up the main namespace and every namespace created later, dynamic ones included, once each. */
export function onEveryNamespace(io: Server, setUp: NamespaceSetUp): EveryNamespace {
  const done = new WeakSet<Namespace>();
  const parents = new Map<ParentNamespace, string>();
  const parentLabelOf = (namespace: Namespace) => {
    for (const [parent, label] of parents) if (parent.children.has(namespace)) return label;
    return undefined;
  };
  const once = (namespace: Namespace) => {
    if (done.has(namespace)) return;
    done.add(namespace);
    const parentLabel = parentLabelOf(namespace);
    if (parentLabel === undefined) setUp.listeners(namespace);
    setUp.own(namespace, parentLabel);
  };
  once(io.sockets);
  io.on('new_namespace', once);
  return {
    adoptParent(parent, label) {
      const dynamic = parent as ParentNamespace;
      if (!(dynamic.children instanceof Set) || parents.has(dynamic)) return;
      parents.set(dynamic, label);
      setUp.listeners(parent);
    },
  };
}
