import type { Namespace, Server } from 'socket.io';

/** Runs `setUp` on the main namespace and on every namespace created later, dynamic ones included, once each. */
export function onEveryNamespace(io: Server, setUp: (namespace: Namespace) => void): void {
  const done = new WeakSet<Namespace>();
  const once = (namespace: Namespace) => {
    if (done.has(namespace)) return;
    done.add(namespace);
    setUp(namespace);
  };
  once(io.sockets);
  io.on('new_namespace', once);
}
