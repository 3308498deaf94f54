import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule, type PresenceDiff, type PresencePage, type PresenceStoreKind, type PresenceUser, type RealtimePresenceOptions } from '../../src/index.js';
import { PRESENCE_CLOCK } from '../../src/presence/presence-clock.js';
import { createRealtimeTestingApp, redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, until } from '../support/cluster.js';
import { ManualClock } from '../support/manual-clock.js';
import { ChatRoomsGateway, StageRoomsGateway } from '../support/presence-gateways.js';
import { SECRET, sign } from '../support/tokens.js';

let redis: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(() => redis?.stop());

type JoinAck = { status: 'ok' } & PresencePage;
type ErrorAck = { status: 'error'; code: string; details?: Record<string, unknown> };

/** An app whose diff windows close when `clock` is advanced (50 ms each unless `presence` says otherwise). */
const boot = (presence: RealtimePresenceOptions, { clock, store = 'memory', keyPrefix }: { clock?: ManualClock; store?: PresenceStoreKind; keyPrefix?: string } = {}) =>
  createRealtimeTestingApp(
    {
      imports: [
        RealtimeModule.forRoot({
          auth: { secret: SECRET },
          ...(store === 'redis' ? { redis: { url: redis.url, keyPrefix: keyPrefix ?? `diffs-${Date.now()}` } } : {}),
          presence: { store, ttlMs: 3000, ...presence },
        }),
      ],
      providers: [ChatRoomsGateway, StageRoomsGateway],
    },
    clock ? { overrides: (builder) => builder.overrideProvider(PRESENCE_CLOCK).useValue(clock) } : {},
  );

const connectAs = (rt: RealtimeTestingApp, sub: string, namespace = 'chat') => rt.connect({ namespace, auth: { token: sign({ sub }) } });
const join = (socket: Socket, room: string, extra: Record<string, unknown> = {}) => socket.emitWithAck('joinRoom', { room, ...extra }) as Promise<JoinAck>;
const page = (socket: Socket, room: string, cursor?: unknown) => socket.emitWithAck('roomPresence', { room, cursor }) as Promise<JoinAck | ErrorAck>;
/** Waits until the server has processed what `socket` sent before, and sent what it emitted to it before. */
const roundTrip = (socket: Socket) => socket.emitWithAck('whoami');
const ids = (users: PresenceUser[]) => users.map((user) => user.userId);

describe.each(['memory', 'redis'] as PresenceStoreKind[])('pages of a room (%s store)', (store) => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({ pageSize: 3 }, { store, keyPrefix: `pages-${Date.now()}` });
  });
  afterAll(() => rt?.close());

  it('a join answers with one page and the count; following next yields every user exactly once, oldest first', async () => {
    const users = Array.from({ length: 8 }, (_, i) => `p${i}`);
    const sockets: Socket[] = [];
    for (const [i, userId] of users.entries()) {
      const socket = await connectAs(rt, userId);
      sockets.push(socket);
      const state = new Promise<PresencePage>((resolve) => socket.once('presence:state', resolve));
      const ack = await join(socket, 'paged');
      expect(ack).toMatchObject({ status: 'ok', room: 'paged', mode: 'full', count: { users: i + 1, connections: i + 1 } });
      expect(ids(ack.users)).toEqual(users.slice(0, Math.min(i + 1, 3)));
      expect(ack.next === null).toBe(i + 1 <= 3);
      const { status: _status, ...sent } = ack;
      expect(await state).toEqual(sent);
    }

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let pages = 0; ; pages++) {
      expect(pages).toBeLessThan(8);
      const answer = (await page(sockets[7]!, 'paged', cursor)) as JoinAck;
      expect(answer).toMatchObject({ status: 'ok', room: 'paged', mode: 'full', count: { users: 8, connections: 8 } });
      expect(answer.users.length).toBeLessThanOrEqual(3);
      seen.push(...ids(answer.users));
      if (answer.next === null) break;
      cursor = answer.next;
    }
    expect(seen).toEqual(users);
  });

  it('refuses a cursor that is no string, too long, or none the store handed out, with BAD_REQUEST on field cursor', async () => {
    const socket = await connectAs(rt, 'cursor-tester');
    await join(socket, 'cursors');
    for (const cursor of [42, null, { after: 1 }, 'x'.repeat(129), 'not-a-cursor', '-5']) {
      expect(await page(socket, 'cursors', cursor), JSON.stringify(cursor)).toMatchObject({ status: 'error', code: 'BAD_REQUEST', details: { field: 'cursor' } });
    }
    expect(await page(socket, 'cursors')).toMatchObject({ status: 'ok', users: [{ userId: 'cursor-tester' }], next: null });
  });
});

describe('presence:diff: one per room per window, netted per user', () => {
  const clock = new ManualClock();
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({}, { clock });
  });
  afterAll(() => rt?.close());

  /** Closes every open window; the diffs then follow once the store has been read. */
  const closeWindows = () => clock.advance(50);

  it('a burst of joins inside one window reaches the room as one presence:diff with the count', async () => {
    const watcher = await connectAs(rt, 'watcher');
    const diffs = collect<PresenceDiff>(watcher, 'presence:diff');
    await join(watcher, 'burst');
    closeWindows();
    await until(() => diffs.length === 1, 3000, "the watcher's own join");
    expect(diffs[0]).toEqual({
      room: 'burst',
      joined: [{ userId: 'watcher', metas: [expect.objectContaining({ connectionId: watcher.id })] }],
      left: [],
      updated: [],
      count: { users: 1, connections: 1 },
      mode: 'full',
    });

    const joiners = await Promise.all(['j1', 'j2', 'j3', 'j4', 'j5'].map((id) => connectAs(rt, id)));
    for (const joiner of joiners) await join(joiner, 'burst');
    await roundTrip(watcher);
    expect(diffs).toHaveLength(1); // the window is still open
    expect(clock.pending).toBe(1); // one window for the room, however many joins

    closeWindows();
    await until(() => diffs.length === 2, 3000, 'the diff of the burst');
    expect(diffs[1]).toMatchObject({ room: 'burst', left: [], updated: [], count: { users: 6, connections: 6 }, mode: 'full' });
    expect(ids(diffs[1]!.joined)).toEqual(['j1', 'j2', 'j3', 'j4', 'j5']);
    await roundTrip(watcher);
    expect(diffs).toHaveLength(2);
    expect(clock.pending).toBe(0);
  });

  it("sends each user's net change of the window: came and went = nothing, went and came back = updated, another tab = updated, gone = left", async () => {
    const watcher = await connectAs(rt, 'watcher2');
    const [sam, tia, ulf] = await Promise.all(['sam', 'tia', 'ulf'].map((id) => connectAs(rt, id)));
    const diffs = collect<PresenceDiff>(watcher, 'presence:diff');
    for (const socket of [watcher, sam!, tia!, ulf!]) await join(socket, 'netting');
    closeWindows();
    await until(() => diffs.length === 1, 3000, 'the first joins');

    // One window: kim joins and leaves; sam leaves and joins again; tia opens a second tab; ulf leaves.
    const kim = await connectAs(rt, 'kim');
    await join(kim, 'netting');
    await kim.emitWithAck('leaveRoom', { room: 'netting' });
    await sam!.emitWithAck('leaveRoom', { room: 'netting' });
    await join(sam!, 'netting', { meta: { again: true } });
    const tia2 = await connectAs(rt, 'tia');
    await join(tia2, 'netting');
    await ulf!.emitWithAck('leaveRoom', { room: 'netting' });
    await roundTrip(watcher);
    expect(diffs).toHaveLength(1);

    closeWindows();
    await until(() => diffs.length === 2, 3000, 'the netted diff');
    expect(diffs[1]).toEqual({
      room: 'netting',
      joined: [],
      left: [{ userId: 'ulf', metas: [] }],
      updated: [
        { userId: 'sam', metas: [expect.objectContaining({ connectionId: sam!.id, again: true })] },
        { userId: 'tia', metas: [expect.objectContaining({ connectionId: tia!.id }), expect.objectContaining({ connectionId: tia2.id })] },
      ],
      count: { users: 3, connections: 4 },
      mode: 'full',
    });
  });

  it('leaving a room one never joined tells the room nothing', async () => {
    const member = await connectAs(rt, 'member');
    await join(member, 'quiet');
    closeWindows();
    const stranger = await connectAs(rt, 'member'); // the same user, on a connection that is not in the room
    expect(await stranger.emitWithAck('leaveRoom', { room: 'quiet' })).toEqual({ status: 'ok', room: 'quiet' });
    expect(clock.pending).toBe(0); // no window opened: no diff to come
    expect(await page(member, 'quiet')).toMatchObject({ count: { users: 1, connections: 1 } });
  });

  it('a disconnect is a leave like any other: in the next diff', async () => {
    const watcher = await connectAs(rt, 'watcher3');
    const gone = await connectAs(rt, 'gone');
    const diffs = collect<PresenceDiff>(watcher, 'presence:diff');
    await join(watcher, 'disconnects');
    await join(gone, 'disconnects');
    closeWindows();
    await until(() => diffs.length === 1, 3000, 'the joins');
    gone.close();
    // The disconnect reaches the server on its own time: close windows until its leave has gone out.
    await until(
      () => {
        closeWindows();
        return diffs.length === 2;
      },
      3000,
      'the leave of the disconnect',
    );
    expect(diffs[1]).toMatchObject({ joined: [], left: [{ userId: 'gone', metas: [] }], updated: [], count: { users: 1, connections: 1 } });
  });
});

describe('big rooms: counts mode above bigRoomUsers, lists for subscribers', () => {
  const clock = new ManualClock();
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({ bigRoomUsers: 3, countsWindowMs: 200 }, { clock });
  });
  afterAll(() => rt?.close());

  /** Closes the windows of rooms of both modes (50 ms in full mode, 200 ms in counts mode). */
  const closeWindows = () => clock.advance(200);

  it('switches to counts above bigRoomUsers and back at bigRoomExitUsers; subscribers keep the lists', async () => {
    const fan = await connectAs(rt, 'fan');
    const pat = await connectAs(rt, 'pat');
    const toFan = collect<PresenceDiff>(fan, 'presence:diff');
    const toPat = collect<PresenceDiff>(pat, 'presence:diff');
    expect(await join(fan, 'hall', { presenceEvents: true })).toMatchObject({ mode: 'full', users: [{ userId: 'fan' }] });
    await join(pat, 'hall');
    const q1 = await connectAs(rt, 'q1');
    expect(await join(q1, 'hall')).toMatchObject({ mode: 'full', count: { users: 3, connections: 3 }, next: null });
    expect(ids((await join(q1, 'hall')).users)).toEqual(['fan', 'pat', 'q1']);
    closeWindows();
    await until(() => toFan.length === 1 && toPat.length === 1, 3000, 'the diffs at 3 users');
    expect(toPat[0]).toMatchObject({ mode: 'full', count: { users: 3 } });
    expect(ids(toPat[0]!.joined)).toEqual(['fan', 'pat', 'q1']);

    // The fourth user: the room is big. The joiner gets the count alone, and a cursor to read the users on demand.
    const q2 = await connectAs(rt, 'q2');
    const state = new Promise<PresencePage>((resolve) => q2.once('presence:state', resolve));
    const big = await join(q2, 'hall');
    expect(big).toEqual({ status: 'ok', room: 'hall', users: [], count: { users: 4, connections: 4 }, mode: 'counts', next: '' });
    expect(await state).toEqual({ room: 'hall', users: [], count: { users: 4, connections: 4 }, mode: 'counts', next: '' });
    const firstPage = (await page(q2, 'hall', big.next)) as JoinAck;
    expect(firstPage).toMatchObject({ status: 'ok', mode: 'counts', next: null });
    expect(ids(firstPage.users)).toEqual(['fan', 'pat', 'q1', 'q2']);

    closeWindows();
    await until(() => toFan.length === 2 && toPat.length === 2, 3000, 'the diffs at 4 users');
    expect(toPat[1]).toEqual({ room: 'hall', joined: [], left: [], updated: [], count: { users: 4, connections: 4 }, mode: 'counts' });
    expect(toFan[1]).toMatchObject({ room: 'hall', left: [], updated: [], count: { users: 4, connections: 4 }, mode: 'counts' });
    expect(ids(toFan[1]!.joined)).toEqual(['q2']);

    // Back to 3: still big (it turns full again at bigRoomExitUsers, 3/4 of 3 rounded down: 2).
    await q2.emitWithAck('leaveRoom', { room: 'hall' });
    closeWindows();
    await until(() => toFan.length === 3 && toPat.length === 3, 3000, 'the diffs back at 3 users');
    expect(toPat[2]).toEqual({ room: 'hall', joined: [], left: [], updated: [], count: { users: 3, connections: 3 }, mode: 'counts' });
    expect(toFan[2]).toEqual({ room: 'hall', joined: [], left: [{ userId: 'q2', metas: [] }], updated: [], count: { users: 3, connections: 3 }, mode: 'counts' });

    // Down to 2: full mode again, lists to everyone (a client reloads its pages on the switch).
    await q1.emitWithAck('leaveRoom', { room: 'hall' });
    closeWindows();
    await until(() => toFan.length === 4 && toPat.length === 4, 3000, 'the diffs at 2 users');
    for (const diffs of [toFan, toPat]) {
      expect(diffs[3]).toEqual({ room: 'hall', joined: [], left: [{ userId: 'q1', metas: [] }], updated: [], count: { users: 2, connections: 2 }, mode: 'full' });
    }
    await roundTrip(pat);
    expect([toFan.length, toPat.length]).toEqual([4, 4]);
  });

  it('collects a room in counts mode for countsWindowMs: its members hear of its count at most once per window', async () => {
    const members = await Promise.all(['w1', 'w2', 'w3', 'w4'].map((id) => connectAs(rt, id)));
    const diffs = collect<PresenceDiff>(members[0]!, 'presence:diff');
    for (const member of members) await join(member, 'slow');
    closeWindows();
    await until(() => diffs.length === 1, 3000, 'the diff that made the room big');
    expect(diffs[0]).toMatchObject({ mode: 'counts', count: { users: 4 } });

    await join(await connectAs(rt, 'w5'), 'slow');
    clock.advance(50);
    await roundTrip(members[0]!);
    expect(diffs).toHaveLength(1); // a full room's window would have closed by now
    clock.advance(150);
    await until(() => diffs.length === 2, 3000, 'the counts-mode diff');
    expect(diffs[1]).toEqual({ room: 'slow', joined: [], left: [], updated: [], count: { users: 5, connections: 5 }, mode: 'counts' });
  });

  it('subscribing is a member\'s choice only: presenceEvents must be a boolean, and the subscribers\' room cannot be joined', async () => {
    const eve = await connectAs(rt, 'eve');
    expect(await eve.emitWithAck('joinRoom', { room: 'hall', presenceEvents: 'yes' })).toMatchObject({
      status: 'error',
      code: 'BAD_REQUEST',
      details: { field: 'presenceEvents' },
    });
    expect(await eve.emitWithAck('joinRoom', { room: 'presence-events#hall' })).toMatchObject({ status: 'error', code: 'BAD_REQUEST' });
    expect(await eve.emitWithAck('roomPresence', { room: 'hall' })).toMatchObject({ status: 'error', code: 'FORBIDDEN' });
  });

  it('joining again without presenceEvents ends the subscription', async () => {
    const [a, b, c, d] = await Promise.all(['ra', 'rb', 'rc', 'rd'].map((id) => connectAs(rt, id)));
    const diffs = collect<PresenceDiff>(a!, 'presence:diff');
    await join(a!, 'resub', { presenceEvents: true });
    for (const socket of [b!, c!, d!]) await join(socket, 'resub');
    closeWindows();
    await until(() => diffs.length === 1, 3000, 'the first diff');
    expect(ids(diffs[0]!.joined)).toEqual(['ra', 'rb', 'rc', 'rd']); // counts mode, and ra subscribed

    await join(a!, 'resub'); // the same connection, without presenceEvents
    await d!.emitWithAck('leaveRoom', { room: 'resub' });
    const e = await connectAs(rt, 're');
    await join(e, 'resub');
    closeWindows();
    await until(() => diffs.length === 2, 3000, 'the second diff');
    expect(diffs[1]).toEqual({ room: 'resub', joined: [], left: [], updated: [], count: { users: 4, connections: 4 }, mode: 'counts' });
  });

  it('presenceMode(room) fixes a room\'s mode whatever its size', async () => {
    const solo = await connectAs(rt, 'solo', 'stage');
    expect(await join(solo, 'stage-main')).toEqual({ status: 'ok', room: 'stage-main', users: [], count: { users: 1, connections: 1 }, mode: 'counts', next: '' });
    const soloDiffs = collect<PresenceDiff>(solo, 'presence:diff');
    closeWindows();
    await until(() => soloDiffs.length === 1, 3000, 'the stage diff');
    expect(soloDiffs[0]).toEqual({ room: 'stage-main', joined: [], left: [], updated: [], count: { users: 1, connections: 1 }, mode: 'counts' });

    const team = await Promise.all(['t1', 't2', 't3', 't4', 't5'].map((id) => connectAs(rt, id, 'stage')));
    for (const member of team) await join(member, 'team-big');
    const last = await join(team[4]!, 'team-big');
    expect(last).toMatchObject({ mode: 'full', count: { users: 5 } });
    expect(ids(last.users)).toEqual(['t1', 't2', 't3', 't4', 't5']);
    // Other rooms of the gateway follow bigRoomUsers.
    for (const member of team) await join(member, 'open-room');
    expect(await join(team[0]!, 'open-room')).toMatchObject({ mode: 'counts', users: [] });
  });
});

describe('diffWindowMs: 0 keeps presence:join / leave / update, to subscribers only in counts mode', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    // No band (bigRoomExitUsers = bigRoomUsers): the count alone decides, at each change.
    rt = await boot({ diffWindowMs: 0, bigRoomUsers: 2, bigRoomExitUsers: 2 });
  });
  afterAll(() => rt?.close());

  it('sends each change at once, and no diff', async () => {
    const [fan, pat] = await Promise.all([connectAs(rt, 'fan0'), connectAs(rt, 'pat0')]);
    await join(fan, 'live', { presenceEvents: true });
    await join(pat, 'live');
    await roundTrip(fan); // pat's presence:join has reached fan
    const [fanJoins, patJoins, patLeaves, fanLeaves, anyDiff] = [
      collect<{ room: string; user: PresenceUser }>(fan, 'presence:join'),
      collect<{ room: string; user: PresenceUser }>(pat, 'presence:join'),
      collect(pat, 'presence:leave'),
      collect<{ room: string; user: PresenceUser }>(fan, 'presence:leave'),
      collect(fan, 'presence:diff'),
    ];
    const guest = await connectAs(rt, 'guest0');
    const ack = await join(guest, 'live');
    expect(ack).toMatchObject({ mode: 'counts', users: [], count: { users: 3 } });
    // The third user made it big: only the subscriber hears of it.
    await until(() => fanJoins.length === 1, 3000, "the subscriber's presence:join");
    await roundTrip(pat);
    expect(patJoins).toEqual([]);
    expect(fanJoins[0]).toEqual({ room: 'live', user: { userId: 'guest0', metas: [expect.objectContaining({ connectionId: guest.id })] } });

    await guest.emitWithAck('leaveRoom', { room: 'live' });
    // Back to 2 users: full, so the room hears the leave.
    await until(() => fanLeaves.length === 1 && patLeaves.length === 1, 3000, 'the leave');
    expect(fanLeaves[0]).toEqual({ room: 'live', user: { userId: 'guest0', metas: [] } });
    await roundTrip(fan);
    expect(anyDiff).toEqual([]);
  });
});

describe('diffs across two instances (Redis)', () => {
  const clocks = [new ManualClock(), new ManualClock()];
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;
  beforeAll(async () => {
    const keyPrefix = `diffs-two-${Date.now()}`;
    [a, b] = await Promise.all(clocks.map((clock) => boot({ bigRoomUsers: 2, countsWindowMs: 200 }, { clock, store: 'redis', keyPrefix })));
  });
  afterAll(() => Promise.all([a?.close(), b?.close()]));

  it("an instance's diff reaches the other's members: lists to subscribers, the count to the others", async () => {
    const [fan, pat] = await Promise.all([connectAs(b, 'fan2'), connectAs(b, 'pat2')]);
    const toFan = collect<PresenceDiff>(fan, 'presence:diff');
    const toPat = collect<PresenceDiff>(pat, 'presence:diff');
    await join(fan, 'across', { presenceEvents: true });
    await join(pat, 'across');
    clocks[1]!.advance(50);
    await until(() => toFan.length === 1 && toPat.length === 1, 3000, "B's diff");
    expect(toPat[0]).toMatchObject({ mode: 'full', count: { users: 2, connections: 2 } });

    const al = await connectAs(a, 'al2');
    expect(await join(al, 'across')).toMatchObject({ mode: 'counts', count: { users: 3, connections: 3 } });
    await roundTrip(pat);
    expect(toPat).toHaveLength(1); // A's window is still open
    clocks[0]!.advance(200);
    await until(() => toFan.length === 2 && toPat.length === 2, 3000, "A's diff on B");
    expect(toPat[1]).toEqual({ room: 'across', joined: [], left: [], updated: [], count: { users: 3, connections: 3 }, mode: 'counts' });
    expect(toFan[1]).toMatchObject({ room: 'across', left: [], updated: [], count: { users: 3, connections: 3 }, mode: 'counts' });
    expect(ids(toFan[1]!.joined)).toEqual(['al2']);
  });
});
