import { expect } from 'vitest';
import { InvalidPresenceCursorError, type PresenceEntry, type PresenceStore } from '../../src/presence/presence.store.js';
import { FuzzRng } from '../../src/testing/fuzz-rng.js';

/**
 * The page contract every built-in presence store keeps, checked the same way on each: users in
 * the order of their first join, a cursor that survives joins and leaves, and a user present for
 * the whole paging returned exactly once.
 */

const entry = (room: string, userId: string, connectionId: string, joinedAt = 1): PresenceEntry => ({ room, userId, meta: { connectionId, joinedAt } });
const ids = (page: { users: { userId: string }[] }) => page.users.map((user) => user.userId);

/** A small room paged two by two while users come, go, come back and add a device. */
export async function expectPagesInFirstJoinOrder(store: PresenceStore, room: string): Promise<void> {
  for (const user of ['a', 'b', 'c', 'd', 'e']) await store.join(entry(room, user, `${user}-1`));

  const first = await store.page(room, undefined, 2);
  expect(ids(first)).toEqual(['a', 'b']);
  await store.leave(room, 'b', 'b-1');
  await store.join(entry(room, 'f', 'f-1'));
  await store.join(entry(room, 'c', 'c-2', 2)); // a second device does not move c

  const second = await store.page(room, first.next!, 2);
  expect(ids(second)).toEqual(['c', 'd']);
  expect(second.users[0]!.metas.map((meta) => meta.connectionId)).toEqual(['c-1', 'c-2']);
  await store.leave(room, 'a', 'a-1');
  await store.join(entry(room, 'a', 'a-2')); // back: after everyone, once more

  const third = await store.page(room, second.next!, 2);
  expect(ids(third)).toEqual(['e', 'f']);
  // Exactly a page's worth left: the last page says so.
  expect(await store.page(room, third.next!, 1)).toEqual({ users: [{ userId: 'a', metas: [{ connectionId: 'a-2', joinedAt: 1 }] }], next: null });
  expect(ids(await store.page(room, undefined, 10))).toEqual(['c', 'd', 'e', 'f', 'a']);
  expect(ids({ users: await store.list(room) })).toEqual(['c', 'd', 'e', 'f', 'a']);
  expect(await store.page('nobody-here', undefined, 10)).toEqual({ users: [], next: null });
}

/** Cursors no store hands out: each is refused as such, not read as some position. */
export const MALFORMED_CURSORS = ['', 'abc', '-1', '1.5', '01', ' 1', '1e3', '0x10', '9'.repeat(16), '{"$gt":0}'];

export async function expectMalformedCursorsRefused(store: PresenceStore, room: string): Promise<void> {
  await store.join(entry(room, 'ada', 'ada-1'));
  for (const cursor of MALFORMED_CURSORS) {
    await expect(store.page(room, cursor, 10), JSON.stringify(cursor)).rejects.toBeInstanceOf(InvalidPresenceCursorError);
  }
}

export interface ChurnOptions {
  room: string;
  /** Users in the room when paging starts. */
  members: number;
  pageSize: number;
  /** Joins, leaves, re-joins and extra devices sent along with each page request. */
  changesPerPage: number;
  seed: number;
}

/**
 * Fills a room, then pages through it while, along with each page request (not awaited before
 * it), users join, leave, come back, and open and close second devices. Checks that each user
 * present throughout comes exactly once and in join order, that a user comes twice only after
 * leaving and joining again, and that the counts agree at the end.
 */
export async function expectPagingUnderChurn(store: PresenceStore, { room, members, pageSize, changesPerPage, seed }: ChurnOptions): Promise<void> {
  const rng = new FuzzRng(seed);
  const initial = Array.from({ length: members }, (_, i) => `u${i}`);
  await Promise.all(initial.map((userId) => store.join(entry(room, userId, `${userId}-1`))));

  // userId → their connection ids now; users touched by a leave are not present throughout.
  const present = new Map(initial.map((userId) => [userId, [`${userId}-1`]]));
  const leftOnce = new Set<string>();
  const gone: string[] = [];
  let fresh = 0;
  let device = 0;

  /** One random change, applied to the expected state at once and to the store by the returned promise. */
  const change = (): Promise<unknown> => {
    const roll = rng.next();
    const userIds = [...present.keys()];
    if (roll < 0.25) {
      const userId = `new${fresh++}`;
      present.set(userId, [`${userId}-1`]);
      return store.join(entry(room, userId, `${userId}-1`));
    }
    if (roll < 0.5 && userIds.length > 0) {
      const userId = rng.pick(userIds);
      const connections = present.get(userId)!;
      present.delete(userId);
      leftOnce.add(userId);
      gone.push(userId);
      return Promise.all(connections.map((connectionId) => store.leave(room, userId, connectionId)));
    }
    if (roll < 0.65 && gone.length > 0) {
      const userId = gone.splice(rng.int(gone.length), 1)[0]!;
      const connectionId = `${userId}-back${device++}`;
      present.set(userId, [connectionId]);
      return store.join(entry(room, userId, connectionId));
    }
    // A present user's second device comes, or goes: either way the user stays.
    const userId = rng.pick(userIds);
    const connections = present.get(userId)!;
    if (connections.length > 1) return store.leave(room, userId, connections.pop()!);
    const connectionId = `${userId}-d${device++}`;
    connections.push(connectionId);
    return store.join(entry(room, userId, connectionId, 2));
  };

  const returned: string[] = [];
  let cursor: string | undefined;
  let pages = 0;
  do {
    const changes = Array.from({ length: changesPerPage }, change);
    const [page] = await Promise.all([store.page(room, cursor, pageSize), ...changes]);
    expect(page.users.length).toBeLessThanOrEqual(pageSize);
    returned.push(...ids(page));
    cursor = page.next ?? undefined;
    pages++;
    expect(pages, 'paging ends').toBeLessThan(10 * (members / pageSize + 10));
  } while (cursor !== undefined);

  const throughout = initial.filter((userId) => !leftOnce.has(userId));
  expect(throughout.length).toBeGreaterThan(members / 2); // the check checks something
  const times = new Map<string, number>();
  for (const userId of returned) times.set(userId, (times.get(userId) ?? 0) + 1);
  expect(throughout.filter((userId) => times.get(userId) !== 1)).toEqual([]);
  const seenInOrder = returned.filter((userId) => throughout.includes(userId));
  expect(seenInOrder).toEqual(throughout);
  expect([...times].filter(([userId, count]) => count > 1 && !leftOnce.has(userId))).toEqual([]);

  const connections = [...present.values()].reduce((sum, list) => sum + list.length, 0);
  // The room may be big by now (its state is not what this checks).
  const { users, connections: counted } = await store.count(room);
  expect({ users, connections: counted }).toEqual({ users: present.size, connections });
}
