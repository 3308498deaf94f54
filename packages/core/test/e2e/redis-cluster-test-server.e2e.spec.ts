import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisClusterTestServer } from '../../src/testing/index.js';

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('RedisClusterTestServer', () => {
  let cluster: RedisClusterTestServer;
  beforeAll(async () => {
    cluster = await RedisClusterTestServer.start();
  }, 60_000);
  afterAll(() => cluster?.stop());

  it('starts six nodes forming a healthy cluster of three masters with a replica each', async () => {
    expect(cluster.urls).toHaveLength(6);
    expect(new Set(cluster.ports).size).toBe(6);
    const client = createCluster({ rootNodes: [{ url: cluster.urls[0] }] });
    client.on('error', () => undefined);
    await client.connect();
    try {
      expect(client.masters).toHaveLength(3);
      const nodes = ((await client.sendCommand(undefined, true, ['CLUSTER', 'NODES'])) as string).trim().split('\n');
      const flags = nodes.map((line) => line.split(' ')[2]!.split(','));
      expect(flags.filter((node) => node.includes('master'))).toHaveLength(3);
      expect(flags.filter((node) => node.includes('slave'))).toHaveLength(3);
      const info = (await client.sendCommand(undefined, true, ['CLUSTER', 'INFO'])) as string;
      expect(info).toContain('cluster_state:ok');
      expect(info).toContain('cluster_slots_assigned:16384');
      // Keys in different slots land on different masters, and each is read back.
      for (const key of ['a', 'b', 'c', 'd']) await client.set(key, key.toUpperCase());
      expect(await Promise.all(['a', 'b', 'c', 'd'].map((key) => client.get(key)))).toEqual(['A', 'B', 'C', 'D']);
    } finally {
      await client.close();
    }
  });

  it('stop() kills every node and removes their directory', async () => {
    const other = await RedisClusterTestServer.start();
    const dir = (other as unknown as { dir: string }).dir;
    expect(existsSync(dir)).toBe(true);
    await other.stop();
    expect(existsSync(dir)).toBe(false);
    expect(await Promise.all(other.ports.map(accepts))).toEqual([false, false, false, false, false, false]);
    await other.stop();
  }, 60_000);
});
