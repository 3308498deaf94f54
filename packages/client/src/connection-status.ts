/**
 * Where a client's connection stands:
 * - `connecting`: the first connection is being made;
 * - `connected`: connected and authenticated;
 * - `reconnecting`: lost, or moving off a draining server; it comes back by itself;
 * - `offline`: closed by `close()`, or disconnected by the server on purpose; `connect()` reopens;
 * - `refused`: the server refused the connection (see `lastError`); `connect()` tries again.
 */
export type ConnectionStatus = 'connecting' | 'connected' | 'reconnecting' | 'offline' | 'refused';

/**
 * A value a UI can subscribe to, in the store shape the frameworks share: React's
 * `useSyncExternalStore(store.subscribe, store.getSnapshot)`, Svelte's `$store` (`subscribe` calls
 * back at once with the current value), Vue through a `shallowRef` updated from `subscribe`.
 */
export interface ReadableStore<T> {
  getSnapshot(): T;
  /** Calls `listener` with the current value now and with every change; returns the unsubscribe. */
  subscribe(listener: (value: T) => void): () => void;
}

/** A value with listeners; only changes are announced. */
export class Store<T> implements ReadableStore<T> {
  private readonly listeners = new Set<(value: T) => void>();

  constructor(private value: T) {}

  getSnapshot = (): T => this.value;

  subscribe = (listener: (value: T) => void): (() => void) => {
    this.listeners.add(listener);
    listener(this.value);
    return () => void this.listeners.delete(listener);
  };

  set(value: T): void {
    if (Object.is(value, this.value)) return;
    this.value = value;
    for (const listener of [...this.listeners]) listener(value);
  }
}
