import { Cluster as IoRedisCluster } from 'ioredis';
import { createCluster } from 'redis';
import type { Socket } from 'socket.io-client';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  PresenceService,
  RealtimeEmitter,
  RealtimeModule,
  RealtimeService,
  type PresenceDiff,
  type RealtimeRedisOptions,
} from '../../src/index.js';
import { createRealtimeTestingApp, RedisClusterTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, connectAs, until, waitUntilMeshed } from '../support/cluster.js';
import { ClusterRoomsGateway } from '../support/cluster-gateways.js';
import { ChatRoomsGateway } from '../support/presence-gateways.js';
import { LimitedGateway } from '../support/rate-limit-gateways.js';
import { SECRET, sign } from '../support/tokens.js';

type ClusterKind = 'redis.cluster' | 'node-redis createCluster()' | 'ioredis Cluster';

/** A user's cluster client: left open by the module, closed by the test. */
interface UserCluster {
  client: object;
  isOpen(): boolean;
  close(): Promise<unknown>;
}

function userCluster(kind: Exclude<ClusterKind, 'redis.cluster'>, urls: string[]): UserCluster {
  if (kind === 'ioredis Cluster') {
    const client = new IoRedisCluster([urls[0]!], { lazyConnect: true });
    client.on('error', () => undefined);
    return { client, isOpen: () => client.status === 'ready', close: () => client.quit() };
  }
  const client = createCluster({ rootNodes: [{ url: urls[0]! }] });
  client.on('error', () => undefined);
  return { client, isOpen: () => client.isOpen, close: () => client.close() };
}

let cluster: RedisClusterTestServer;
beforeAll(async () => {
  cluster = await RedisClusterTestServer.start();
}, 60_000);
afterAll(() => cluster?.stop());

const CHAT = { namespace: '/chat' };

describe.each<ClusterKind>(['redis.cluster', 'node-redis createCluster()', 'ioredis Cluster'])('two instances on Redis Cluster (%s, sharded)', (kind) => {
  const keyPrefix = `cl-${kind.replace(/\W/g, '')}`;
  const userClients: UserCluster[] = [];
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;

  const redisOptions = (): RealtimeRedisOptions => {
    if (kind === 'redis.cluster') return { cluster: { nodes: cluster.urls }, adapter: 'sharded', keyPrefix };
    const user = userCluster(kind, cluster.urls);
    userClients.push(user);
    return { client: user.client, adapter: 'sharded', keyPrefix };
  };

  const boot = () =>
    createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRoot({
          auth: { secret: SECRET },
          redis: redisOptions(),
          presence: { ttlMs: 15_000 },
          rateLimit: { points: 100, durationMs: 60_000, perUser: { points: 4, durationMs: 60_000 } },
        }),
      ],
      providers: [ClusterRoomsGateway, ChatRoomsGateway, LimitedGateway],
    });

  beforeAll(async () => {
    a = await boot();
    b = await boot();
    await waitUntilMeshed([a, b]);
  }, 30_000);

  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    for (const user of userClients) {
      // A client the user passed in is left open by app.close().
      expect(user.isOpen()).toBe(true);
      await user.close();
    }
  });

  it('toRoom from one instance reaches the room members on both', async () => {
    const [onA, onB] = await Promise.all([connectAs(a, 'room-a'), connectAs(b, 'room-b')]);
    await Promise.all([onA, onB].map((socket) => socket.emitWithAck('join', 'general')));
    const gotA = collect(onA, 'news');
    const gotB = collect(onB, 'news');
    b.app.get(RealtimeService).toRoom('general', { namespace: '/rooms' }).emit('news', 'from b');
    await until(() => gotA.length > 0 && gotB.length > 0, 5000, 'the room broadcast on both instances');
    expect([gotA, gotB]).toEqual([['from b'], ['from b']]);
  });

  it('toUser reaches every device across instances; socketsOf sees them all; disconnectUser disconnects them all', async () => {
    const devices = [await connectAs(a, 'ada'), await connectAs(b, 'ada')];
    const bystander = await connectAs(b, 'grace');
    const got = devices.map((socket) => collect(socket, 'notice'));
    const bystanderGot = collect(bystander, 'notice');

    a.app.get(RealtimeService).toUser('ada').emit('notice', { text: 'hi ada' });
    await until(() => got.every((list) => list.length === 1), 5000, 'the notice on both devices');
    expect(got).toEqual([[{ text: 'hi ada' }], [{ text: 'hi ada' }]]);

    const sockets = await b.app.get(RealtimeService).socketsOf('ada');
    expect(sockets.map((s) => s.id).sort()).toEqual(devices.map((d) => d.id).sort());

    const reasons = devices.map((socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve)));
    await b.app.get(RealtimeService).disconnectUser('ada', 'account suspended');
    expect(await Promise.all(reasons)).toEqual(['io server disconnect', 'io server disconnect']);
    expect(bystander.connected).toBe(true);
    expect(bystanderGot).toEqual([]);
  });

  it('presence: joins and leaves on one instance are seen on the other (Redis store, keys of many rooms and users)', async () => {
    const chat = (instance: RealtimeTestingApp, user: string) => instance.connect({ namespace: 'chat', auth: { token: sign({ sub: user }) } });
    const observer = await chat(b, 'observer');
    await observer.emitWithAck('joinRoom', { room: 'lobby' });
    const diffs = collect<PresenceDiff>(observer, 'presence:diff');
    // The observer's own join is in the first diff too (the joiner hears it like everyone).
    const joins = () => diffs.flatMap((diff) => diff.joined.map((user) => user.userId)).filter((userId) => userId !== 'observer');
    const leaves = () => diffs.flatMap((diff) => diff.left.map((user) => user.userId));

    // Several users and rooms: without a shared hash tag their keys would fall in different slots.
    const users = ['ada', 'bob', 'chen', 'dana'];
    const sockets: Socket[] = [];
    for (const user of users) {
      const socket = await chat(a, user);
      sockets.push(socket);
      await socket.emitWithAck('joinRoom', { room: 'lobby' });
      await socket.emitWithAck('joinRoom', { room: `side-${user}` });
    }
    await until(() => joins().length === users.length, 5000, 'the joins from the other instance');
    expect(joins().sort()).toEqual(users);

    const presence = b.app.get(PresenceService);
    expect((await presence.list('lobby', CHAT)).map((user) => user.userId).sort()).toEqual([...users, 'observer'].sort());
    expect(await presence.count('lobby', CHAT)).toEqual({ users: 5, connections: 5 });
    expect(await presence.isOnline('chen')).toBe(true);
    expect((await presence.list('side-chen', CHAT)).map((user) => user.userId)).toEqual(['chen']);

    expect(await sockets[2]!.emitWithAck('leaveRoom', { room: 'lobby' })).toMatchObject({ status: 'ok' });
    sockets[3]!.disconnect();
    await until(() => leaves().length === 2, 5000, 'the leaves from the other instance');
    expect(leaves().sort()).toEqual(['chen', 'dana']);
    expect(await presence.count('lobby', CHAT)).toEqual({ users: 3, connections: 3 });
    expect(await presence.isOnline('dana')).toBe(false);
    expect(await presence.isOnline('chen')).toBe(true); // still in side-chen
  });

  it('rateLimit.perUser: one budget over the user connections on both instances', async () => {
    const limited = (instance: RealtimeTestingApp, user: string) => instance.connect({ namespace: 'limited', auth: { token: sign({ sub: user }) } });
    const first = await limited(a, 'eve');
    const second = await limited(b, 'eve');
    const other = await limited(a, 'finn');
    expect([await first.emitWithAck('echo', 1), await second.emitWithAck('echo', 2), await first.emitWithAck('echo', 3), await second.emitWithAck('echo', 4)]).toEqual([1, 2, 3, 4]);
    expect(await first.emitWithAck('echo', 5)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await second.emitWithAck('echo', 6)).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await other.emitWithAck('echo', 7)).toBe(7);
  });

  it('a RealtimeEmitter on the cluster (as a worker would) reaches a user on both instances', async () => {
    const devices = [await connectAs(a, 'gus'), await connectAs(b, 'gus')];
    const got = devices.map((socket) => collect(socket, 'job'));
    const emitter = await RealtimeEmitter.create({ redis: { cluster: { nodes: cluster.urls }, adapter: 'sharded', keyPrefix }, namespaces: ['/rooms'] });
    try {
      // The emitter's sharded subscriptions are not needed to publish: the first send is delivered.
      emitter.toUser('gus').emit('job', 'done');
      await until(() => got.every((list) => list.length === 1), 5000, 'the emitter event on both instances');
      expect(got).toEqual([['done'], ['done']]);
    } finally {
      await emitter.close();
    }
  });
});

describe('a node-redis cluster client', () => {
  it('is warned about at boot: it does not recover when a master fails over', async () => {
    const warnings = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const user = userCluster('node-redis createCluster()', cluster.urls);
    try {
      const app = await createRealtimeTestingApp({
        imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, redis: { client: user.client, adapter: 'sharded', keyPrefix: 'warned' } })],
        providers: [ClusterRoomsGateway],
      });
      await app.close();
      const warned = warnings.mock.calls.filter((call) => /node-redis cluster client: it does not recover when a master fails over/.test(String(call[0])));
      expect(warned).toHaveLength(1);
    } finally {
      warnings.mockRestore();
      await user.close();
    }
  });
});

describe('the adapter choice on Redis Cluster', () => {
  it("'pubsub' works across instances but is explained at boot; 'sharded' boots quietly and says it runs on a cluster", async () => {
    const warnings = vi.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const logs = vi.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const boot = (adapter: 'pubsub' | 'sharded') =>
      createRealtimeTestingApp({
        imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, redis: { cluster: { nodes: cluster.urls }, adapter, keyPrefix: `choice-${adapter}` } })],
        providers: [ClusterRoomsGateway],
      });
    const explained = () => warnings.mock.calls.filter((call) => /redis\.adapter 'pubsub' on a Redis Cluster: it works, but .* use adapter: 'sharded'/.test(String(call[0])));
    try {
      const sharded = await boot('sharded');
      await sharded.close();
      expect(explained()).toEqual([]);
      // redis.cluster makes an ioredis Cluster, which recovers from a failover: nothing to warn about.
      expect(warnings.mock.calls).toEqual([]);
      expect(logs.mock.calls.some((call) => /adapter: Redis sharded on a cluster;/.test(String(call[0])))).toBe(true);

      const instances = [await boot('pubsub'), await boot('pubsub')];
      try {
        expect(explained()).toHaveLength(2);
        await waitUntilMeshed(instances);
        const listener = await connectAs(instances[1]!, 'listener');
        await listener.emitWithAck('join', 'plain');
        const got = collect(listener, 'news');
        instances[0]!.app.get(RealtimeService).toRoom('plain', { namespace: '/rooms' }).emit('news', 'over plain pub/sub');
        await until(() => got.length === 1, 5000, 'the broadcast over plain pub/sub on the cluster');
        expect(got).toEqual(['over plain pub/sub']);
        expect((await instances[0]!.app.get(RealtimeService).socketsOf('listener')).map((socket) => socket.id)).toEqual([listener.id]);
      } finally {
        await Promise.all(instances.map((instance) => instance.close()));
      }
    } finally {
      warnings.mockRestore();
      logs.mockRestore();
    }
  });
});
