import { expect } from 'vitest';
import type { BigRoomBand } from '../../src/presence/presence-mode.js';
import type { PresenceEntry, PresenceStore } from '../../src/presence/presence.store.js';

/** The band the store under `expectBigRoomState` must have been built with: big above 3 users, small again at 1. */
export const SMALL_BAND: BigRoomBand = { bigRoomUsers: 3, bigRoomExitUsers: 1 };

const entry = (room: string, userId: string, connectionId: string): PresenceEntry => ({ room, userId, meta: { connectionId, joinedAt: 1 } });

/**
 * The big-room state every built-in store keeps with a room (built with `SMALL_BAND`): set by the
 * join that takes the room above 3 users, kept while it hovers between 1 and 3, cleared by the
 * leave that takes it to 1, and gone with the room once it is empty. Only users count: a second
 * device changes nothing.
 */
export async function expectBigRoomState(store: PresenceStore, room: string): Promise<void> {
  const count = async () => await store.count(room);
  for (const user of ['a', 'b', 'c']) await store.join(entry(room, user, `${user}-1`));
  expect(await count()).toEqual({ users: 3, connections: 3 });
  await store.join(entry(room, 'c', 'c-2')); // a device, not a user
  expect(await count()).toEqual({ users: 3, connections: 4 });

  await store.join(entry(room, 'd', 'd-1'));
  expect(await count()).toEqual({ users: 4, connections: 5, big: true });
  // Hovering in the band: big all along.
  await store.leave(room, 'd', 'd-1');
  expect(await count()).toEqual({ users: 3, connections: 4, big: true });
  await store.join(entry(room, 'd', 'd-2'));
  await store.leave(room, 'd', 'd-2');
  await store.leave(room, 'c', 'c-1');
  expect(await count()).toEqual({ users: 3, connections: 3, big: true }); // c is still there, on c-2
  await store.leave(room, 'c', 'c-2');
  expect(await count()).toEqual({ users: 2, connections: 2, big: true });

  // Down to bigRoomExitUsers: small again, and it stays small back up to bigRoomUsers.
  await store.leave(room, 'b', 'b-1');
  expect(await count()).toEqual({ users: 1, connections: 1 });
  for (const user of ['b', 'c']) await store.join(entry(room, user, `${user}-3`));
  expect(await count()).toEqual({ users: 3, connections: 3 });

  // An emptied room forgets it was big.
  await store.join(entry(room, 'd', 'd-3'));
  expect(await count()).toEqual({ users: 4, connections: 4, big: true });
  for (const [user, connection] of [['a', 'a-1'], ['b', 'b-3'], ['c', 'c-3'], ['d', 'd-3']] as const) await store.leave(room, user, connection);
  expect(await count()).toEqual({ users: 0, connections: 0 });
  await store.join(entry(room, 'a', 'a-4'));
  expect(await count()).toEqual({ users: 1, connections: 1 });
  await store.leave(room, 'a', 'a-4');
}
