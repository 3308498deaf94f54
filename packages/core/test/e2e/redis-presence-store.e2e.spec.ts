import { createClient } from 'redis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RedisPresenceStore, type PresenceUser } from '../../src/index.js';
import type { PresenceEntry, ReapedLeave } from '../../src/presence/presence.store.js';
import type { BigRoomBand } from '../../src/presence/presence-mode.js';
import type { AnyRedisClient } from '../../src/redis/redis-client.js';
import { ADD_ENTRIES_SCRIPT, PRESENCE_SCRIPT_BATCH } from '../../src/presence/redis-presence.scripts.js';
import { freePort, RedisTestServer } from '../../src/testing/index.js';
import { CommandGate, type RedisClientKind, type SentCommand } from '../support/command-gate.js';
import { ManualClock } from '../support/manual-clock.js';
import { expectBigRoomState, SMALL_BAND } from '../support/presence-big-room.js';
import { expectMalformedCursorsRefused, expectPagesInFirstJoinOrder, expectPagingUnderChurn } from '../support/presence-paging.js';
import { TcpProxy } from '../support/tcp-proxy.js';

const TTL_MS = 3000;
const BEAT_MS = TTL_MS / 3;
const ROOM = '/#lobby';

const entry = (userId: string, connectionId: string, joinedAt = 1, extra: Record<string, unknown> = {}, room = ROOM): PresenceEntry => ({
  room,
  userId,
  meta: { ...extra, connectionId, joinedAt },
});
const isRewrite = ([name, script]: SentCommand) => name === 'EVAL' && script === ADD_ENTRIES_SCRIPT;

/**
 * The Redis presence store against a real Redis server of its own, stepped by a manual clock and,
 * where a race is the point, with one command held back as a slow Redis would hold it, so each
 * race happens in exactly the same order on every run. Once per supported client package.
 */
describe.each<RedisClientKind>(['node-redis', 'ioredis'])('RedisPresenceStore on %s', (kind) => {
  let redis: RedisTestServer;
  let admin: ReturnType<typeof createClient>;
  const opened: { stop(): Promise<unknown> }[] = [];

  beforeAll(async () => {
    redis = await RedisTestServer.start();
    admin = createClient({ url: redis.url });
    await admin.connect();
  });
  afterEach(async () => {
    for (const thing of opened.splice(0).reverse()) await thing.stop();
  });
  afterAll(async () => {
    await admin?.close();
    await redis?.stop();
  });

  /** A store (an instance) on its own connection, through a gate; not started. */
  async function instance(prefix: string, clock: ManualClock, url = redis.url, band?: BigRoomBand) {
    const gate = await CommandGate.connect(url, kind);
    const store = new RedisPresenceStore(gate.client, prefix, TTL_MS, clock, undefined, band);
    opened.push({ stop: () => gate.close() });
    return { store, gate };
  }

  /** What another instance reads from Redis. */
  const observer = (prefix: string) => new RedisPresenceStore(admin as unknown as AnyRedisClient, prefix, TTL_MS);

  /** Starts the store and resolves once its first heartbeat has settled. */
  async function started(store: RedisPresenceStore, clock: ManualClock, onReaped: (leaves: ReapedLeave[]) => void = () => undefined) {
    store.start(onReaped);
    await clock.whenScheduled();
  }

  /** Fires the next heartbeat and resolves once it has settled. */
  async function nextBeat(clock: ManualClock) {
    clock.advance(BEAT_MS);
    await clock.whenScheduled();
  }

  const connectionIds = (users: PresenceUser[]) => users.flatMap((user) => user.metas.map((meta) => `${user.userId}/${meta.connectionId}`)).sort();

  describe("re-sync (Redis lost this instance's entries)", () => {
    it('never writes back a connection that left while the re-sync was writing', async () => {
      const clock = new ManualClock();
      const { store, gate } = await instance('resync-leave', clock);
      await started(store, clock);
      await store.join(entry('ada', 'ada-1'));
      await store.join(entry('bob', 'bob-1'));
      await admin.flushDb(); // Redis restarted empty

      // The next heartbeat finds its entry gone and re-syncs; hold its write of the snapshot.
      const rewrite = gate.hold(isRewrite);
      clock.advance(BEAT_MS);
      await rewrite.caught;
      const adaLeft = store.leave(ROOM, 'ada', 'ada-1');
      rewrite.release();
      expect(await adaLeft).toBe(true); // her last connection: the others are told she left
      await clock.whenScheduled();

      const seen = observer('resync-leave');
      expect(connectionIds(await seen.list(ROOM))).toEqual(['bob/bob-1']);
      expect(await seen.count(ROOM)).toEqual({ users: 1, connections: 1 });
      expect(await seen.isOnline('ada')).toBe(false);
      // Nor is anything left for a survivor to reap if this instance dies.
      expect(await admin.sMembers('resync-leave:instance-connections:' + (await instanceIdOf('resync-leave')))).toEqual([JSON.stringify([ROOM, 'bob', 'bob-1'])]);
    });

    it('a connection that left and joined again during the re-sync ends with its new entry, announced as a join', async () => {
      const clock = new ManualClock();
      const { store, gate } = await instance('resync-rejoin', clock);
      await started(store, clock);
      await store.join(entry('ada', 'ada-1', 1, { status: 'old' }));
      await store.join(entry('bob', 'bob-1'));
      await admin.flushDb();

      const rewrite = gate.hold(isRewrite);
      clock.advance(BEAT_MS);
      await rewrite.caught;
      const adaLeft = store.leave(ROOM, 'ada', 'ada-1');
      const adaBack = store.join(entry('ada', 'ada-1', 2, { status: 'new' }));
      const carolCame = store.join(entry('carol', 'carol-1', 3));
      rewrite.release();
      expect([await adaLeft, await adaBack, await carolCame]).toEqual([true, true, true]);
      await clock.whenScheduled();

      const users = await observer('resync-rejoin').list(ROOM);
      expect(users.find((user) => user.userId === 'ada')).toEqual({ userId: 'ada', metas: [{ connectionId: 'ada-1', joinedAt: 2, status: 'new' }] });
      expect(connectionIds(users)).toEqual(['ada/ada-1', 'bob/bob-1', 'carol/carol-1']);
      expect(await observer('resync-rejoin').count(ROOM)).toEqual({ users: 3, connections: 3 });
    });

    it('removes what Redis kept of connections that left while it was unreachable, and reports their leaves', async () => {
      const proxy = await new TcpProxy(redis.port).start();
      opened.push({ stop: () => proxy.stop() });
      const clock = new ManualClock();
      const { store, gate } = await instance('resync-partition', clock, `redis://127.0.0.1:${proxy.port}`);
      const reaped: ReapedLeave[][] = [];
      await started(store, clock, (leaves) => reaped.push(leaves));
      await store.join(entry('ada', 'ada-1'));
      await store.join(entry('bob', 'bob-1'));

      // Cut off from Redis (which keeps its data): ada leaves meanwhile, Redis never hears it.
      const cut = gate.whenDropped();
      proxy.switchTo(await freePort()); // nothing listens there
      await cut;
      expect(await store.leave(ROOM, 'ada', 'ada-1')).toBe(true); // announced here, from this instance's own view
      // Reads answer from this instance's own connections meanwhile.
      expect(await store.page(ROOM, undefined, 10)).toEqual({ users: [{ userId: 'bob', metas: [{ connectionId: 'bob-1', joinedAt: 1 }] }], next: null });
      expect(await store.userIn(ROOM, 'ada')).toBeUndefined();
      expect(await store.count(ROOM)).toEqual({ users: 1, connections: 1 });
      expect(connectionIds(await observer('resync-partition').list(ROOM))).toEqual(['ada/ada-1', 'bob/bob-1']);

      const back = gate.whenReady();
      proxy.switchTo(redis.port);
      await back;
      await nextBeat(clock);

      expect(connectionIds(await observer('resync-partition').list(ROOM))).toEqual(['bob/bob-1']);
      expect(await observer('resync-partition').isOnline('ada')).toBe(false);
      // The other instances hear it now.
      expect(reaped).toEqual([[{ room: ROOM, userId: 'ada' }]]);
    });
  });

  it('never starts a heartbeat while the previous one is still waiting on a slow Redis, nor takes itself for dead after one', async () => {
    const clock = new ManualClock();
    const { store, gate } = await instance('slow-beat', clock);
    await store.join(entry('ada', 'ada-1'));
    const slowBeat = gate.hold(([name]) => name === 'ZADD');
    const reaped: ReapedLeave[][] = [];
    store.start((leaves) => reaped.push(leaves));
    await slowBeat.caught;

    clock.advance(BEAT_MS * 10); // ten heartbeat periods (over three ttls) while Redis does not answer
    expect(gate.count('ZADD')).toBe(1);

    slowBeat.release();
    await clock.whenScheduled();
    expect(store.lastHeartbeatAt()).toBe(clock.now());
    // Its heartbeat landed late, with the time it was sent at: it is alive all the same.
    expect(reaped).toEqual([]);
    expect(connectionIds(await observer('slow-beat').list(ROOM))).toEqual(['ada/ada-1']);

    await nextBeat(clock);
    expect(gate.count('ZADD')).toBe(2);
  });

  it('reaps a dead instance in a few round trips, however many connections it had', async () => {
    const commandsToReap = new Map<number, number>();
    for (const connections of [1, 450]) {
      const prefix = `reap-${connections}`;
      const lastBeat = 1_000_000;
      const dyingClock = new ManualClock(lastBeat);
      const dying = await instance(prefix, dyingClock);
      await started(dying.store, dyingClock);
      // Many users, several devices each, over several rooms.
      const joined = Array.from({ length: connections }, (_, i) => entry(`u${i % 60}`, `c${i}`, i, {}, `/#room-${i % 7}`));
      await Promise.all(joined.map((e) => dying.store.join(e)));

      // The instance dies (it never beats again); a survivor beats once it is past its ttl.
      const survivorClock = new ManualClock(lastBeat + TTL_MS + 1);
      const survivor = await instance(prefix, survivorClock);
      const leaves = await new Promise<ReapedLeave[]>((resolve) => survivor.store.start(resolve));
      await survivorClock.whenScheduled();
      // Its first heartbeat did the reaping: every command it sent is a round trip.
      commandsToReap.set(connections, survivor.gate.sent.length);

      // Each user leaves each room once, and nothing of the dead instance is left in Redis.
      const pairs = [...new Set(joined.map((e) => `${e.room} ${e.userId}`))].sort();
      expect(leaves.map((leave) => `${leave.room} ${leave.userId}`).sort()).toEqual(pairs);
      expect(await admin.keys(`${prefix}:*`)).toEqual([`${prefix}:instances`]);
    }
    // One script per batch of connections, not one round trip per connection.
    expect(commandsToReap.get(450)! - commandsToReap.get(1)!).toBeLessThanOrEqual(Math.ceil(450 / PRESENCE_SCRIPT_BATCH) - 1);
  });

  describe('pages', () => {
    it('come in the order of first join; the cursor holds across leaves, re-joins and second devices', async () => {
      const { store } = await instance('pages-order', new ManualClock());
      await expectPagesInFirstJoinOrder(store, ROOM);
    });

    it('of a 2,000-member room return each user present throughout exactly once while others join, leave and come back', async () => {
      const { store } = await instance('pages-churn', new ManualClock());
      await expectPagingUnderChurn(store, { room: ROOM, members: 2000, pageSize: 50, changesPerPage: 5, seed: 7 });
    });

    it('refuse a cursor they did not hand out, without asking Redis', async () => {
      const { store, gate } = await instance('pages-cursor', new ManualClock());
      await expectMalformedCursorsRefused(store, ROOM);
      expect(gate.sent.map(([name]) => name)).toEqual(['EVAL']); // the join
    });

    it("join, leave, update, userIn, count and a page are one command each, with the room's metas as they were given", async () => {
      const { store, gate } = await instance('pages-commands', new ManualClock());
      await Promise.all(Array.from({ length: 500 }, (_, i) => store.join(entry(`u${i}`, `c${i}`))));
      // Fields cjson would not give back as they came: an empty list, and a number past 14 digits.
      const meta = { tags: [], ratio: 0.1 + 0.2, nested: { empty: {} }, text: 'a/b "c" é' };
      const sent = async (call: () => Promise<unknown>) => {
        const before = gate.sent.length;
        await call();
        return gate.sent.slice(before).map(([name]) => name);
      };
      expect(await sent(() => store.join(entry('ada', 'ada-1', 5, meta)))).toEqual(['EVAL']);
      expect(await sent(() => store.update(ROOM, 'ada', 'ada-1', { ...meta, away: true }))).toEqual(['EVAL']);
      expect(await sent(() => store.userIn(ROOM, 'ada'))).toEqual(['HGET']);
      expect(await store.userIn(ROOM, 'ada')).toEqual({ userId: 'ada', metas: [{ ...meta, away: true, connectionId: 'ada-1', joinedAt: 5 }] });
      expect(await sent(() => store.count(ROOM))).toEqual(['EVAL']);
      expect(await sent(() => store.page(ROOM, undefined, 32))).toEqual(['EVAL']);
      expect(await sent(() => store.leave(ROOM, 'ada', 'ada-1'))).toEqual(['EVAL']);
    });
  });

  describe('big rooms', () => {
    it("keep their state with the room: set above bigRoomUsers, kept in between, cleared at bigRoomExitUsers or when empty", async () => {
      const { store } = await instance('big-state', new ManualClock(), redis.url, SMALL_BAND);
      await expectBigRoomState(store, ROOM);
      expect(await admin.keys('big-state:*')).toEqual([]); // the emptied room left no state behind
    });

    it('an instance reads the state another one set, in the same one command as the count', async () => {
      const { store: a } = await instance('big-shared', new ManualClock(), redis.url, SMALL_BAND);
      const { store: b, gate } = await instance('big-shared', new ManualClock(), redis.url, SMALL_BAND);
      for (const user of ['a', 'b', 'c', 'd']) await a.join(entry(user, `${user}-1`));
      await b.join(entry('e', 'e-1'));
      await a.leave(ROOM, 'a', 'a-1');
      await b.leave(ROOM, 'e', 'e-1'); // back in the band through the other instance: still big
      const before = gate.sent.length;
      expect(await b.count(ROOM)).toEqual({ users: 3, connections: 3, big: true });
      expect(gate.sent.slice(before).map(([name]) => name)).toEqual(['EVAL']);
      expect(await a.count(ROOM)).toEqual({ users: 3, connections: 3, big: true });
      await a.leave(ROOM, 'c', 'c-1');
      await a.leave(ROOM, 'd', 'd-1');
      expect(await b.count(ROOM)).toEqual({ users: 1, connections: 1 }); // one user left: small again, for both instances
    });

    it('a room stored without a state (before states were kept) reads as not big, until a join or leave applies the rule', async () => {
      const { store } = await instance('big-legacy', new ManualClock(), redis.url, SMALL_BAND);
      for (const user of ['a', 'b', 'c', 'd']) await store.join(entry(user, `${user}-1`));
      expect(await admin.del(`big-legacy:room-big:${ROOM}`)).toBe(1); // as an older version left it
      expect(await store.count(ROOM)).toEqual({ users: 4, connections: 4 }); // the count alone: above 3, counts mode
      await store.leave(ROOM, 'd', 'd-1');
      expect(await store.count(ROOM)).toEqual({ users: 3, connections: 3 }); // in the band, never marked: full, as before
      await store.join(entry('d', 'd-2'));
      expect(await store.count(ROOM)).toEqual({ users: 4, connections: 4, big: true });
    });
  });

  it("a connection id that comes back under another user takes the first user's entry with it", async () => {
    const { store } = await instance('reused-connection', new ManualClock());
    await store.join(entry('ada', 'c1'));
    expect(await store.join(entry('bob', 'c1'))).toBe(true);
    const seen = observer('reused-connection');
    expect(connectionIds(await seen.list(ROOM))).toEqual(['bob/c1']);
    expect(await seen.count(ROOM)).toEqual({ users: 1, connections: 1 });
    expect(await seen.isOnline('ada')).toBe(false);
    expect(await store.leave(ROOM, 'bob', 'c1')).toBe(true);
    expect(await admin.keys('reused-connection:*')).toEqual([]); // nothing of ada's left behind
  });

  it('cleans up after an instance that died holding 2,000 connections in one room, within ttlMs, and reports each user once', async () => {
    const prefix = 'big-room-crash';
    const start = 5_000_000;
    const dyingClock = new ManualClock(start);
    const survivorClock = new ManualClock(start);
    const dying = await instance(prefix, dyingClock);
    const survivor = await instance(prefix, survivorClock);
    await started(dying.store, dyingClock);
    const reaped: ReapedLeave[][] = [];
    await started(survivor.store, survivorClock, (leaves) => reaped.push(leaves));

    // 2,000 connections of 1,900 users (100 of them on two devices); bob is also on the survivor.
    const doomed = Array.from({ length: 2000 }, (_, i) => entry(i < 1900 ? `u${i}` : `u${i - 1900}`, `c${i}`, i));
    await Promise.all([...doomed, entry('bob', 'bob-doomed')].map((e) => dying.store.join(e)));
    await survivor.store.join(entry('bob', 'bob-1'));
    await survivor.store.join(entry('carol', 'carol-1'));
    expect(await survivor.store.count(ROOM)).toEqual({ users: 1902, connections: 2003, big: true });

    // The instance dies: its clock stops, so it never beats again. The survivor beats on.
    while (reaped.length === 0 && survivorClock.now() - start < TTL_MS) await nextBeat(survivorClock);
    expect(reaped, 'reaped within ttlMs').toHaveLength(1);
    const leaves = reaped[0]!.map((leave) => `${leave.room} ${leave.userId}`).sort();
    expect(leaves).toEqual(Array.from({ length: 1900 }, (_, i) => `${ROOM} u${i}`).sort()); // bob stays: he is on the survivor
    // Reaped down to 2 users: small again, its state gone with them (no key of it below).
    expect(await survivor.store.count(ROOM)).toEqual({ users: 2, connections: 2 });
    expect((await survivor.store.page(ROOM, undefined, 10)).users).toEqual([
      { userId: 'bob', metas: [{ connectionId: 'bob-1', joinedAt: 1 }] },
      { userId: 'carol', metas: [{ connectionId: 'carol-1', joinedAt: 1 }] },
    ]);
    expect(await survivor.store.isOnline('u0')).toBe(false);
    expect((await admin.keys(`${prefix}:*`)).sort()).toEqual(
      [`${prefix}:instances`, ...['room-connections', 'room-user-order', 'room-user-metas', 'room-sequence'].map((kind) => `${prefix}:${kind}:${ROOM}`), `${prefix}:user-room-connections:bob`, `${prefix}:user-room-connections:carol`, `${prefix}:instance-connections:${await instanceIdOf(prefix)}`].sort(),
    );
  });

  /** The one instance registered under `prefix`. */
  async function instanceIdOf(prefix: string): Promise<string> {
    const [id] = await admin.zRange(`${prefix}:instances`, 0, -1);
    return id!;
  }
});

