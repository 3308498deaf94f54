import { Logger } from '@nestjs/common';
import type { ServerOptions } from 'socket.io';
import type { RealtimeRedisOptions, RedisAdapterMode, ResolvedRedisOptions } from '../options/redis-options.interface.js';
import { resolveRedisOptions } from '../options/resolve-redis-options.js';
import { guardAdapterClient } from './guard-adapter-client.js';
import { LostCommandsLog } from './lost-commands-log.js';
import { RedisAdapterState } from './redis-adapter-state.js';
import { StreamsAdapterConnections } from './streams-adapter-connections.js';
import { closeClient, connectWithin, createClientFromUrl, createClusterFromUrls, duplicateSubscriber, isClusterClient, isNodeRedisCluster, redactUrl, watchClient, type AnyRedisClient } from './redis-client.js';

/** What Socket.IO's `io.adapter()` (or the `adapter` server option) takes. */
export type SocketIoAdapterFactory = NonNullable<ServerOptions['adapter']>;

/** A ready Redis adapter and the clients behind it. */
export interface RealtimeRedisAdapter {
  /** Pass to `io.adapter()` or to the `adapter` server option. */
  readonly adapter: SocketIoAdapterFactory;
  readonly mode: RedisAdapterMode;
  /** The URL (password hidden), the cluster's first node or `'(your client)'`, for logs. */
  readonly label: string;
  /** Whether the client is a Redis Cluster client (`redis.cluster`, or a cluster given as `client`). */
  readonly cluster: boolean;
  /** The channel and stream prefix in use. */
  readonly keyPrefix: string;
  /** The connected client the adapter publishes with (yours, when you passed one). */
  readonly client: AnyRedisClient;
  /**
   * Quits the clients this factory created, and the connections the streams adapter opened for
   * itself. A client you passed in stays open. Call it after the Socket.IO servers are closed.
   */
  close(): Promise<void>;
}

/**
 * Connects to Redis and builds the Socket.IO adapter for the chosen mode, so N instances behave
 * as one. Usable on its own in a custom `IoAdapter`:
 *
 * ```ts
 * const redis = await createRedisAdapter({ url: process.env.REDIS_URL });
 * io.adapter(redis.adapter);
 * // on shutdown, after io.close():
 * await redis.close();
 * ```
 *
 * @throws when Redis does not answer within `connectTimeoutMs`; the error names the URL.
 */
export function createRedisAdapter(options: RealtimeRedisOptions | ResolvedRedisOptions): Promise<RealtimeRedisAdapter> {
  return openRedisAdapter(options, new RedisAdapterState());
}

/**
 * `createRedisAdapter`, telling `state` which connections it works with, which of them came back
 * after failing, and every command Redis did not carry out (the module's metrics listen to it).
 */
export async function openRedisAdapter(options: RealtimeRedisOptions | ResolvedRedisOptions, state: RedisAdapterState): Promise<RealtimeRedisAdapter> {
  const resolved = resolveRedisOptions(options);
  const label = labelOf(resolved);
  const owned: AnyRedisClient[] = [];
  const own = (client: AnyRedisClient) => {
    watchClient(client, label, () => state.reconnected());
    owned.push(client);
    return client;
  };
  // The connections the streams adapter makes for itself, from whichever client it was given.
  const streamsConnections = new StreamsAdapterConnections();
  const close = async () => {
    state.close();
    streamsConnections.closeAll();
    await Promise.all(owned.splice(0).map(closeClient));
  };

  // One log for every connection behind this adapter: an outage is one line, not one per client.
  // Every lost command is told to the state's listeners too (the metrics count each one).
  const lostCommands = state.reporting(new LostCommandsLog(label));

  try {
    const client = (resolved.client as AnyRedisClient | undefined) ?? own(await createOwnClient(resolved));
    await connectWithin(client, resolved.connectTimeoutMs, label);
    state.add(client);
    const cluster = isClusterClient(client);
    if (cluster && resolved.adapter === 'pubsub') new Logger('RealtimeRedis').warn(PUBSUB_ON_CLUSTER);
    if (isNodeRedisCluster(client)) new Logger('RealtimeRedis').warn(NODE_REDIS_CLUSTER_FAILOVER);
    // The adapters get guarded stand-ins, never the clients themselves (yours stays as you made it).
    const adapterClient = guardAdapterClient(client, lostCommands, (duplicate) => streamsConnections.adopt(duplicate));
    const adapter = await buildAdapter(resolved, adapterClient, async () => {
      const subscriber = own(duplicateSubscriber(client, resolved.adapter === 'sharded'));
      await connectWithin(subscriber, resolved.connectTimeoutMs, label);
      state.add(subscriber);
      return guardAdapterClient(subscriber, lostCommands);
    });
    return { adapter, mode: resolved.adapter, label, cluster, keyPrefix: resolved.keyPrefix, client, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * node-redis (5.12) looks the cluster up again only when a node answers MOVED, which a dead master
 * never does: after a failover its commands and sharded subscriptions wait on that master for good.
 */
const NODE_REDIS_CLUSTER_FAILOVER =
  'redis.client is a node-redis cluster client: it does not recover when a master fails over (its commands keep waiting on the dead master). ' +
  'Give an ioredis Cluster instead, or redis.cluster with ioredis installed.';

/**
 * Plain pub/sub works on a cluster (tested): a PUBLISH reaches the subscribers of every node. But
 * the cluster copies each message to every node over its bus, so adding shards adds no capacity.
 */
const PUBSUB_ON_CLUSTER =
  "redis.adapter 'pubsub' on a Redis Cluster: it works, but the cluster copies every message to every node, " +
  "so shards add no capacity; use adapter: 'sharded', which keeps each channel on one shard.";

function labelOf(options: ResolvedRedisOptions): string {
  if (options.url) return redactUrl(options.url);
  if (options.cluster) return `the cluster at ${redactUrl(options.cluster.nodes[0]!)}`;
  return '(your client)';
}

function createOwnClient(options: ResolvedRedisOptions): Promise<AnyRedisClient> {
  return options.cluster ? createClusterFromUrls(options.cluster.nodes, options.connectTimeoutMs) : createClientFromUrl(options.url!, options.connectTimeoutMs);
}

async function buildAdapter(
  options: ResolvedRedisOptions,
  client: AnyRedisClient,
  subscriber: () => Promise<AnyRedisClient>,
): Promise<SocketIoAdapterFactory> {
  switch (options.adapter) {
    case 'pubsub': {
      const { createAdapter } = await importPeer(() => import('@socket.io/redis-adapter'), '@socket.io/redis-adapter', 'pubsub');
      return createAdapter(client, await subscriber(), {
        key: options.keyPrefix,
        requestsTimeout: options.requestsTimeout,
      }) as SocketIoAdapterFactory;
    }
    case 'sharded': {
      const { createShardedAdapter } = await importPeer(() => import('@socket.io/redis-adapter'), '@socket.io/redis-adapter', 'sharded');
      return createShardedAdapter(client, await subscriber(), { channelPrefix: options.keyPrefix }) as SocketIoAdapterFactory;
    }
    case 'streams': {
      const { createAdapter } = await importPeer(
        () => import('@socket.io/redis-streams-adapter'),
        '@socket.io/redis-streams-adapter',
        'streams',
      );
      // The streams adapter opens (and closes) its own reading connections from this client.
      return createAdapter(client, {
        streamName: options.keyPrefix,
        channelPrefix: options.keyPrefix,
        sessionKeyPrefix: `${options.keyPrefix}:session:`,
      }) as SocketIoAdapterFactory;
    }
  }
}

async function importPeer<T>(load: () => Promise<T>, name: string, mode: RedisAdapterMode): Promise<T> {
  try {
    return await load();
  } catch {
    throw new Error(`redis.adapter '${mode}' needs the ${name} package: install it next to @nestjs-realtime/core.`);
  }
}
