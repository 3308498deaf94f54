import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PresenceService, RealtimeModule, RealtimeService, type PresenceDiff, type PresenceUser } from '../../src/index.js';
import { createRealtimeTestingApp, redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { runFixture, type Child } from '../support/child-process.js';
import { collect, until } from '../support/cluster.js';
import { ChatRoomsGateway, PlainRoomsGateway } from '../support/presence-gateways.js';
import { connectClient } from '../../src/testing/index.js';
import { SECRET, sign } from '../support/tokens.js';
import { ManualClock } from '../support/manual-clock.js';
import { PRESENCE_CLOCK } from '../../src/presence/presence-clock.js';

let redis: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(() => redis?.stop());

const CHAT = { namespace: '/chat' };

/** The users the collected diffs say left, in order. */
const leftIn = (diffs: PresenceDiff[]) => diffs.flatMap((diff) => diff.left.map((user) => user.userId));

const bootInstance = (keyPrefix: string, ttlMs = 15_000, providers: unknown[] = [ChatRoomsGateway], clock?: ManualClock) =>
  createRealtimeTestingApp(
    {
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, redis: { url: redis.url, keyPrefix }, presence: { ttlMs } })],
      providers: providers as never,
    },
    clock ? { overrides: (builder) => builder.overrideProvider(PRESENCE_CLOCK).useValue(clock) } : {},
  );

describe('presence across two instances (Redis store)', () => {
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([bootInstance('presence-two'), bootInstance('presence-two')]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('a join on A is in list() on B as soon as it resolves, and counts agree', async () => {
    const ada = await a.connect({ namespace: 'chat', auth: { token: sign({ sub: 'ada' }) } });
    await ada.emitWithAck('joinRoom', { room: 'shared' });
    const onB = await b.app.get(PresenceService).list('shared', CHAT);
    expect(onB.map((u) => u.userId)).toEqual(['ada']);
    expect(await b.app.get(PresenceService).count('shared', CHAT)).toEqual(await a.app.get(PresenceService).count('shared', CHAT));
    expect(await b.app.get(PresenceService).isOnline('ada')).toBe(true);
  });

  it('50 concurrent joins and leaves of one room from both instances end in a list() equal to the truth', async () => {
    const clients = await Promise.all(
      Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).connect({ namespace: 'chat', auth: { token: sign({ sub: `u${i % 20}` }) } })),
    );
    await Promise.all(clients.map((c) => c.emitWithAck('joinRoom', { room: 'busy' })));
    // Every third connection leaves, concurrently with the others rejoining.
    const leaving = clients.filter((_, i) => i % 3 === 0);
    await Promise.all([
      ...leaving.map((c) => c.emitWithAck('leaveRoom', { room: 'busy' })),
      ...clients.filter((_, i) => i % 3 !== 0).map((c) => c.emitWithAck('joinRoom', { room: 'busy' })),
    ]);

    const staying = clients.filter((_, i) => i % 3 !== 0);
    const truth = new Map<string, string[]>();
    clients.forEach((c, i) => {
      if (i % 3 !== 0) truth.set(`u${i % 20}`, [...(truth.get(`u${i % 20}`) ?? []), c.id!]);
    });
    const list = await a.app.get(PresenceService).list('busy', CHAT);
    expect(new Map(list.map((u: PresenceUser) => [u.userId, u.metas.map((m) => m.connectionId).sort()]))).toEqual(
      new Map([...truth].map(([user, ids]) => [user, ids.sort()])),
    );
    expect(await b.app.get(PresenceService).count('busy', CHAT)).toEqual({ users: truth.size, connections: staying.length });
  });
});

describe('an instance closed gracefully', () => {
  it('removes its presence first: the others see its users leave at once, not after ttlMs', async () => {
    // The closing instance's diff windows close only when this clock says: its leave must go out at close all the same.
    const clock = new ManualClock();
    const [leaving, staying] = await Promise.all([
      bootInstance('presence-graceful', 60_000, [ChatRoomsGateway], clock),
      bootInstance('presence-graceful', 60_000),
    ]);
    try {
      const observer = await staying.connect({ namespace: 'chat', auth: { token: sign({ sub: 'obs' }) } });
      await observer.emitWithAck('joinRoom', { room: 'party' });
      const diffs = collect<PresenceDiff>(observer, 'presence:diff');
      const guest = await leaving.connect({ namespace: 'chat', auth: { token: sign({ sub: 'guest' }) } });
      await guest.emitWithAck('joinRoom', { room: 'party' });
      // Seen joining first: a join and a leave inside one diff window net to nothing.
      clock.advance(50);
      await until(() => diffs.some((diff) => diff.joined.some((user) => user.userId === 'guest')), 3000, 'the guest joining');

      // Its open diff window is flushed as it closes, not dropped.
      await leaving.close();
      expect(clock.pending).toBe(0);
      await until(() => leftIn(diffs).length === 1, 3000, 'the leave of the closed instance'); // ttlMs is 60 s
      expect(leftIn(diffs)).toEqual(['guest']);
      expect(diffs.at(-1)).toMatchObject({ room: 'party', count: { users: 1, connections: 1 }, mode: 'full' });
      expect((await staying.app.get(PresenceService).list('party', CHAT)).map((u) => u.userId)).toEqual(['obs']);
    } finally {
      await staying.close();
    }
  });
});

describe('an instance killed with SIGKILL', () => {
  const children: Child[] = [];
  let survivors: RealtimeTestingApp[] = [];
  afterEach(async () => {
    for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
    await Promise.all(survivors.map((s) => s.close()));
    survivors = [];
  });

  it('its users leave for the survivors within ttlMs + one heartbeat, once each, in their namespace only, and list() forgets them', async () => {
    const ttlMs = 1500;
    const keyPrefix = 'presence-crash';
    const ROOMS = { namespace: '/rooms' };
    survivors = await Promise.all([0, 1].map(() => bootInstance(keyPrefix, ttlMs, [PlainRoomsGateway, ChatRoomsGateway])));
    const doomed = runFixture('instance.mjs', [redis.url, 'pubsub', keyPrefix, String(ttlMs)]);
    children.push(doomed);
    const doomedUrl = `http://127.0.0.1:${(await doomed.waitFor(/READY (\d+)/))[1]}`;

    // The doomed instance's gateway is on /rooms: so are the observers; a /chat member of the same room name must hear nothing.
    const observers = await Promise.all(survivors.map((s, i) => s.connect({ namespace: 'rooms', auth: { token: sign({ sub: `watch${i}` }) } })));
    for (const observer of observers) await observer.emitWithAck('joinRoom', { room: 'doomed-room' });
    const elsewhere = await survivors[0]!.connect({ namespace: 'chat', auth: { token: sign({ sub: 'elsewhere' }) } });
    await elsewhere.emitWithAck('joinRoom', { room: 'doomed-room' });
    const victims = await Promise.all(
      ['vic', 'val'].map((sub) => connectClient(doomedUrl, { namespace: 'rooms', auth: { token: sign({ sub }) }, reconnection: false })),
    );
    for (const victim of victims) expect(await victim.emitWithAck('joinRoom', { room: 'doomed-room' })).toMatchObject({ status: 'ok' });
    expect((await survivors[0]!.app.get(PresenceService).list('doomed-room', ROOMS)).map((u) => u.userId).sort()).toEqual([
      'val', 'vic', 'watch0', 'watch1',
    ]);
    expect((await survivors[0]!.app.get(PresenceService).list('doomed-room', CHAT)).map((u) => u.userId)).toEqual(['elsewhere']);

    // The reaped leaves go through the reaper's diff window: one presence:diff in each observer's namespace.
    const diffs = observers.map((o) => collect<PresenceDiff>(o, 'presence:diff'));
    const diffsElsewhere = collect<PresenceDiff>(elsewhere, 'presence:diff'); // its own join may come in one: no leaves
    const killedAt = Date.now();
    doomed.process.kill('SIGKILL');
    await until(() => diffs.every((d) => leftIn(d).length === 2), ttlMs + ttlMs / 3 + 2000, 'the leaves of the dead instance');
    const elapsed = Date.now() - killedAt;
    victims.forEach((v) => v.close());

    expect(diffs.map((d) => leftIn(d).sort())).toEqual([['val', 'vic'], ['val', 'vic']]);
    expect(elapsed).toBeLessThan(ttlMs + ttlMs / 3 + 2000);
    // Whichever survivor reaped, anything it sent to /chat's room went before a marker each survivor sends there now.
    const markers = collect(elsewhere, 'marker');
    for (const survivor of survivors) survivor.app.get(RealtimeService).toRoom('doomed-room', CHAT).emit('marker');
    await until(() => markers.length === 2, 3000, 'the markers in /chat');
    expect(leftIn(diffsElsewhere)).toEqual([]);
    // No second announcement: wait one more heartbeat and count again.
    await new Promise((resolve) => setTimeout(resolve, ttlMs / 3 + 200));
    expect(diffs.map((d) => leftIn(d).length)).toEqual([2, 2]);
    expect((await survivors[1]!.app.get(PresenceService).list('doomed-room', ROOMS)).map((u) => u.userId).sort()).toEqual(['watch0', 'watch1']);
    expect(leftIn(diffsElsewhere)).toEqual([]);
  }, 30_000);
});
