/** What this needs of ioredis: a node connection of a `Cluster`, and the class that made it. */
interface IoRedisNode {
  options: { host?: string; port?: number };
  call(command: string, ...args: string[]): Promise<unknown>;
  disconnect(): void;
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
 * `PUBSUB NUMSUB channel` on every node of an ioredis `Cluster`. Its pool may hold only the
 * masters, while a subscriber connection (the streams adapter's, made from a duplicate of the
 * client) can sit on any node, a replica included, and each node counts only its own
 * subscribers: so every node `CLUSTER NODES` lists is asked, through a short connection (made
 * with a pool node's options: credentials, TLS) for those outside the pool. Called only with an
 * ioredis client, so `ioredis` is installed.
 */
export async function numSubOnEveryIoRedisNode(pool: IoRedisNode[], channel: string): Promise<unknown[]> {
  if (pool.length === 0) return [];
  const inPool = new Set(pool.map(({ options }) => `${options.host}:${options.port}`));
  const listed = clusterNodeAddresses(String(await pool[0]!.call('CLUSTER', 'NODES')));
  const outside = listed.filter((address) => !inPool.has(address) && !inPool.has(address.replace(/^[^:]*/, 'localhost')));
  // The class is ioredis' own: a node's `constructor` is not it (ioredis mixes EventEmitter in).
  const { Redis: NodeConnection } = (await import('ioredis')) as unknown as { Redis: new (options: object) => IoRedisNode };
  return Promise.all([
    ...pool.map((node) => node.call('PUBSUB', 'NUMSUB', channel)),
    ...outside.map(async (address) => {
      const separator = address.lastIndexOf(':');
      const node = new NodeConnection({ ...pool[0]!.options, host: address.slice(0, separator), port: Number(address.slice(separator + 1)), lazyConnect: false, readOnly: true });
      try {
        return await node.call('PUBSUB', 'NUMSUB', channel);
      } finally {
        node.disconnect();
      }
    }),
  ]);
}
