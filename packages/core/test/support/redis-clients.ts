import { Redis as IORedis, type RedisOptions } from 'ioredis';
import { createClient, type RedisClientOptions } from 'redis';
import type { RealtimeRedisOptions } from '../../src/index.js';

/** How a test gives the module Redis: a URL (the module makes its own clients) or a client of the user's. */
export type RedisClientKind = 'url' | 'node-redis client' | 'ioredis client';

export const REDIS_CLIENT_KINDS: readonly RedisClientKind[] = ['url', 'node-redis client', 'ioredis client'];

/** A client of the user's, made as a user would make it, and closed by the user. */
export interface UserRedisClient {
  readonly client: object;
  isReady(): boolean;
  /** The user's own shutdown: closes the client at once; what it had queued is rejected by then. */
  destroy(): Promise<void>;
}

/**
 * A user's client of `kind`, not connected yet (the module connects it), with an `error` listener
 * as every user's has (without one, node-redis ends the process on the first connection error).
 *
 * `offline: 'queue'`: commands sent while Redis is down wait for it. node-redis rejects them when
 * the client is destroyed; ioredis rejects them when a reconnect attempt fails (here every one,
 * `maxRetriesPerRequest: 0`: its default, 20, takes about ten seconds). `'reject'`: the offline
 * queue is off, and they fail at once.
 */
export function userRedisClient(kind: Exclude<RedisClientKind, 'url'>, url: string, offline: 'queue' | 'reject' = 'queue'): UserRedisClient {
  let destroyed = false;
  if (kind === 'ioredis client') {
    const options: RedisOptions = { lazyConnect: true, ...(offline === 'reject' ? { enableOfflineQueue: false } : { maxRetriesPerRequest: 0 }) };
    const client = new IORedis(url, options);
    client.on('error', () => undefined);
    return {
      client,
      isReady: () => client.status === 'ready',
      destroy: async () => {
        if (destroyed) return;
        destroyed = true;
        // Disconnected between two reconnect attempts, ioredis would leave its queue pending
        // forever: let the next attempt fail, which rejects the queue, first.
        if (client.status === 'reconnecting') await new Promise((resolve) => client.once('reconnecting', resolve));
        client.disconnect();
      },
    };
  }
  const options: RedisClientOptions = { url, ...(offline === 'reject' ? { disableOfflineQueue: true } : {}) };
  const client = createClient(options);
  client.on('error', () => undefined);
  return {
    client,
    isReady: () => client.isReady,
    destroy: async () => {
      if (destroyed) return;
      destroyed = true;
      // Rejects everything it had queued, synchronously.
      if (client.isOpen) client.destroy();
    },
  };
}

/** The `redis` options for `kind`: the URL, or `user`'s client. */
export function redisOptionsFor(url: string, user: UserRedisClient | undefined, options: Omit<RealtimeRedisOptions, 'url' | 'client'>): RealtimeRedisOptions {
  return user ? { ...options, client: user.client } : { ...options, url };
}

/** Every command method an adapter could reach on a client, in node-redis and ioredis spelling. */
const COMMAND_NAMES = [
  'publish', 'sPublish', 'spublish', 'set', 'subscribe', 'pSubscribe', 'psubscribe', 'sSubscribe', 'ssubscribe',
  'unsubscribe', 'pUnsubscribe', 'punsubscribe', 'sUnsubscribe', 'sunsubscribe', 'duplicate', 'connect', 'on', 'off',
  'sendCommand', 'send_command', 'xAdd', 'xadd', 'xRead', 'xread', 'multi', 'quit', 'close', 'destroy', 'disconnect',
];

/**
 * The functions a client answers for each command name, and every function-valued property of its
 * own: equal snapshots before and after mean no method was replaced or added on the object.
 */
export function methodsOf(client: object): Map<PropertyKey, unknown> {
  const methods = new Map<PropertyKey, unknown>();
  const record = client as Record<PropertyKey, unknown>;
  for (const name of COMMAND_NAMES) methods.set(name, record[name]);
  for (const key of Reflect.ownKeys(client)) if (typeof record[key] === 'function') methods.set(key, record[key]);
  return methods;
}
