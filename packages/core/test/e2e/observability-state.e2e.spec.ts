import { Logger } from '@nestjs/common';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { createRealtimeTestingApp, freePort, RedisTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { ClusterRoomsGateway } from '../support/cluster-gateways.js';
import { collect, connectAs, until, waitUntilMeshed } from '../support/cluster.js';
import { eventually, InMemoryOpenTelemetry } from '../support/otel-sdk.js';
import { ChatRoomsGateway } from '../support/presence-gateways.js';
import { userRedisClient, type UserRedisClient } from '../support/redis-clients.js';
import { SECRET } from '../support/tokens.js';

/**
 * The gauges read when the SDK collects (presence sizes, drain, Redis) and the counters and
 * histograms next to them, with real clients, a real drain and a real Redis that goes away.
 * One SDK is registered per suite, as an app registers it; where a suite runs two instances, only
 * the first records (a second one in the same process would add its own points to the same series:
 * it says `enabled: false`, since with an SDK registered observability is on by default).
 */

const boot = (options: RealtimeModuleOptions, providers: unknown[] = [ChatRoomsGateway]) =>
  createRealtimeTestingApp({
    imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, ...options })],
    providers: providers as never[],
  });

const CHAT = { 'realtime.namespace': '/chat' };
const ADAPTER = { 'realtime.redis.connection': 'adapter' };

describe.each(['memory', 'redis'] as const)('presence sizes and store timings (%s store)', (store) => {
  let otel: InMemoryOpenTelemetry;
  let redis: RedisTestServer | undefined;
  let observed: RealtimeTestingApp;
  let other: RealtimeTestingApp | undefined;

  /** This instance's presence gauges, from one collection. */
  const sizes = async () => {
    const all = await otel.allPoints();
    return { rooms: all.get('realtime.presence.rooms'), users: all.get('realtime.presence.users'), connections: all.get('realtime.presence.connections') };
  };
  /** What `sizes()` reads when /chat has these counts: one point per gauge, with the namespace alone as attribute. */
  const inChat = (rooms: number, users: number, connections: number) => ({
    rooms: [{ attributes: CHAT, value: rooms }],
    users: [{ attributes: CHAT, value: users }],
    connections: [{ attributes: CHAT, value: connections }],
  });
  const storeCalls = async (operation: string) => (await otel.points('realtime.presence.store.duration')).find((point) => point.attributes['realtime.operation'] === operation)?.value ?? 0;

  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
    if (store === 'redis') redis = await RedisTestServer.start();
    const redisOptions = redis ? { redis: { url: redis.url, keyPrefix: 'state-presence' }, presence: { store: 'redis' as const } } : {};
    observed = await boot({ ...redisOptions, observability: { enabled: true } });
    // Another instance on the same Redis, whose users this instance's gauges must not count
    // (observability off: with the SDK registered, the default would record it too).
    if (redis) other = await boot({ ...redisOptions, observability: { enabled: false } });
  });
  afterAll(async () => {
    await observed?.close();
    await other?.close();
    await redis?.stop();
    await otel?.uninstall();
  });

  it("counts this instance's rooms, users and connections per namespace as clients join, leave and disconnect, and times each store call", async () => {
    const connect = (id: string) => observed.connect({ namespace: 'chat', user: { id } });
    const [ada1, ada2, bob] = await Promise.all([connect('ada'), connect('ada'), connect('bob')]);
    // The gauges read presence the module keeps: before any join, no namespace has any.
    expect(await sizes()).toEqual({ rooms: undefined, users: undefined, connections: undefined });

    for (const [socket, room] of [[ada1, 'lobby'], [ada2, 'lobby'], [ada2, 'kitchen'], [bob, 'kitchen']] as const) {
      expect(await socket.emitWithAck('joinRoom', { room })).toMatchObject({ status: 'ok' });
    }
    // Two rooms; ada (two tabs) and bob; three connections, ada's second tab in both rooms.
    expect(await sizes()).toEqual(inChat(2, 2, 3));

    if (other) {
      // Cy is in the lobby through the other instance: the store shares her, this instance's gauges do not count her.
      const cy = await other.connect({ namespace: 'chat', user: { id: 'cy' } });
      expect(await cy.emitWithAck('joinRoom', { room: 'lobby' })).toMatchObject({ status: 'ok' });
      const { users } = (await ada1.emitWithAck('roomPresence', { room: 'lobby' })) as { users: { userId: string }[] };
      expect(users.map((user) => user.userId).sort()).toEqual(['ada', 'cy']);
      expect(await sizes()).toEqual(inChat(2, 2, 3));
    }

    // Ada's second tab leaves the kitchen: still in the lobby, so still a connection in a room.
    expect(await ada2.emitWithAck('leaveRoom', { room: 'kitchen' })).toMatchObject({ status: 'ok' });
    expect(await sizes()).toEqual(inChat(2, 2, 3));
    // Bob disconnects: the kitchen is empty here, and he is gone.
    bob.close();
    await eventually(sizes, (read) => JSON.stringify(read) === JSON.stringify(inChat(1, 1, 2)), "bob's disconnect");
    // Leaving a room twice counts once.
    ada1.close();
    expect(await ada2.emitWithAck('leaveRoom', { room: 'lobby' })).toMatchObject({ status: 'ok' });
    expect(await ada2.emitWithAck('leaveRoom', { room: 'lobby' })).toMatchObject({ status: 'ok' });
    // Emptied, the namespace reports 0 rather than vanishing.
    await eventually(sizes, (read) => JSON.stringify(read) === JSON.stringify(inChat(0, 0, 0)), 'every room left');

    // Every store call PresenceService made, timed, by operation and store; nothing else as attribute.
    const durations = await otel.points('realtime.presence.store.duration');
    expect(durations.length).toBeGreaterThan(0);
    for (const { attributes } of durations) {
      expect(Object.keys(attributes).sort()).toEqual(['realtime.operation', 'realtime.store']);
      expect(attributes['realtime.store']).toBe(store);
    }
    expect(await storeCalls('join')).toBe(4);
    // Each join reads one page for the joiner, never the whole room; the Redis run's roomPresence reads one more.
    expect(await storeCalls('page')).toBe(other ? 5 : 4);
    expect(await storeCalls('list')).toBe(0);
    // Ada's tab left the kitchen and the lobby (twice: the store is asked again), bob and ada's other tab disconnected.
    await eventually(() => storeCalls('leave'), (n) => n === 5, 'the leaves of the disconnects');
  });

  it('records store durations in seconds, in buckets from a tenth of a millisecond', async () => {
    const metric = (await otel.metrics()).find((candidate) => candidate.descriptor.name === 'realtime.presence.store.duration') as HistogramMetricData;
    expect(metric.descriptor.unit).toBe('s');
    const join = metric.dataPoints.find((point) => point.attributes['realtime.operation'] === 'join')!;
    expect(join.value.buckets.boundaries.slice(0, 4)).toEqual([0.0001, 0.00025, 0.0005, 0.001]);
    expect(join.value.buckets.boundaries).toContain(0.1);
    expect(join.value.sum).toBeGreaterThan(0);
    // Four joins well under a minute each: seconds, not milliseconds.
    expect(join.value.sum).toBeLessThan(60);
  });
});

describe('drain progress', () => {
  let otel: InMemoryOpenTelemetry;
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
  });
  afterAll(async () => {
    await otel?.uninstall();
  });

  it('reports draining and the connections left to disconnect while app.close() drains them in batches', async () => {
    // Six clients in batches of two: three batches, a second apart.
    rt = await boot({ observability: { enabled: true }, drain: { timeoutMs: 10_000, batchSize: 2 } });
    const sockets = await Promise.all(Array.from({ length: 6 }, (_, i) => rt.connect({ namespace: 'chat', user: { id: `u${i}` } })));
    const drainGauges = async () => {
      const all = await otel.allPoints();
      return { draining: all.get('realtime.draining'), remaining: all.get('realtime.drain.remaining') };
    };
    expect(await drainGauges()).toEqual({ draining: [{ attributes: {}, value: 0 }], remaining: [{ attributes: {}, value: 0 }] });

    // Each client collects the gauges as soon as it is disconnected: the first batches' clients
    // while the drain waits before its next batch. (The last batch's may be told once the app has
    // closed: the SDK then repeats the last values it read, the app's gauges being gone.)
    const seen = sockets.map((socket) => new Promise<Awaited<ReturnType<typeof drainGauges>>>((resolve) => socket.once('disconnect', () => resolve(drainGauges()))));
    await rt.app.close();
    const readings = await Promise.all(seen);

    for (const reading of readings) {
      expect(reading.draining).toEqual([{ attributes: {}, value: 1 }]);
      expect(reading.remaining).toHaveLength(1);
      expect(reading.remaining![0]!.attributes).toEqual({});
      // Batches of two: 4 after the first, 2 after the second, 0 once done.
      expect([0, 2, 4]).toContain(reading.remaining![0]!.value);
    }
    // Seen mid-drain: the first batch's clients, told while the drain waits a second before the next one, see four still to go.
    expect(readings.map((reading) => reading.remaining![0]!.value)).toContain(4);
  });
});

describe('Redis state: stopped and restarted under two instances', () => {
  let otel: InMemoryOpenTelemetry;
  let server: RedisTestServer;
  let user: UserRedisClient;
  let instances: RealtimeTestingApp[] = [];
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);

  const points = (name: string) => otel.points(name);
  const lostPublishes = async () => (await points('realtime.redis.lost_commands')).find((point) => point.attributes['realtime.redis.command'] === 'publish')?.value ?? 0;
  const up = async () => (await points('realtime.redis.up'))[0]?.value;

  beforeAll(async () => {
    process.on('unhandledRejection', onRejection);
    for (const level of ['error', 'warn', 'log'] as const) vi.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
    otel = InMemoryOpenTelemetry.install();
    server = await RedisTestServer.start();
    // The observed instance publishes with a client of the user's without an offline queue: a
    // publish while Redis is down fails at once (with one, it would wait for Redis and be sent late).
    user = userRedisClient('node-redis client', server.url, 'reject');
    instances = [
      await boot({ redis: { client: user.client, keyPrefix: 'state-redis' }, observability: { enabled: true } }, [ClusterRoomsGateway]),
      await boot({ redis: { url: server.url, keyPrefix: 'state-redis' }, observability: { enabled: false } }, [ClusterRoomsGateway]),
    ];
    await waitUntilMeshed(instances);
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await user?.destroy();
    await server?.stop();
    await otel?.uninstall();
    process.off('unhandledRejection', onRejection);
    vi.restoreAllMocks();
  });

  it('up goes 0 then 1, the restored connection is counted, and every broadcast lost meanwhile is counted', async () => {
    const [observed, other] = instances as [RealtimeTestingApp, RealtimeTestingApp];
    const sender: Socket = await connectAs(observed, 'sam');
    const listener: Socket = await connectAs(other, 'lia');
    for (const socket of [sender, listener]) expect(await socket.emitWithAck('join', 'news')).toBe('joined');
    const heard = collect<string>(listener, 'shouted');

    expect(await points('realtime.redis.up')).toEqual([{ attributes: ADAPTER, value: 1 }]);
    // The counter starts at 0, so a rate sees its first reconnect.
    expect(await points('realtime.redis.reconnects')).toEqual([{ attributes: ADAPTER, value: 0 }]);
    const lostBefore = await lostPublishes();

    await server.stop();
    await eventually(up, (value) => value === 0, 'realtime.redis.up at 0');
    const BROADCASTS = 5;
    for (let i = 0; i < BROADCASTS; i++) expect(await sender.emitWithAck('shout', { room: 'news', text: `lost ${i}` })).toBe('sent');
    // Each broadcast's publish failed: one count each (the log says it once).
    await eventually(lostPublishes, (n) => n === lostBefore + BROADCASTS, 'the lost publishes counted');

    await server.restart();
    await eventually(up, (value) => value === 1, 'realtime.redis.up back at 1', 20_000);
    // The connection the module opened (the subscriber it made from the user's client) came back; the user's own client is not watched.
    await eventually(() => points('realtime.redis.reconnects'), (read) => read.length === 1 && read[0]!.value === 1, 'the reconnect counted', 20_000);
    expect((await points('realtime.redis.reconnects'))[0]!.attributes).toEqual(ADAPTER);

    // Delivery resumes; what succeeds is not counted.
    await waitUntilMeshed(instances, 20_000);
    await sender.emitWithAck('shout', { room: 'news', text: 'back' });
    await until(() => heard.includes('back'), 5000, 'the broadcast after the restart');
    expect(heard.filter((text) => text.startsWith('lost'))).toEqual([]);
    const lost = await points('realtime.redis.lost_commands');
    expect(lost.find((point) => point.attributes['realtime.redis.command'] === 'publish')).toEqual({
      attributes: { ...ADAPTER, 'realtime.redis.command': 'publish' },
      value: lostBefore + BROADCASTS,
    });
    for (const point of lost) expect(Object.keys(point.attributes).sort()).toEqual(['realtime.redis.command', 'realtime.redis.connection']);
    expect(rejections).toEqual([]);
  }, 60_000);
});

describe('Redis unreachable at boot (onUnavailable: degrade)', () => {
  let otel: InMemoryOpenTelemetry;
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    otel = InMemoryOpenTelemetry.install();
    // A free port: nothing listens there.
    const url = `redis://127.0.0.1:${await freePort()}`;
    rt = await boot({ redis: { url, onUnavailable: 'degrade', connectTimeoutMs: 500 }, observability: { enabled: true } });
  });
  afterAll(async () => {
    await rt?.close();
    await otel?.uninstall();
    vi.restoreAllMocks();
  });

  it('reports Redis down for the adapter, and counts nothing: the instance runs alone until it restarts', async () => {
    expect(await otel.points('realtime.redis.up')).toEqual([{ attributes: ADAPTER, value: 0 }]);
    expect(await otel.points('realtime.redis.reconnects')).toEqual([]);
    expect(await otel.points('realtime.redis.lost_commands')).toEqual([]);
  });
});

describe('without redis', () => {
  let otel: InMemoryOpenTelemetry;
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    otel = InMemoryOpenTelemetry.install();
    rt = await boot({ observability: { enabled: true } });
  });
  afterAll(async () => {
    await rt?.close();
    await otel?.uninstall();
  });

  it('records no Redis metric', async () => {
    const names = (await otel.metrics()).map((metric) => metric.descriptor.name);
    expect(names.filter((name) => name.startsWith('realtime.redis.'))).toEqual([]);
    // The gauges that do apply are there.
    expect(names).toEqual(expect.arrayContaining(['realtime.draining', 'realtime.drain.remaining']));
  });
});
