import { dropClient, type AnyRedisClient } from './redis-client.js';

/** The commands the streams adapter's read loop sends: XREAD, in node-redis and ioredis spelling. */
const STREAM_READS: ReadonlySet<PropertyKey> = new Set(['xRead', 'xread']);

/**
 * The connections `@socket.io/redis-streams-adapter` opens by itself with `duplicate()`: one that
 * reads the stream (a blocking XREAD in a loop) and one that subscribes. It lets them go when its
 * last namespace closes, but the reader only once its current XREAD returns: up to
 * `blockTimeInMs` (5 s) later, and never while Redis is down (the read waits in the offline queue
 * and the connection keeps reconnecting, so the process does not exit).
 *
 * The module closes them itself, and keeps the adapter's read loop from spinning on them once
 * closed: there an XREAD would fail at once, and a loop whose adapter is still open would read
 * again at once, forever, without yielding to the event loop. So a read on a connection closed
 * here never answers, and the loop ends; `disconnect()` on it is a no-op.
 */
export class StreamsAdapterConnections {
  private readonly open = new Set<AnyRedisClient>();
  private readonly closed = new WeakSet<object>();

  /**
   * Takes a connection the adapter just made with `duplicate()`, and returns what the adapter
   * should hold instead: the connection, except for reads and `disconnect()` once it is closed.
   */
  adopt<T extends object>(connection: T): T {
    this.open.add(connection as unknown as AnyRedisClient);
    const closed = this.closed;
    return new Proxy(connection, {
      get(target, property, receiver) {
        const value: unknown = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || !closed.has(target)) return value;
        if (STREAM_READS.has(property)) return () => new Promise<never>(() => undefined);
        if (property === 'disconnect') return () => Promise.resolve();
        return value;
      },
    });
  }

  /** Closes every connection adopted so far, at once: they read and listen, nothing they send is worth waiting for. */
  closeAll(): void {
    for (const connection of this.open) {
      this.closed.add(connection);
      dropClient(connection);
    }
    this.open.clear();
  }
}
