import type { ResolvedOptions } from '../config/option-group.js';
import type { redisOptionGroup } from './resolve-redis-options.js';

/** A node-redis (`redis` v5+) client or an ioredis client. Typed loosely: both are optional peers. */
export type RedisClientLike = object;

/** How instances exchange packets through Redis. */
export type RedisAdapterMode = 'pubsub' | 'sharded' | 'streams';

/**
 * Redis as the engine for several instances. Give `url` (the library creates, owns and closes its
 * clients) or `client` (yours: the library duplicates it where it needs more connections, closes
 * only those duplicates, and leaves yours open).
 */
export interface RealtimeRedisOptions {
  /**
   * e.g. `redis://127.0.0.1:6379`. Clients are created with `redis` (node-redis) when installed, else `ioredis`.
   * @default undefined (give `url` or `client`)
   */
  url?: string;
  /**
   * An existing node-redis v5+ or ioredis client.
   * @default undefined (give `url` or `client`)
   */
  client?: RedisClientLike;
  /**
   * - `pubsub`: Redis pub/sub; the default.
   * - `sharded`: sharded pub/sub (Redis 7+), for Redis Cluster.
   * - `streams`: Redis Streams; survives short Redis outages and gives connection-state recovery
   *   across instances (enabled by default in this mode).
   * @default 'pubsub'
   */
  adapter?: RedisAdapterMode;
  /**
   * Prefix of the channels (or stream) the adapter uses; instances must share it, different apps
   * on one Redis must not.
   * @default 'socket.io'
   */
  keyPrefix?: string;
  /**
   * How long a cluster-wide request (`fetchSockets`, `socketsOf`) waits for the other instances, in milliseconds.
   * @default 5000
   */
  requestsTimeout?: number;
  /**
   * How long boot waits for Redis before `onUnavailable` applies, in milliseconds.
   * @default 5000
   */
  connectTimeoutMs?: number;
  /**
   * When Redis cannot be reached at boot: `fail` stops the app with an error naming the URL;
   * `degrade` starts it single-instance (in-process adapter) and logs an error.
   * @default 'fail'
   */
  onUnavailable?: 'fail' | 'degrade';
}

/** The `redis` options after validation, every default applied. */
export interface ResolvedRedisOptions extends ResolvedOptions<typeof redisOptionGroup.specs> {}
