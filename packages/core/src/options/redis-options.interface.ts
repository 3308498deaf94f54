import type { ResolvedOptions } from '../config/option-group.js';
import type { redisOptionGroup } from './resolve-redis-options.js';

/** A node-redis (`redis` v5+) client or an ioredis client. Typed loosely: both are optional peers. */
export type RedisClientLike = object;

/** A Redis Cluster the library connects to (and owns): the `redis.cluster` option. */
export interface RealtimeRedisClusterOptions {
  /**
   * `redis://` URLs of some of the cluster's nodes (one is enough; more survive one being down at
   * boot): the client asks them for the others. The first URL's user and password are used for
   * every node. For TLS or other client settings, create the cluster client yourself and give it
   * as `client`.
   */
  nodes: string[];
}

/** How instances exchange packets through Redis. */
export type RedisAdapterMode = 'pubsub' | 'sharded' | 'streams';

/**
 * Redis as the engine for several instances. Give `url` (the library creates, owns and closes its
 * clients), `cluster` (the same, for a Redis Cluster) or `client` (yours, a client or a cluster
 * client: the library duplicates it where it needs more connections, closes only those
 * duplicates, and leaves yours open). On a Redis Cluster use `adapter: 'sharded'`.
 */
export interface RealtimeRedisOptions {
  /**
   * e.g. `redis://127.0.0.1:6379`. Clients are created with `redis` (node-redis) when installed, else `ioredis`.
   * @default undefined (give `url`, `cluster` or `client`)
   */
  url?: string;
  /**
   * A Redis Cluster, e.g. `{ nodes: ['redis://10.0.0.1:6379', 'redis://10.0.0.2:6379'] }`: created
   * as an ioredis `Cluster` when ioredis is installed (it survives a master's failover), else with
   * node-redis' `createCluster()` (which does not: it waits on the dead master).
   * @default undefined (give `url`, `cluster` or `client`)
   */
  cluster?: RealtimeRedisClusterOptions;
  /**
   * An existing node-redis v5+ or ioredis client, or a cluster client: node-redis'
   * `createCluster()` or an ioredis `Cluster`.
   * @default undefined (give `url`, `cluster` or `client`)
   */
  client?: RedisClientLike;
  /**
   * - `pubsub`: Redis pub/sub; the default.
   * - `sharded`: sharded pub/sub (Redis 7+), the one for a Redis Cluster: each channel lives on
   *   one shard, where plain pub/sub copies every message to every node.
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
