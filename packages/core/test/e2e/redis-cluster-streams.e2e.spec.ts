import { Cluster as IoRedisCluster } from 'ioredis';
import { createClient, createCluster } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeEmitter, RealtimeService, type RealtimeRedisOptions } from '../../src/index.js';
import { RedisClusterTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { subscriberCount, type AnyRedisClient } from '../../src/redis/redis-client.js';
import { collect, connectAs, startInstances, until, waitUntilMeshed } from '../support/cluster.js';
import { expectRecoveryOnAnotherInstance } from '../support/recovery.js';
import { TcpProxy } from '../support/tcp-proxy.js';

let cluster: RedisClusterTestServer;
beforeAll(async () => {
  cluster = await RedisClusterTestServer.start();
}, 60_000);
afterAll(() => cluster?.stop());

// What RealtimeEmitter waits for with the streams adapter: its subscription, which a cluster
// client makes through any master (any node it knows of: replicas too with scaleReads / useReplicas),
// while each node counts only its own subscribers.
describe.each(['ioredis Cluster', 'node-redis createCluster()'])('subscriberCount with a %s', (kind) => {
  it('counts the subscribers of every master', async () => {
    const client =
      kind === 'ioredis Cluster' ? new IoRedisCluster([cluster.urls[0]!], { lazyConnect: true }) : createCluster({ rootNodes: [{ url: cluster.urls[0]! }] });
    const masters = await cluster.masters();
    const subscribers = masters.map((port) => createClient({ url: `redis://127.0.0.1:${port}` }));
    try {
      await client.connect();
      await Promise.all(subscribers.map(async (subscriber, i) => (await subscriber.connect()).subscribe(`probe-${i}`, () => undefined)));
      // Asked again and again: a command without a key may go to a different node each time.
      const counts: number[] = [];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < masters.length; i++) counts.push(await subscriberCount(client as unknown as AnyRedisClient, `probe-${i}`));
      }
      expect(counts).toEqual(counts.map(() => 1));
    } finally {
      await Promise.all(subscribers.map((subscriber) => subscriber.quit()));
      await client.quit();
    }
  });
});

describe('subscriberCount with an ioredis Cluster', () => {
  // ioredis' subscriber connection (a duplicate's) picks any node of the cluster, a replica too, while
  // the pool of the client asked may hold only the masters; node-redis subscribes only through the
  // nodes it knows (replicas with useReplicas), and those are the ones it asks.
  it('counts a subscriber on a replica too, whatever the pool of the client asked holds', async () => {
    const client = new IoRedisCluster([cluster.urls[0]!], { lazyConnect: true });
    const masters = new Set(await cluster.masters());
    const replicas = cluster.urls.filter((url) => !masters.has(Number(new URL(url).port)));
    expect(replicas).toHaveLength(3);
    const subscribers = replicas.map((url) => createClient({ url }));
    try {
      await client.connect();
      await Promise.all(subscribers.map(async (subscriber, i) => (await subscriber.connect()).subscribe(`replica-probe-${i}`, () => undefined)));
      const counts: number[] = [];
      for (let i = 0; i < replicas.length; i++) counts.push(await subscriberCount(client as unknown as AnyRedisClient, `replica-probe-${i}`));
      expect(counts).toEqual([1, 1, 1]);
    } finally {
      await Promise.all(subscribers.map((subscriber) => subscriber.quit()));
      await client.quit();
    }
  });
});

// The streams adapter on Redis Cluster: one stream key (one slot), plain pub/sub for the requests
// between instances, and connection-state recovery from the stream.
describe("two instances on Redis Cluster (adapter: 'streams')", () => {
  const keyPrefix = 'cl-streams';
  let instances: RealtimeTestingApp[];
  let redis: RealtimeRedisOptions;

  beforeAll(async () => {
    redis = { cluster: { nodes: cluster.urls }, adapter: 'streams', keyPrefix };
    instances = await startInstances(2, redis);
    await waitUntilMeshed(instances);
  }, 30_000);
  afterAll(async () => {
    await Promise.all((instances ?? []).map((instance) => instance.close()));
  });

  it('a RealtimeEmitter (as a worker would) is ready at once and reaches a user on both instances, whichever node its subscription landed on', async () => {
    const devices = await Promise.all(instances.map((instance) => connectAs(instance, 'gus')));
    const got = devices.map((socket) => collect(socket, 'job'));
    // Each emitter's subscriber connection lands on a master of its client's choosing.
    for (let i = 1; i <= 5; i++) {
      const emitter = await RealtimeEmitter.create({ redis, namespaces: ['/rooms'] });
      try {
        emitter.toUser('gus').emit('job', i);
        await until(() => got.every((list) => list.length === i), 5000, `emitter ${i}'s event on both instances`);
      } finally {
        await emitter.close();
      }
    }
    expect(got).toEqual([[1, 2, 3, 4, 5], [1, 2, 3, 4, 5]]);
  });

  it('socketsOf from one instance sees the sockets of both (requests over pub/sub on the cluster)', async () => {
    await Promise.all(instances.map((instance) => connectAs(instance, 'hal')));
    expect(await instances[0]!.app.get(RealtimeService).socketsOf('hal', { namespace: '/rooms' })).toHaveLength(2);
  });

  it('connection-state recovery: a client that drops and reconnects to the other instance gets its session and the events it missed', async () => {
    const proxy = await new TcpProxy(Number(new URL(instances[0]!.url).port)).start();
    try {
      await expectRecoveryOnAnotherInstance(instances, proxy);
    } finally {
      await proxy.stop();
    }
  });
});
