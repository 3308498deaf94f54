import { Logger } from '@nestjs/common';
import { ioRedisClusterSubscriberCounter, type IoRedisClusterLike, type SubscriberCounter } from './io-redis-cluster-numsub.js';

export type { SubscriberCounter } from './io-redis-cluster-numsub.js';

/**
 * The few operations the library needs from a Redis client, over node-redis (v5+) and ioredis.
 * Both are optional peers, hence the structural typing.
 */
interface NodeRedisClient {
  isOpen: boolean;
  sendCommand(args: string[]): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
  isReady?: boolean;
  connect(): Promise<unknown>;
  duplicate(): NodeRedisClient;
  close?(): Promise<unknown>;
  quit?(): Promise<unknown>;
  destroy?(): void;
  disconnect?(): Promise<unknown> | void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
}

interface IoRedisClient {
  status: string;
  call(command: string, ...args: string[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: string[]): Promise<unknown>;
  options: object;
  connect(): Promise<unknown>;
  /** A `Cluster` takes the startup nodes and options to override. */
  duplicate(...overrides: unknown[]): IoRedisClient;
  quit(): Promise<unknown>;
  disconnect(): void;
  on(event: string, listener: (...args: unknown[]) => void): unknown;
  once(event: string, listener: (...args: unknown[]) => void): unknown;
  off(event: string, listener: (...args: unknown[]) => void): unknown;
}

/**
 * node-redis' `createCluster()`: the same commands as a client, but `sendCommand` takes the key
 * that routes the command first, and there is no `isReady` nor `ready` event.
 */
interface NodeRedisCluster extends Omit<NodeRedisClient, 'sendCommand'> {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  masters: unknown[];
  replicas: unknown[];
  nodeClient(node: unknown): unknown;
}

export type AnyRedisClient = NodeRedisClient | NodeRedisCluster | IoRedisClient;

const logger = new Logger('RealtimeRedis');

export function isIoRedis(client: object): client is IoRedisClient {
  return typeof (client as IoRedisClient).status === 'string' && 'options' in client;
}

/** A node-redis `createCluster()` instance. */
export function isNodeRedisCluster(client: object): client is NodeRedisCluster {
  return typeof (client as NodeRedisCluster).nodeClient === 'function' && 'masters' in client;
}

/** Whether the client talks to a Redis Cluster: a node-redis `createCluster()` or an ioredis `Cluster`. */
export function isClusterClient(client: object): boolean {
  return isNodeRedisCluster(client) || (isIoRedis(client) && (client as { isCluster?: unknown }).isCluster === true);
}

/**
 * A new connection like `client`, to subscribe with. An ioredis `Cluster` sends every SSUBSCRIBE
 * through one connection unless `shardedSubscribers` is on, and a channel living on another shard
 * then never delivers: the sharded adapter's subscriber turns it on (one connection per master).
 */
export function duplicateSubscriber(client: AnyRedisClient, sharded: boolean): AnyRedisClient {
  if (sharded && isIoRedis(client) && isClusterClient(client)) return client.duplicate([], { shardedSubscribers: true });
  return client.duplicate();
}

/** `redis://user:secret@host` → `redis://user:***@host`: URLs end up in logs and errors. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}

/** A client for `url`: node-redis when it is installed, else ioredis. Not connected yet. */
export async function createClientFromUrl(url: string, connectTimeoutMs: number): Promise<AnyRedisClient> {
  const nodeRedis = await import('redis').catch(() => undefined);
  if (nodeRedis) {
    return nodeRedis.createClient({ url, socket: { connectTimeout: connectTimeoutMs } }) as unknown as NodeRedisClient;
  }
  const ioredis = await import('ioredis').catch(() => undefined);
  if (ioredis) {
    const Redis = ioredis.Redis as unknown as new (url: string, options: object) => IoRedisClient;
    return new Redis(url, { lazyConnect: true, connectTimeout: connectTimeoutMs, maxRetriesPerRequest: null });
  }
  throw new Error('redis.url needs a Redis client package: install "redis" (node-redis v5+) or "ioredis".');
}

/**
 * A Redis Cluster client reaching the cluster through `nodes` (any of its nodes: the client finds
 * the others): an ioredis `Cluster` when ioredis is installed, else node-redis' `createCluster()`.
 * The first URL's user and password are used for every node. Not connected yet.
 *
 * ioredis comes first because it survives a failover: when a master dies it refreshes the slots
 * and resubscribes, while node-redis (5.12) rediscovers the cluster only on a MOVED reply, which
 * a dead master never sends, so its commands and sharded subscriptions wait on it for good.
 */
export async function createClusterFromUrls(nodes: readonly string[], connectTimeoutMs: number): Promise<AnyRedisClient> {
  const { username, password } = new URL(nodes[0]!);
  const credentials = { ...(username ? { username: decodeURIComponent(username) } : {}), ...(password ? { password: decodeURIComponent(password) } : {}) };
  const ioredis = await import('ioredis').catch(() => undefined);
  if (ioredis) {
    const Cluster = ioredis.Cluster as unknown as new (nodes: string[], options: object) => IoRedisClient;
    return new Cluster([...nodes], { lazyConnect: true, redisOptions: { ...credentials, connectTimeout: connectTimeoutMs } });
  }
  const nodeRedis = await import('redis').catch(() => undefined);
  if (nodeRedis) {
    return nodeRedis.createCluster({
      rootNodes: nodes.map((url) => ({ url })),
      // The nodes the cluster reports are reached with these, not with the root nodes' URLs.
      defaults: { ...credentials, socket: { connectTimeout: connectTimeoutMs } },
    }) as unknown as NodeRedisCluster;
  }
  throw new Error('redis.cluster needs a Redis client package: install "redis" (node-redis v5+) or "ioredis".');
}

/**
 * Logs a client's connection problems once per outage instead of once per retry, and its
 * recovery, which it also tells `onRestored`. Without an `error` listener a failing client would
 * crash the process.
 */
export function watchClient(client: AnyRedisClient, label: string, onRestored?: () => void): void {
  let failing: string | undefined;
  client.on('error', (error) => {
    const message = (error as Error)?.message ?? String(error);
    if (message === failing) return;
    failing = message;
    logger.error(`Redis ${label}: ${message}`);
  });
  client.on('ready', () => {
    if (failing === undefined) return;
    failing = undefined;
    logger.log(`Redis ${label}: connection restored`);
    onRestored?.();
  });
}

/** Connects (if needed) and resolves once the client is ready, or rejects after `timeoutMs`. */
export async function connectWithin(client: AnyRedisClient, timeoutMs: number, label: string): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Redis at ${label} is unavailable: no connection within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([ready(client), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function ready(client: AnyRedisClient): Promise<unknown> {
  // A node-redis cluster is open once connect() has found its nodes.
  if (!isIoRedis(client)) return client.isOpen ? Promise.resolve() : client.connect();
  if (client.status === 'ready') return Promise.resolve();
  if (client.status === 'wait') return client.connect();
  return new Promise((resolve) => client.once('ready', resolve));
}

/**
 * Sends one command and returns Redis' raw reply (arrays stay flat), with either client. On a
 * node-redis cluster it goes to the node of its first argument after the name (the key of every
 * command the library sends this way).
 */
export function command(client: AnyRedisClient, args: string[]): Promise<unknown> {
  const [name, ...rest] = args;
  if (isIoRedis(client)) return client.call(name!, ...rest);
  if (!isNodeRedisCluster(client)) return client.sendCommand(args);
  return client.sendCommand(rest[0], false, args);
}

/** Runs a Lua script atomically, with either client. */
export function evalScript(client: AnyRedisClient, script: string, keys: string[], args: string[]): Promise<unknown> {
  return isIoRedis(client) ? client.eval(script, keys.length, ...keys, ...args) : client.eval(script, { keys, arguments: args });
}

/**
 * Counts the connections subscribed to a channel (PUBSUB NUMSUB), until `close()`. A Redis Cluster
 * node counts only the subscribers connected to it, and a cluster client subscribes (plain
 * SUBSCRIBE) through any node, a replica included, while a command without a key goes to one
 * node: there, every node is asked and the counts added up.
 */
export async function subscriberCounter(client: AnyRedisClient): Promise<SubscriberCounter> {
  if (isIoRedis(client) && isClusterClient(client)) return ioRedisClusterSubscriberCounter(client as unknown as IoRedisClusterLike);
  const args = ['PUBSUB', 'NUMSUB'];
  const countOf = (reply: unknown) => Number((reply as unknown[])[1] ?? 0);
  const replies = (channel: string): Promise<unknown>[] =>
    isNodeRedisCluster(client)
      ? [...client.masters, ...client.replicas].map((node) => (client.nodeClient(node) as Promise<NodeRedisClient>).then((nodeClient) => nodeClient.sendCommand([...args, channel])))
      : [command(client, [...args, channel])];
  return {
    count: async (channel) => (await Promise.all(replies(channel))).reduce<number>((sum, reply) => sum + countOf(reply), 0),
    close: () => undefined,
  };
}

/** How many connections are subscribed to `channel` now (see `subscriberCounter`). */
export async function subscriberCount(client: AnyRedisClient, channel: string): Promise<number> {
  const counter = await subscriberCounter(client);
  try {
    return await counter.count(channel);
  } finally {
    counter.close();
  }
}

/** Whether the client is connected and ready for commands right now. */
export function isClientReady(client: AnyRedisClient): boolean {
  if (isIoRedis(client)) return client.status === 'ready';
  // node-redis' cluster has no `isReady`: it is ready once it has found the masters.
  if (isNodeRedisCluster(client)) return client.isOpen && client.masters.length > 0;
  return client.isReady === true;
}

/** Closes a client the library owns: politely when it can, at once when it cannot. */
export async function closeClient(client: AnyRedisClient): Promise<void> {
  try {
    if (isIoRedis(client)) {
      if (client.status === 'ready') await withDeadline(client.quit(), 1000);
      else dropClient(client);
      return;
    }
    if (client.isOpen && client.isReady !== false) await withDeadline((client.close ?? client.quit)!.call(client), 1000);
    else dropClient(client);
  } catch {
    // The connection is broken already: drop it.
    dropClient(client);
  }
}

/**
 * Closes a client at once, rejecting what it had queued. A client that is closed already is left
 * as it is (node-redis throws when destroyed twice).
 */
export function dropClient(client: AnyRedisClient): void {
  if (isIoRedis(client)) {
    if (client.status !== 'end') client.disconnect();
    return;
  }
  if (client.isOpen) (client.destroy ?? client.disconnect)?.call(client);
}

function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('close timed out')), ms);
    }),
  ]);
}
