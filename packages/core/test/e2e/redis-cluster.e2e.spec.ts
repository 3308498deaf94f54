import { Redis as IORedis } from 'ioredis';
import { createClient } from 'redis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeService, type RealtimeModuleOptions, type RedisAdapterMode } from '../../src/index.js';
import { redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, connectAs, startInstances, until, waitUntilMeshed } from '../support/cluster.js';

type ClientKind = 'url' | 'node-redis client' | 'ioredis client';

const matrix: [ClientKind, RedisAdapterMode][] = [
  ['url', 'pubsub'],
  ['node-redis client', 'pubsub'],
  ['ioredis client', 'pubsub'],
  ['url', 'sharded'],
  ['node-redis client', 'sharded'],
  ['ioredis client', 'sharded'],
  ['url', 'streams'],
  ['node-redis client', 'streams'],
  ['ioredis client', 'streams'],
];

let redis: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(() => redis?.stop());

describe.each(matrix)('three instances on Redis (%s, %s)', (kind, mode) => {
  let instances: RealtimeTestingApp[];
  const userClients: { quit?: () => Promise<unknown>; close?: () => Promise<unknown>; isOpen?: boolean; status?: string }[] = [];
  const keyPrefix = `t-${kind.replace(/\W/g, '')}-${mode}`;

  const redisOptions = (): RealtimeModuleOptions['redis'] => {
    if (kind === 'url') return { url: redis.url, adapter: mode, keyPrefix };
    const client = kind === 'ioredis client' ? new IORedis(redis.url, { lazyConnect: true }) : createClient({ url: redis.url });
    userClients.push(client as never);
    return { client, adapter: mode, keyPrefix };
  };

  beforeAll(async () => {
    instances = await startInstances(3, redisOptions);
    await waitUntilMeshed(instances);
  });

  afterAll(async () => {
    await Promise.all(instances.map((instance) => instance.close()));
    // A client the user passed in is left open by app.close(): closing it stays the user's job.
    for (const client of userClients) {
      expect(client.isOpen ?? client.status === 'ready').toBe(true);
      await (client.close ?? client.quit)!.call(client);
    }
  });

  it('a room broadcast from instance 1 reaches members on instances 2 and 3', async () => {
    const [a, b, c] = await Promise.all(instances.map((instance, i) => connectAs(instance, `member-${i}`)));
    await Promise.all([a, b, c].map((socket) => socket!.emitWithAck('join', 'general')));
    const onB = collect(b!, 'shouted');
    const onC = collect(c!, 'shouted');
    expect(await a!.emitWithAck('shout', { room: 'general', text: 'hello cluster' })).toBe('sent');
    await until(() => onB.length > 0 && onC.length > 0, 5000, 'the broadcast on instances 2 and 3');
    expect(onB).toEqual(['hello cluster']);
    expect(onC).toEqual(['hello cluster']);
  });

  it('toUser reaches every device of a user across instances; socketsOf sees them all; disconnectUser disconnects them all', async () => {
    const devices = await Promise.all(instances.map((instance) => connectAs(instance, 'ada')));
    const bystander = await connectAs(instances[1]!, 'grace');
    const got = devices.map((socket) => collect(socket, 'notice'));
    const bystanderGot = collect(bystander, 'notice');

    instances[2]!.app.get(RealtimeService).toUser('ada').emit('notice', { text: 'hi ada' });
    await until(() => got.every((list) => list.length === 1), 5000, 'the notice on every device');
    expect(got).toEqual([[{ text: 'hi ada' }], [{ text: 'hi ada' }], [{ text: 'hi ada' }]]);

    const sockets = await instances[0]!.app.get(RealtimeService).socketsOf('ada');
    expect(sockets.map((s) => s.id).sort()).toEqual(devices.map((d) => d.id).sort());
    expect(sockets.every((s) => s.namespace === '/rooms' && s.user?.id === 'ada' && s.rooms.includes('user:ada'))).toBe(true);

    const reasons = devices.map((socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve)));
    await instances[1]!.app.get(RealtimeService).disconnectUser('ada', 'account suspended');
    expect(await Promise.all(reasons)).toEqual(['io server disconnect', 'io server disconnect', 'io server disconnect']);
    expect(bystander.connected).toBe(true);
    expect(bystanderGot).toEqual([]);
  });
});
