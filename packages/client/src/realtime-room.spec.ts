import { describe, expect, it } from 'vitest';
import type { PresenceCount, PresenceDiffEvent, PresenceMode, PresencePage, PresenceUser } from './protocol.js';
import { RealtimeError } from './realtime-error.js';
import { RealtimeRoom, type RoomOptions, type RoomTransport } from './realtime-room.js';

const user = (userId: string, ...connections: string[]): PresenceUser => ({
  userId,
  metas: (connections.length ? connections : [`${userId}-1`]).map((connectionId) => ({ connectionId, joinedAt: 1 })),
});
const gone = (userId: string): PresenceUser => ({ userId, metas: [] });
const ids = (users: readonly PresenceUser[]) => users.map((u) => u.userId);

function page(users: PresenceUser[], next: string | null = null, count: PresenceCount = { users: 10, connections: 10 }, mode: PresenceMode = 'full'): PresencePage & { status: 'ok' } {
  return { status: 'ok', room: 'lobby', users, count, mode, next };
}

function diff(changes: Partial<Pick<PresenceDiffEvent, 'joined' | 'left' | 'updated'>>, count: PresenceCount, mode: PresenceMode = 'full'): PresenceDiffEvent {
  return { room: 'lobby', joined: [], left: [], updated: [], ...changes, count, mode };
}

/** Every continuation of the promises settled so far has run (a macrotask after them: no timed wait). */
const drained = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A transport whose requests wait until the test answers them, in any order. */
function fakeServer() {
  const pending: { event: string; payload: any; resolve: (value: unknown) => void; reject: (error: unknown) => void }[] = [];
  const sent: { event: string; payload: any }[] = [];
  const reported: RealtimeError[] = [];
  let forgotten = false;
  const transport: RoomTransport = {
    call: (event, payload) =>
      new Promise((resolve, reject) => {
        sent.push({ event, payload });
        pending.push({ event, payload, resolve, reject });
      }),
    forget: () => void (forgotten = true),
    report: (error) => void reported.push(error),
  };
  const take = (event: string) => {
    const index = pending.findIndex((call) => call.event === event);
    if (index < 0) throw new Error(`no ${event} waits for an answer`);
    return pending.splice(index, 1)[0]!;
  };
  return {
    transport,
    sent,
    reported,
    isForgotten: () => forgotten,
    /** The requests still waiting, as `event` or `event:cursor`. */
    waiting: () => pending.map(({ event, payload }) => (payload?.cursor === undefined ? event : `${event}:${payload.cursor}`)),
    /** Answers the oldest `event` still waiting, and lets the room handle it. */
    async answer(event: string, reply: unknown): Promise<void> {
      take(event).resolve(reply);
      await drained();
    },
    async fail(event: string, error: RealtimeError): Promise<void> {
      take(event).reject(error);
      await drained();
    },
  };
}

/** A room with a fake server, and what it told its listeners. */
function lobby(options?: RoomOptions) {
  const server = fakeServer();
  const room = new RealtimeRoom('lobby', undefined, server.transport, options);
  const told: string[] = [];
  room.onJoin((u) => told.push(`+${u.userId}`));
  room.onLeave((u) => told.push(`-${u.userId}`));
  room.onUpdate((u) => told.push(`~${u.userId}`));
  const users = () => room.users.getSnapshot();
  return { server, room, told, users };
}

const lost = () => new RealtimeError('DISCONNECTED', 'lost');

describe('RealtimeRoom', () => {
  it('settles `joined` with the join that succeeds after one lost with its connection', async () => {
    const { server, room } = lobby();
    void room.join();
    await server.fail('joinRoom', lost()); // the client joins again on its next connect
    void room.join();
    await server.answer('joinRoom', { status: 'ok', users: [user('ada')] });
    expect(await room.joined).toEqual([user('ada')]);
  });

  it('clears its users and calls onLeave for each when a rejoin is refused', async () => {
    const { server, room, told, users } = lobby();
    void room.join();
    await server.answer('joinRoom', page([user('ada'), user('bob')], null, { users: 2, connections: 2 }));
    const refused: RealtimeError[] = [];
    room.onRefused((e) => refused.push(e));
    const refusal = new RealtimeError('FORBIDDEN', 'no longer', { reason: 'banned' }, 'joinRoom');
    void room.join();
    await server.fail('joinRoom', refusal);
    expect(users()).toEqual([]);
    expect(room.count.getSnapshot()).toEqual({ users: 0, connections: 0 });
    expect(told).toEqual(['+ada', '+bob', '-ada', '-bob']);
    expect(refused).toEqual([refusal]);
    expect(server.isForgotten()).toBe(true);
  });

  it('rejects `joined` with the refusal of the first join', async () => {
    const { server, room } = lobby();
    void room.join();
    await server.fail('joinRoom', new RealtimeError('FORBIDDEN', 'too many', { reason: 'too_many_rooms' }, 'joinRoom'));
    await expect(room.joined).rejects.toMatchObject({ code: 'FORBIDDEN', reason: 'too_many_rooms' });
  });

  it('publishes its users and count only when they change', async () => {
    const { server, room } = lobby();
    const published: PresenceUser[][] = [];
    const counts: PresenceCount[] = [];
    room.users.subscribe((users) => published.push(users));
    room.count.subscribe((count) => counts.push(count));
    void room.join();
    await server.answer('joinRoom', page([user('ada')], null, { users: 1, connections: 1 }));
    // The server's diff with the joiner in it: nothing new.
    room.receiveDiff(diff({ joined: [user('ada')] }, { users: 1, connections: 1 }));
    expect(published).toEqual([[], [user('ada')]]);
    expect(counts).toEqual([
      { users: 0, connections: 0 },
      { users: 1, connections: 1 },
    ]);
  });

  describe('with a server older than pages (an answer of users only)', () => {
    it('takes the answer as the whole room, counts it, and follows per-event changes', async () => {
      const { server, room, told, users } = lobby();
      void room.join();
      await server.answer('joinRoom', { status: 'ok', room: 'lobby', users: [user('ada', 'a1', 'a2'), user('bob')] });
      expect(await room.joined).toEqual([user('ada', 'a1', 'a2'), user('bob')]);
      expect(room.mode.getSnapshot()).toBe('full');
      expect(room.count.getSnapshot()).toEqual({ users: 2, connections: 3 });
      expect(server.waiting()).toEqual([]);
      room.receive('join', user('cy'));
      room.receive('update', user('ada', 'a1'));
      room.receive('leave', gone('bob'));
      expect(ids(users())).toEqual(['ada', 'cy']);
      expect(room.count.getSnapshot()).toEqual({ users: 2, connections: 2 });
      expect(told).toEqual(['+ada', '+bob', '+cy', '~ada', '-bob']);
    });

    it('rebuilds after a reconnect: who left meanwhile leaves, who stayed is not joined again', async () => {
      const { server, room, told } = lobby();
      void room.join();
      await server.answer('joinRoom', { status: 'ok', users: [user('ada'), user('bob')] });
      void room.join();
      await server.answer('joinRoom', { status: 'ok', users: [user('ada'), user('cy')] });
      expect(told).toEqual(['+ada', '+bob', '+cy', '-bob']);
    });
  });

  describe('full mode, page by page', () => {
    it('resolves `joined` with the first page, then fetches the others until `next` is null', async () => {
      const { server, room, told, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada'), user('bob')], 'c2', { users: 5, connections: 6 }));
      expect(await room.joined).toEqual([user('ada'), user('bob')]);
      expect(server.waiting()).toEqual(['roomPresence:c2']);
      expect(server.sent.at(-1)).toEqual({ event: 'roomPresence', payload: { room: 'lobby', cursor: 'c2' } });
      await server.answer('roomPresence', page([user('cy'), user('dee')], 'c4', { users: 5, connections: 6 }));
      await server.answer('roomPresence', page([user('eve', 'e1', 'e2')], null, { users: 5, connections: 6 }));
      expect(ids(users())).toEqual(['ada', 'bob', 'cy', 'dee', 'eve']);
      expect(told).toEqual(['+ada', '+bob', '+cy', '+dee', '+eve']);
      expect(room.count.getSnapshot()).toEqual({ users: 5, connections: 6 });
      expect(server.waiting()).toEqual([]);
    });

    it('keeps a user found on two pages once, with the later entry', async () => {
      const { server, told, users, room } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada'), user('bob', 'b1')], 'c2'));
      // bob left and came back with another connection between the two reads.
      await server.answer('roomPresence', page([user('cy'), user('bob', 'b2')], null));
      expect(users()).toEqual([user('ada'), user('bob', 'b2'), user('cy')]);
      expect(told).toEqual(['+ada', '+bob', '+cy', '~bob']);
    });

    it('applies a diff that comes before the join\'s answer, which does not undo it', async () => {
      const { server, room, users } = lobby();
      void room.join();
      // The server joined us, a window closed and its diff overtook the answer (read before it).
      room.receiveDiff(diff({ joined: [user('cy')], updated: [user('ada', 'a1', 'a2')] }, { users: 3, connections: 4 }));
      await server.answer('joinRoom', page([user('ada', 'a1'), user('bob')], null, { users: 2, connections: 2 }));
      expect(users()).toEqual([user('cy'), user('ada', 'a1', 'a2'), user('bob')]);
      expect(await room.joined).toEqual(users());
    });

    it('does not re-add a user who left by a diff while their page was on its way', async () => {
      const { server, room, told, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada'), user('bob')], 'c2'));
      // A diff about users of the page fetched (cy, dee), of one listed already (ada) and of a newcomer (fay).
      room.receiveDiff(diff({ left: [gone('cy'), gone('ada')], updated: [user('dee', 'd1', 'd2')], joined: [user('fay')] }, { users: 4, connections: 5 }));
      await server.answer('roomPresence', page([user('cy'), user('dee', 'd1'), user('eve')], null, { users: 5, connections: 5 }));
      expect(users()).toEqual([user('bob'), user('fay'), user('dee', 'd1', 'd2'), user('eve')]);
      expect(told).toEqual(['+ada', '+bob', '-ada', '+fay', '+dee', '+eve']);
    });

    it('lets a user who left and came back during the paging in, by the diff that tells', async () => {
      const { server, room, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada'), user('bob')], 'c2'));
      room.receiveDiff(diff({ left: [gone('bob')] }, { users: 1, connections: 1 }));
      await server.answer('roomPresence', page([user('bob', 'b2')], 'c3')); // read after bob came back
      expect(ids(users())).toEqual(['ada']);
      room.receiveDiff(diff({ joined: [user('bob', 'b2')] }, { users: 2, connections: 2 }));
      await server.answer('roomPresence', page([], null));
      expect(users()).toEqual([user('ada'), user('bob', 'b2')]);
    });

    it('still follows per-event changes (diffWindowMs: 0) during the paging, and counts them', async () => {
      const { server, room, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada'), user('bob')], 'c2', { users: 3, connections: 3 }));
      room.receive('leave', gone('cy')); // cy is on the page on its way
      room.receive('join', user('dee'));
      room.receive('update', user('ada', 'a1', 'a2'));
      expect(room.count.getSnapshot()).toEqual({ users: 3, connections: 4 });
      await server.answer('roomPresence', page([user('cy'), user('dee')], null, { users: 3, connections: 4 }));
      expect(users()).toEqual([user('ada', 'a1', 'a2'), user('bob'), user('dee')]);
    });

    it('starts over on a reconnect mid-paging: the old pages are dropped, who left meanwhile leaves', async () => {
      const { server, room, told, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada'), user('bob')], 'c2'));
      await server.answer('roomPresence', page([user('cy')], 'c3'));
      // The connection drops with page c3 on its way; the reconnect joins again.
      void room.join();
      await server.answer('roomPresence', page([user('zed')], null)); // the old page, answered late: dropped
      expect(ids(users())).toEqual(['ada', 'bob', 'cy']);
      await server.answer('joinRoom', page([user('ada')], 'n2'));
      await server.answer('roomPresence', page([user('cy')], null));
      expect(ids(users())).toEqual(['ada', 'cy']);
      expect(told).toEqual(['+ada', '+bob', '+cy', '-bob']);
    });

    it('stops on a lost page without reporting it, and reports any other failure', async () => {
      const { server, room, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada')], 'c2'));
      await server.fail('roomPresence', lost());
      expect(server.reported).toEqual([]);
      void room.join();
      await server.answer('joinRoom', page([user('ada')], 'n2'));
      const refusal = new RealtimeError('RATE_LIMITED', 'slow down', { retryAfterMs: 100 }, 'roomPresence');
      await server.fail('roomPresence', refusal);
      expect(server.reported).toEqual([refusal]);
      expect(server.waiting()).toEqual([]);
      expect(ids(users())).toEqual(['ada']);
    });

    it('drops the pages still to come when the room is left', async () => {
      const { server, room, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada')], 'c2'));
      void room.leave();
      await server.answer('roomPresence', page([user('bob')], null));
      room.receiveDiff(diff({ joined: [user('cy')] }, { users: 3, connections: 3 }));
      expect(users()).toEqual([]);
      expect(room.count.getSnapshot()).toEqual({ users: 0, connections: 0 });
    });
  });

  describe('counts mode (a big room)', () => {
    const big = { users: 500, connections: 700 };

    it('keeps the count and no users; the diffs carry the count', async () => {
      const { server, room, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([], 'c1', big, 'counts'));
      expect(await room.joined).toEqual([]);
      expect(room.mode.getSnapshot()).toBe('counts');
      expect(room.count.getSnapshot()).toEqual(big);
      expect(server.waiting()).toEqual([]); // no page is fetched
      room.receiveDiff(diff({}, { users: 501, connections: 702 }, 'counts'));
      expect(room.count.getSnapshot()).toEqual({ users: 501, connections: 702 });
      expect(users()).toEqual([]);
    });

    it('asks for the events with presenceEvents, and keeps the users they name', async () => {
      const { server, room, told, users } = lobby({ presenceEvents: true });
      void room.join();
      expect(server.sent[0]).toEqual({ event: 'joinRoom', payload: { room: 'lobby', presenceEvents: true } });
      // A diff before the answer names cy: kept, as the following diffs keep cy up to date.
      room.receiveDiff(diff({ joined: [user('cy')] }, big, 'counts'));
      await server.answer('joinRoom', page([], 'c1', big, 'counts'));
      room.receiveDiff(diff({ joined: [user('ada')], updated: [user('bob')] }, big, 'counts'));
      room.receiveDiff(diff({ left: [gone('ada'), gone('zed')] }, big, 'counts'));
      room.receive('update', user('cy', 'c1', 'c2')); // diffWindowMs: 0 sends events to subscribers
      expect(users()).toEqual([user('cy', 'c1', 'c2'), user('bob')]);
      expect(told).toEqual(['+cy', '+ada', '+bob', '-ada', '~cy']);
    });

    it('does not ask for the events without presenceEvents, and keeps no one a diff named before the answer', async () => {
      const { server, room, users } = lobby();
      void room.join();
      expect(server.sent[0]).toEqual({ event: 'joinRoom', payload: { room: 'lobby' } });
      room.receiveDiff(diff({ joined: [user('cy')] }, { users: 200, connections: 200 })); // the last window in full mode
      await server.answer('joinRoom', page([], 'c1', big, 'counts'));
      expect(users()).toEqual([]);
    });

    it('fetches the pages again from the first when the room is no longer big', async () => {
      const { server, room, told, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([], 'c1', big, 'counts'));
      room.receiveDiff(diff({ joined: [user('ada')] }, { users: 200, connections: 200 }, 'full'));
      expect(room.mode.getSnapshot()).toBe('full');
      expect(server.sent.at(-1)).toEqual({ event: 'roomPresence', payload: { room: 'lobby' } });
      await server.answer('roomPresence', page([user('ada'), user('cy')], 'c2', { users: 200, connections: 200 }));
      await server.answer('roomPresence', page([user('dee')], null, { users: 200, connections: 200 }));
      expect(ids(users())).toEqual(['ada', 'cy', 'dee']);
      expect(told).toEqual(['+ada', '+cy', '+dee']);
    });

    it('drops the list, and the pages on their way, when the room becomes big mid-paging', async () => {
      const { server, room, told, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada'), user('bob')], 'c2', { users: 200, connections: 200 }));
      room.receiveDiff(diff({}, { users: 201, connections: 201 }, 'counts'));
      expect(room.mode.getSnapshot()).toBe('counts');
      expect(users()).toEqual([]);
      expect(told).toEqual(['+ada', '+bob', '-ada', '-bob']);
      await server.answer('roomPresence', page([user('cy')], null, { users: 201, connections: 201 }));
      expect(users()).toEqual([]);
      expect(room.count.getSnapshot()).toEqual({ users: 201, connections: 201 });
    });

    it('drops the list when a page says the room became big', async () => {
      const { server, room, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([user('ada')], 'c2', { users: 200, connections: 200 }));
      await server.answer('roomPresence', page([user('bob')], 'c3', big, 'counts'));
      expect(room.mode.getSnapshot()).toBe('counts');
      expect(users()).toEqual([]);
      expect(server.waiting()).toEqual([]);
    });

    it('follows a room that goes big and back before a page comes: only the last paging counts', async () => {
      const { server, room, users } = lobby();
      void room.join();
      await server.answer('joinRoom', page([], 'c1', big, 'counts'));
      room.receiveDiff(diff({}, { users: 200, connections: 200 }, 'full'));
      room.receiveDiff(diff({}, big, 'counts'));
      room.receiveDiff(diff({}, { users: 200, connections: 200 }, 'full'));
      expect(server.waiting()).toEqual(['roomPresence', 'roomPresence']);
      await server.answer('roomPresence', page([user('old')], null)); // of the paging dropped
      expect(users()).toEqual([]);
      await server.answer('roomPresence', page([user('ada')], null));
      expect(ids(users())).toEqual(['ada']);
    });

    it('waits for the join\'s answer to switch modes: a diff before it does not start a paging', async () => {
      const { server, room } = lobby();
      void room.join();
      await server.answer('joinRoom', page([], 'c1', big, 'counts'));
      void room.join(); // a reconnect
      room.receiveDiff(diff({}, { users: 200, connections: 200 }, 'full'));
      expect(server.waiting()).toEqual(['joinRoom']);
      await server.answer('joinRoom', page([user('ada')], null, { users: 200, connections: 200 }));
      expect(room.mode.getSnapshot()).toBe('full');
      expect(server.waiting()).toEqual([]);
    });
  });
});
