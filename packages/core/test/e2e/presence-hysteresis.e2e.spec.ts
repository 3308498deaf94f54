import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule, type PresenceDiff, type PresencePage, type PresenceStoreKind } from '../../src/index.js';
import { PRESENCE_CLOCK } from '../../src/presence/presence-clock.js';
import { createRealtimeTestingApp, redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { until } from '../support/cluster.js';
import { ManualClock } from '../support/manual-clock.js';
import { ChatRoomsGateway } from '../support/presence-gateways.js';
import { SECRET, sign } from '../support/tokens.js';

// Big above 4 users, small again at 2: a room at 3 or 4 users keeps the mode it had.
const presence = { bigRoomUsers: 4, bigRoomExitUsers: 2, countsWindowMs: 200 };

let redis: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(() => redis?.stop());

type JoinAck = { status: 'ok' } & PresencePage;

const boot = (clock: ManualClock, store: PresenceStoreKind, keyPrefix: string) =>
  createRealtimeTestingApp(
    {
      imports: [
        RealtimeModule.forRoot({
          auth: { secret: SECRET },
          ...(store === 'redis' ? { redis: { url: redis.url, keyPrefix } } : {}),
          presence: { store, ttlMs: 3000, ...presence },
        }),
      ],
      providers: [ChatRoomsGateway],
    },
    { overrides: (builder) => builder.overrideProvider(PRESENCE_CLOCK).useValue(clock) },
  );

const connectAs = (rt: RealtimeTestingApp, sub: string) => rt.connect({ namespace: 'chat', auth: { token: sign({ sub }) } });
const join = (socket: Socket, room = 'hover') => socket.emitWithAck('joinRoom', { room }) as Promise<JoinAck>;
const leave = (socket: Socket, room = 'hover') => socket.emitWithAck('leaveRoom', { room });

/** The diffs of room `hover` the socket receives. */
function hoverDiffs(socket: Socket): PresenceDiff[] {
  const diffs: PresenceDiff[] = [];
  socket.on('presence:diff', (diff: PresenceDiff) => diff.room === 'hover' && diffs.push(diff));
  return diffs;
}

/** Resolves once a broadcast from `a` reaches a client of `b` (Redis subscriptions are made after boot). */
async function meshed(a: RealtimeTestingApp, b: RealtimeTestingApp): Promise<void> {
  const [from, to] = [await connectAs(a, 'probe-a'), await connectAs(b, 'probe-b')];
  await Promise.all([join(from, 'mesh'), join(to, 'mesh')]);
  let heard = false;
  to.on('to-room', () => (heard = true));
  await until(() => {
    if (!heard) from.emit('echo-via-helpers', { room: 'mesh' });
    return heard;
  }, 10_000, 'the instances to mesh');
  from.close();
  to.close();
}

/**
 * One instance (memory store), or two on one Redis: the changes of a room hovering around
 * bigRoomUsers alternate between them, and each instance sends the diffs of the changes it
 * handled. Every diff and every answer must say the same mode whichever instance sent it.
 */
describe.each([
  { store: 'memory' as const, instances: 1 },
  { store: 'redis' as const, instances: 2 },
])('a room hovering around bigRoomUsers ($store store, $instances instance(s))', ({ store, instances }) => {
  const clocks = Array.from({ length: instances }, () => new ManualClock());
  let apps: RealtimeTestingApp[];
  beforeAll(async () => {
    const keyPrefix = `hysteresis-${Date.now()}`;
    apps = await Promise.all(clocks.map((clock) => boot(clock, store, keyPrefix)));
  });
  afterAll(() => Promise.all(apps?.map((app) => app.close()) ?? []));

  /** Instance `i` (the only one, with the memory store). */
  const on = (i: number) => apps[i % instances]!;

  it('switches to counts once when a join crosses up, never while it hovers, and back to full once at bigRoomExitUsers', async () => {
    // Two watchers, one per instance: each hears the diffs of both.
    if (instances > 1) await meshed(on(0), on(1));
    const [w1, w2] = [await connectAs(on(0), 'w1'), await connectAs(on(1), 'w2')];
    const heard = [hoverDiffs(w1), hoverDiffs(w2)];
    let expected = [0, 0];

    /** One change, its instance's window closed, and its one diff awaited on each watcher in the room. */
    const step = async <T>(change: () => Promise<T>, users: number, watching = [0, 1]): Promise<T> => {
      const result = await change();
      for (const clock of clocks) clock.advance(200); // closes the windows of both modes
      expected = expected.map((n, i) => (watching.includes(i) ? n + 1 : n));
      await until(() => heard.every((diffs, i) => diffs.length === expected[i]), 5000, `the diff at ${users} users`);
      for (const i of watching) expect(heard[i]!.at(-1)!.count.users).toBe(users);
      return result;
    };
    const modesSince = (i: number, from: number) => heard[i]!.slice(from).map((diff) => `${diff.count.users}:${diff.mode}`);

    // Filling up to bigRoomUsers, on both instances: full.
    await step(() => join(w1), 1, [0]);
    await step(() => join(w2), 2);
    const m3 = await connectAs(on(0), 'm3');
    const m4 = await connectAs(on(1), 'm4');
    await step(() => join(m3), 3);
    expect(await step(() => join(m4), 4)).toMatchObject({ mode: 'full', count: { users: 4 } });

    // A visitor comes and goes, again and again, through either instance.
    const from = heard.map((diffs) => diffs.length);
    for (let cycle = 0; cycle < 3; cycle++) {
      const visitor = await connectAs(on(cycle), `visitor${cycle}`);
      expect(await step(() => join(visitor), 5)).toMatchObject({ mode: 'counts', users: [], count: { users: 5 } });
      await step(() => leave(visitor), 4);
      // In the band, a page says so too, on either instance.
      expect(await w1.emitWithAck('roomPresence', { room: 'hover' })).toMatchObject({ mode: 'counts', count: { users: 4 } });
      expect(await w2.emitWithAck('roomPresence', { room: 'hover' })).toMatchObject({ mode: 'counts', count: { users: 4 } });
    }

    // Shrinking: still big at 3, and a join back to 4 (on the other instance) finds it big; full again at 2.
    await step(() => leave(m4), 3);
    const m5 = await connectAs(on(1), 'm5');
    expect(await step(() => join(m5), 4)).toMatchObject({ mode: 'counts', users: [], count: { users: 4 } });
    await step(() => leave(m5), 3);
    await step(() => leave(m3), 2);

    const hovering = ['5:counts', '4:counts', '5:counts', '4:counts', '5:counts', '4:counts'];
    const shrinking = ['3:counts', '4:counts', '3:counts', '2:full'];
    for (const i of [0, 1]) expect(modesSince(i, from[i]!), `watcher ${i + 1}`).toEqual([...hovering, ...shrinking]);
    // One switch each way, whichever instance sent the diff.
    expect(modesSince(0, 0)).toEqual(['1:full', '2:full', '3:full', '4:full', ...hovering, ...shrinking]);
  });
});
