import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { RealtimeClient, type PresenceMode, type RealtimeRoom } from '../src/index.js';
import type { ChatContract } from './support/chat.contract.js';
import { seen, startServer, token } from './support/server.js';
import { record, when } from './support/wait.js';

// A room of 6 members hovering at bigRoomUsers (6): one more user comes and goes, again and again.
// Every switch back to `full` makes each member read the whole room again, page by page: the
// herd big rooms exist to prevent. Between bigRoomExitUsers (4) and 6 a room keeps its mode.
const BIG_ROOM_USERS = 6;
const BIG_ROOM_EXIT_USERS = 4;
const PAGE_SIZE = 2;

let server: RealtimeTestingApp;
const clients: RealtimeClient<ChatContract>[] = [];
beforeAll(async () => {
  server = await startServer({
    presence: { bigRoomUsers: BIG_ROOM_USERS, bigRoomExitUsers: BIG_ROOM_EXIT_USERS, pageSize: PAGE_SIZE, diffWindowMs: 20, countsWindowMs: 20 },
  });
});
afterAll(() => server?.close());
afterEach(() => {
  for (const client of clients.splice(0)) client.close();
});

const joinAs = (userId: string, room: string): RealtimeRoom => {
  const client = new RealtimeClient<ChatContract>({ url: server.url, namespace: '/chat', getToken: () => token(userId), socket: { transports: ['websocket'] } });
  clients.push(client);
  return client.room(room);
};

/** Resolves once every room sees `users` users in `mode` and, in `full` mode, has read all of them (its paging is over). */
const settledAt = (rooms: RealtimeRoom[], users: number, mode: PresenceMode) =>
  Promise.all(
    rooms.map((room) =>
      when(
        (listener: (changed: unknown) => void) => {
          // Checked whenever the count, the mode or the list changes.
          const stops = [room.count.subscribe(listener), room.mode.subscribe(listener), room.users.subscribe(listener)];
          return () => stops.forEach((stop) => stop());
        },
        () => room.count.getSnapshot().users === users && room.mode.getSnapshot() === mode && (mode === 'counts' || room.users.getSnapshot().length === users),
      ),
    ),
  );

describe('a big room hovering at bigRoomUsers', () => {
  it('switches to counts once, not at every crossing, and its members read the room again only once it is back at bigRoomExitUsers', async () => {
    const members: RealtimeRoom[] = [];
    for (let i = 0; i < BIG_ROOM_USERS; i++) {
      const room = joinAs(`member${i}`, 'stage');
      await room.joined;
      members.push(room);
    }
    await settledAt(members, BIG_ROOM_USERS, 'full');
    const modes = members.map((room) => record<PresenceMode>(room.mode.subscribe));
    const pagesBefore = seen.presencePages;

    for (let cycle = 0; cycle < 5; cycle++) {
      const visitor = joinAs('visitor', 'stage');
      await visitor.joined;
      await settledAt(members, BIG_ROOM_USERS + 1, 'counts');
      await visitor.leave();
      await settledAt(members, BIG_ROOM_USERS, 'counts');
    }
    expect(seen.presencePages - pagesBefore).toBe(0);
    expect(modes.map((history) => history.join(' → '))).toEqual(members.map(() => 'full → counts'));

    // Down to bigRoomExitUsers: full again, and each member left reads the room once.
    for (let users = BIG_ROOM_USERS - 1; users >= BIG_ROOM_EXIT_USERS; users--) {
      await members.pop()!.leave();
      await settledAt(members, users, users > BIG_ROOM_EXIT_USERS ? 'counts' : 'full');
    }
    expect(seen.presencePages - pagesBefore).toBe(BIG_ROOM_EXIT_USERS * Math.ceil(BIG_ROOM_EXIT_USERS / PAGE_SIZE));
    expect(modes.slice(0, BIG_ROOM_EXIT_USERS).map((history) => history.join(' → '))).toEqual(members.map(() => 'full → counts → full'));
    expect(members.map((room) => room.users.getSnapshot().length)).toEqual(members.map(() => BIG_ROOM_EXIT_USERS));
  });
});
