/** What this needs of an ioredis node connection. */
interface IoRedisNode {
  options: { host?: string; port?: number; [option: string]: unknown };
  call(command: string, ...args: string[]): Promise<unknown>;
  disconnect(): void;
  on(event: 'error', listener: (error: unknown) => void): unknown;
}

/** What this needs of an ioredis `Cluster`. */
export interface IoRedisClusterLike {
  options: { natMap?: unknown; redisOptions?: Record<string, unknown> };
  nodes(role: 'all'): IoRedisNode[];
}

/** Counts a channel's subscribers (on every node of a cluster), until `close()`. */
export interface SubscriberCounter {
  count(channel: string): Promise<number>;
  close(): void;
}

/** The addresses (`host:port`) of the nodes a `CLUSTER NODES` reply lists as reachable. */
export function clusterNodeAddresses(reply: string): string[] {
  const addresses: string[] = [];
  for (const line of reply.split('\n')) {
    // <id> <ip:port@cport[,hostname]> <flags> ...
    const [, address, flags] = line.trim().split(' ');
    if (!address || !flags || /fail|handshake|noaddr/.test(flags)) continue;
    const hostPort = address.split('@')[0]!;
    if (!hostPort.startsWith(':')) addresses.push(hostPort);
  }
  return addresses;
}

/**
 * `PUBSUB NUMSUB` on every node of an ioredis `Cluster`, for as long as a wait for a subscription
 * lasts. A node counts only the subscribers connected to it, and a subscriber connection (the
 * streams adapter's, made from a duplicate of the client) can sit on any node, a replica included,
 * which the pool of the client asked did not always hold (seen on a 3 + 3 cluster: a replica's
 * subscription never counted). So the nodes `CLUSTER NODES` lists beyond the pool are reached
 * once, through connections that fail fast instead of retrying, and closed with `close()`.
 */
export async function ioRedisClusterSubscriberCounter(cluster: IoRedisClusterLike): Promise<SubscriberCounter> {
  const pool = cluster.nodes('all');
  const inPool = new Set(pool.map(({ options }) => `${options.host}:${options.port}`));
  const extra: IoRedisNode[] = [];
  if (pool.length > 0) {
    const listed = clusterNodeAddresses(String(await pool[0]!.call('CLUSTER', 'NODES').catch(() => '')));
    // The class is ioredis' own: a node's `constructor` is not it (ioredis mixes EventEmitter in).
    const { Redis } = (await import('ioredis')) as unknown as { Redis: new (options: object) => IoRedisNode };
    for (const address of listed) {
      const target = natMapped(cluster.options.natMap, address);
      if (!target || inPool.has(`${target.host}:${target.port}`)) continue;
      const node = new Redis({ ...connectionOptions(cluster.options.redisOptions), ...target, readOnly: true, maxRetriesPerRequest: 0, enableOfflineQueue: true, retryStrategy: () => null });
      node.on('error', () => undefined); // a node it cannot reach counts 0; the wait's deadline decides
      extra.push(node);
    }
  }
  const numSub = (node: IoRedisNode, channel: string) => node.call('PUBSUB', 'NUMSUB', channel).then((reply) => Number((reply as unknown[])[1] ?? 0), () => 0);
  return {
    async count(channel) {
      const counts = await Promise.all([...pool, ...extra].map((node) => numSub(node, channel)));
      return counts.reduce((sum, n) => sum + n, 0);
    },
    close() {
      for (const node of extra.splice(0)) node.disconnect();
    },
  };
}

/** The address to reach `address` at, through the cluster's `natMap` when it has one; `undefined` when unknown there. */
function natMapped(natMap: unknown, address: string): { host: string; port: number } | undefined {
  if (typeof natMap === 'function') return (natMap as (key: string) => { host: string; port: number } | undefined)(address);
  if (natMap && typeof natMap === 'object' && Object.keys(natMap).length > 0) return (natMap as Record<string, { host: string; port: number } | undefined>)[address];
  const separator = address.lastIndexOf(':');
  return { host: address.slice(0, separator), port: Number(address.slice(separator + 1)) };
}

/** The cluster's per-node options that reaching one more node needs: credentials, TLS (without another host's name), timeouts. */
function connectionOptions(redisOptions: Record<string, unknown> = {}): Record<string, unknown> {
  const { username, password, tls, connectTimeout, family } = redisOptions;
  return {
    ...(username === undefined ? {} : { username }),
    ...(password === undefined ? {} : { password }),
    ...(tls === undefined ? {} : { tls: { ...(tls as object), servername: undefined } }),
    ...(connectTimeout === undefined ? {} : { connectTimeout }),
    ...(family === undefined ? {} : { family }),
  };
}
