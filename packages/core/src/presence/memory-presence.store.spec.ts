import { describe, expect, it } from 'vitest';
import { expectBigRoomState, SMALL_BAND } from '../../test/support/presence-big-room.js';
import { expectMalformedCursorsRefused, expectPagesInFirstJoinOrder, expectPagingUnderChurn } from '../../test/support/presence-paging.js';
import { FuzzRng } from '../testing/fuzz-rng.js';
import { MemoryPresenceStore } from './memory-presence.store.js';
import { InvalidPresenceCursorError, PresenceStore, type PresenceEntry } from './presence.store.js';

const entry = (room: string, userId: string, connectionId: string, joinedAt = 0, extra: Record<string, unknown> = {}): PresenceEntry => ({
  room,
  userId,
  meta: { ...extra, connectionId, joinedAt },
});

/** The obvious, slow truth: a flat list of entries, scanned for every answer. */
class ReferencePresence {
  entries: PresenceEntry[] = [];
  private has(room: string, userId: string) {
    return this.entries.some((e) => e.room === room && e.userId === userId);
  }
  join(e: PresenceEntry): boolean {
    const previous = this.entries.find((x) => x.room === e.room && x.meta.connectionId === e.meta.connectionId);
    this.entries = this.entries.filter((x) => x !== previous);
    // The same connection joining again is not a new connection of its user.
    const first = previous?.userId !== e.userId && !this.has(e.room, e.userId);
    this.entries.push(e);
    return first;
  }
  leave(room: string, connectionId: string): boolean {
    const gone = this.entries.find((x) => x.room === room && x.meta.connectionId === connectionId);
    if (!gone) return false;
    this.entries = this.entries.filter((x) => x !== gone);
    return !this.has(room, gone.userId);
  }
}

/**
 * The size of the largest Map or Set iterated while `run` runs: an operation that walks a room
 * iterates a collection as large as the room.
 */
async function largestCollectionWalked(run: () => Promise<unknown>): Promise<number> {
  const sizes: number[] = [];
  const restore: (() => void)[] = [];
  for (const proto of [Map.prototype, Set.prototype] as unknown as Record<PropertyKey, (...args: unknown[]) => unknown>[]) {
    for (const name of ['values', 'keys', 'entries', 'forEach', Symbol.iterator]) {
      const original = proto[name]!;
      proto[name] = function (this: { size: number }, ...args: unknown[]) {
        sizes.push(this.size);
        return original.apply(this, args);
      };
      restore.push(() => (proto[name] = original));
    }
  }
  try {
    await run();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
  return Math.max(0, ...sizes);
}

describe('MemoryPresenceStore', () => {
  it("tells a user's first and last connection (device) in a room apart from the others", async () => {
    const store = new MemoryPresenceStore();
    expect(await store.join(entry('/#r', 'ada', 'phone', 1))).toBe(true);
    expect(await store.join(entry('/#r', 'ada', 'laptop', 2))).toBe(false);
    expect(await store.join(entry('/#r', 'bob', 'tab', 3))).toBe(true);
    expect(await store.count('/#r')).toEqual({ users: 2, connections: 3 });

    expect(await store.leave('/#r', 'ada', 'phone')).toBe(false);
    expect(await store.userIn('/#r', 'ada')).toEqual({ userId: 'ada', metas: [{ connectionId: 'laptop', joinedAt: 2 }] });
    expect(await store.leave('/#r', 'ada', 'laptop')).toBe(true);
    expect(await store.leave('/#r', 'ada', 'laptop')).toBe(false); // already gone
    expect(await store.userIn('/#r', 'ada')).toBeUndefined();
    expect(await store.isOnline('ada')).toBe(false);
    expect(await store.count('/#r')).toEqual({ users: 1, connections: 1 });
  });

  it('a connection joining the same room again replaces its entry and is not a new connection', async () => {
    const store = new MemoryPresenceStore();
    await store.join(entry('/#r', 'ada', 'c1', 1, { status: 'away' }));
    expect(await store.join(entry('/#r', 'ada', 'c1', 5, { status: 'here' }))).toBe(false);
    expect(await store.list('/#r')).toEqual([{ userId: 'ada', metas: [{ connectionId: 'c1', joinedAt: 5, status: 'here' }] }]);
    expect(await store.count('/#r')).toEqual({ users: 1, connections: 1 });
    expect(await store.leave('/#r', 'ada', 'c1')).toBe(true);
    expect(await store.roomsOf('ada')).toEqual([]);
  });

  it('updates keep connectionId and joinedAt, and only touch a connection in the room', async () => {
    const store = new MemoryPresenceStore();
    await store.join(entry('/#r', 'ada', 'c1', 7));
    expect(await store.update('/#r', 'ada', 'c1', { typing: true, joinedAt: 0 })).toBe(true);
    expect(await store.update('/#other', 'ada', 'c1', { typing: true })).toBe(false);
    expect(await store.userIn('/#r', 'ada')).toEqual({ userId: 'ada', metas: [{ typing: true, connectionId: 'c1', joinedAt: 7 }] });
  });

  it('agrees with a plain list of entries over 5000 random joins, rejoins, leaves and updates of many users, devices and rooms', async () => {
    const rng = new FuzzRng(42);
    const next = () => rng.next();
    const pick = <T>(items: T[]) => rng.pick(items);
    const rooms = ['/#a', '/#b', '/chat#a', '/chat#b', '/chat#c'];
    const users = Array.from({ length: 40 }, (_, i) => `u${i}`);
    // A connection belongs to one user (its socket), and may join several rooms.
    const connections = Array.from({ length: 120 }, (_, i) => ({ id: `c${i}`, userId: pick(users) }));
    const store = new MemoryPresenceStore();
    const truth = new ReferencePresence();

    for (let step = 0; step < 5000; step++) {
      const room = pick(rooms);
      const { id, userId } = pick(connections);
      const roll = next();
      if (roll < 0.55) {
        const e = entry(room, userId, id, step);
        expect(await store.join(e), `join #${step}`).toBe(truth.join(structuredClone(e)));
      } else if (roll < 0.9) {
        expect(await store.leave(room, userId, id), `leave #${step}`).toBe(truth.leave(room, id));
      } else {
        const there = truth.entries.find((e) => e.room === room && e.meta.connectionId === id);
        if (there) there.meta = { step, connectionId: id, joinedAt: there.meta.joinedAt };
        expect(await store.update(room, userId, id, { step }), `update #${step}`).toBe(there !== undefined);
      }
    }

    const sorted = (list: { userId: string; metas: { connectionId: string }[] }[]) =>
      list.map((u) => ({ ...u, metas: [...u.metas].sort((a, b) => a.connectionId.localeCompare(b.connectionId)) })).sort((a, b) => a.userId.localeCompare(b.userId));
    for (const room of rooms) {
      const here = truth.entries.filter((e) => e.room === room);
      const expected = [...new Set(here.map((e) => e.userId))].map((userId) => ({ userId, metas: here.filter((e) => e.userId === userId).map((e) => e.meta) }));
      expect(sorted(await store.list(room))).toEqual(sorted(expected));
      expect(await store.count(room)).toEqual({ users: expected.length, connections: here.length });
      for (const user of users) {
        expect(sorted([(await store.userIn(room, user)) ?? { userId: user, metas: [] }])).toEqual(sorted([expected.find((u) => u.userId === user) ?? { userId: user, metas: [] }]));
      }
    }
    for (const user of users) {
      const inRooms = [...new Set(truth.entries.filter((e) => e.userId === user).map((e) => e.room))].sort();
      expect((await store.roomsOf(user)).sort()).toEqual(inRooms);
      expect(await store.isOnline(user)).toBe(inRooms.length > 0);
    }
    expect(store.entries()).toHaveLength(truth.entries.length);
  });

  it("answers join, leave, update, count, userIn, roomsOf and isOnline without walking the room's members", async () => {
    const store = new MemoryPresenceStore();
    const members = 2000;
    for (let i = 0; i < members; i++) await store.join(entry('/#crowd', `u${i}`, `c${i}`, i));
    await store.join(entry('/#other', 'u7', 'c7'));

    const walked = {
      join: await largestCollectionWalked(() => store.join(entry('/#crowd', 'ada', 'ada-phone'))),
      secondDevice: await largestCollectionWalked(() => store.join(entry('/#crowd', 'ada', 'ada-laptop'))),
      update: await largestCollectionWalked(() => store.update('/#crowd', 'ada', 'ada-phone', { busy: true })),
      count: await largestCollectionWalked(() => store.count('/#crowd')),
      userIn: await largestCollectionWalked(() => store.userIn('/#crowd', 'ada')),
      roomsOf: await largestCollectionWalked(() => store.roomsOf('u7')),
      isOnline: await largestCollectionWalked(() => store.isOnline('u7')),
      leave: await largestCollectionWalked(() => store.leave('/#crowd', 'ada', 'ada-phone')),
      lastLeave: await largestCollectionWalked(() => store.leave('/#crowd', 'ada', 'ada-laptop')),
    };
    // At most the user's own rooms or devices (two), never the crowd.
    expect(Object.entries(walked).filter(([, size]) => size > 2)).toEqual([]);
    // The check itself sees a walk of the room when there is one.
    expect(await largestCollectionWalked(() => store.list('/#crowd'))).toBeGreaterThanOrEqual(members);
  });

  describe('big rooms', () => {
    it('keeps each room\'s state by its band: set above bigRoomUsers, kept in between, cleared at bigRoomExitUsers or when empty', async () => {
      await expectBigRoomState(new MemoryPresenceStore(SMALL_BAND), '/#hall');
    });

    it('without a band, keeps rooms by the default one: big above 200 users, small again at 150', async () => {
      const store = new MemoryPresenceStore();
      for (let i = 0; i <= 200; i++) await store.join(entry('/#crowd', `u${i}`, `c${i}`));
      expect(await store.count('/#crowd')).toEqual({ users: 201, connections: 201, big: true });
      for (let i = 200; i > 150; i--) await store.leave('/#crowd', `u${i}`, `c${i}`);
      expect(await store.count('/#crowd')).toEqual({ users: 151, connections: 151, big: true });
      await store.leave('/#crowd', 'u150', 'c150');
      expect(await store.count('/#crowd')).toEqual({ users: 150, connections: 150 });
    });
  });

  describe('pages', () => {
    it('come in the order of first join; the cursor holds across leaves, re-joins and second devices', async () => {
      await expectPagesInFirstJoinOrder(new MemoryPresenceStore(), '/#r');
    });

    it('return each user present throughout exactly once while others join, leave and come back', async () => {
      for (const seed of [1, 2, 3]) {
        await expectPagingUnderChurn(new MemoryPresenceStore(), { room: '/#crowd', members: 300, pageSize: 7, changesPerPage: 3, seed });
      }
    });

    it('refuse a cursor they did not hand out', async () => {
      await expectMalformedCursorsRefused(new MemoryPresenceStore(), '/#r');
    });

    it('of a store without its own page() come from list(), cut by position, with the same cursor checks', async () => {
      const store = new MemoryPresenceStore();
      const byList = (cursor: string | undefined, limit: number) => PresenceStore.prototype.page.call(store, '/#r', cursor, limit);
      for (const user of ['a', 'b', 'c']) await store.join(entry('/#r', user, `${user}-1`));
      const first = await byList(undefined, 2);
      expect(first.users.map((user) => user.userId)).toEqual(['a', 'b']);
      expect((await byList(first.next!, 2)).users.map((user) => user.userId)).toEqual(['c']);
      expect((await byList(first.next!, 2)).next).toBeNull();
      await expect(byList('-1', 2)).rejects.toBeInstanceOf(InvalidPresenceCursorError);
    });
  });
});
