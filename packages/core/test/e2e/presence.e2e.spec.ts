import { WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PresenceService, RealtimeModule, type PresenceStoreKind, type PresenceUser } from '../../src/index.js';
import { createRealtimeTestingApp, redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { collect, until } from '../support/cluster.js';
import { RealtimeServers } from '../../src/service/realtime-servers.js';
import { AdminRoomsGateway, ChatRoomsGateway } from '../support/presence-gateways.js';
import { SECRET, sign } from '../support/tokens.js';

let redis: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(() => redis?.stop());

const bootChat = (store: PresenceStoreKind, keyPrefix: string) =>
  createRealtimeTestingApp({
    imports: [
      RealtimeModule.forRoot({
        auth: { secret: SECRET },
        ...(store === 'redis' ? { redis: { url: redis.url, keyPrefix } } : {}),
        // Each change as it happens (presence:join / leave / update): presence-diffs.e2e.spec.ts covers the diffs.
        presence: { store, ttlMs: 3000, diffWindowMs: 0 },
      }),
    ],
    providers: [ChatRoomsGateway, AdminRoomsGateway],
  });

const connectAs = (rt: RealtimeTestingApp, sub: string, claims: Record<string, unknown> = {}) =>
  rt.connect({ namespace: 'chat', auth: { token: sign({ sub, ...claims }) } });

/** Waits until the server has processed what `socket` sent before (packets keep their order). */
const roundTrip = (socket: Socket) => socket.emitWithAck('whoami');

const userIds = (users: PresenceUser[]) => users.map((u) => u.userId);
const CHAT = { namespace: '/chat' };

describe.each(['memory', 'redis'] as PresenceStoreKind[])('presence and RoomsGateway (%s store)', (store) => {
  let rt: RealtimeTestingApp;
  let presence: PresenceService;
  beforeAll(async () => {
    rt = await bootChat(store, `presence-${Date.now()}`);
    presence = rt.app.get(PresenceService);
  });
  afterAll(() => rt?.close());

  it('same user, two tabs: one presence:join, two metas, each tab change a presence:update; the last tab closing says presence:leave once', async () => {
    const observer = await connectAs(rt, 'olga');
    await observer.emitWithAck('joinRoom', { room: 'tabs' });
    const joins = collect<{ room: string; user: PresenceUser }>(observer, 'presence:join');
    const leaves = collect<{ room: string; user: PresenceUser }>(observer, 'presence:leave');
    const updates = collect<{ room: string; user: PresenceUser }>(observer, 'presence:update');
    const devicesIn = (update: { user: PresenceUser } | undefined) => update?.user.metas.map((m) => m.device);

    const tab1 = await connectAs(rt, 'tom');
    const tab2 = await connectAs(rt, 'tom');
    const state = new Promise<{ room: string; users: PresenceUser[] }>((resolve) => tab1.once('presence:state', resolve));
    expect(await tab1.emitWithAck('joinRoom', { room: 'tabs', meta: { device: 'laptop' } })).toMatchObject({ status: 'ok', room: 'tabs' });
    expect((await state).users.map((u) => u.userId)).toEqual(['olga', 'tom']);
    await tab2.emitWithAck('joinRoom', { room: 'tabs', meta: { device: 'phone' } });
    await roundTrip(observer);

    expect(joins).toEqual([{ room: 'tabs', user: { userId: 'tom', metas: [expect.objectContaining({ connectionId: tab1.id, device: 'laptop' })] } }]);
    expect(updates.map(devicesIn)).toEqual([['laptop', 'phone']]);
    const tom = (await presence.list('tabs', CHAT)).find((u) => u.userId === 'tom')!;
    expect(tom.metas.map((m) => m.device)).toEqual(['laptop', 'phone']);
    expect(tom.metas.map((m) => m.connectionId)).toEqual([tab1.id, tab2.id]);
    expect(await presence.count('tabs', CHAT)).toEqual({ users: 2, connections: 3 });

    tab1.close();
    await serverSide(async () => (await presence.count('tabs', CHAT)).connections === 2);
    await until(() => updates.length === 2, 3000, 'presence:update');
    expect(devicesIn(updates[1])).toEqual(['phone']);
    await roundTrip(observer);
    expect(leaves).toEqual([]);

    tab2.close();
    await serverSide(async () => (await presence.count('tabs', CHAT)).connections === 1);
    await until(() => leaves.length === 1, 3000, 'presence:leave');
    await roundTrip(observer);
    expect(leaves).toEqual([{ room: 'tabs', user: { userId: 'tom', metas: [] } }]);
    expect(updates).toHaveLength(2);
    expect(await presence.isOnline('tom')).toBe(false);
  });

  it('leaveRoom, update, roomsOf, isOnline, count', async () => {
    const ann = await connectAs(rt, 'ann');
    const bea = await connectAs(rt, 'bea');
    await ann.emitWithAck('joinRoom', { room: 'kitchen' });
    await ann.emitWithAck('joinRoom', { room: 'garden' });
    await bea.emitWithAck('joinRoom', { room: 'kitchen' });
    expect((await presence.roomsOf('ann', CHAT)).sort()).toEqual(['garden', 'kitchen']);
    expect(await presence.isOnline('ann')).toBe(true);
    expect(await presence.count('kitchen', CHAT)).toEqual({ users: 2, connections: 2 });

    const updates = collect<{ user: PresenceUser }>(bea, 'presence:update');
    await presence.update(await serverSocket(rt, ann.id!), 'kitchen', { typing: true });
    await until(() => updates.length === 1, 3000, 'presence:update');
    expect(updates[0]!.user).toMatchObject({ userId: 'ann', metas: [expect.objectContaining({ typing: true, connectionId: ann.id })] });

    const leaves = collect(bea, 'presence:leave');
    expect(await ann.emitWithAck('leaveRoom', { room: 'kitchen' })).toEqual({ status: 'ok', room: 'kitchen' });
    await until(() => leaves.length === 1, 3000, 'presence:leave after leaveRoom');
    expect(await presence.roomsOf('ann', CHAT)).toEqual(['garden']);
    expect(await presence.count('kitchen', CHAT)).toEqual({ users: 1, connections: 1 });
  });

  it('a presence room belongs to its namespace: a user /admin refuses cannot see, join or touch its "ops" through /chat', async () => {
    const root = await rt.connect({ namespace: 'admin', auth: { token: sign({ sub: 'root', admin: true }) } });
    expect(await root.emitWithAck('joinRoom', { room: 'ops' })).toMatchObject({ status: 'ok', users: [{ userId: 'root' }] });
    const seenInAdmin: unknown[] = [];
    root.onAny((event: string, payload: unknown) => seenInAdmin.push({ event, payload }));
    const carl = await connectAs(rt, 'carl');
    await carl.emitWithAck('joinRoom', { room: 'ops' });
    const [chatJoins, chatUpdates, chatLeaves] = ['presence:join', 'presence:update', 'presence:leave'].map((event) => collect<{ user: PresenceUser }>(carl, event));

    const malloryAtAdmin = await rt.connect({ namespace: 'admin', auth: { token: sign({ sub: 'mallory' }) } });
    expect(await malloryAtAdmin.emitWithAck('joinRoom', { room: 'ops' })).toMatchObject({ status: 'error', code: 'FORBIDDEN' });

    // The same room name through /chat, which lets anyone in: mallory gets the chat's "ops", not the admins'.
    const mallory = await connectAs(rt, 'mallory');
    const state = new Promise<{ users: PresenceUser[] }>((resolve) => mallory.once('presence:state', resolve));
    const joined = (await mallory.emitWithAck('joinRoom', { room: 'ops', meta: { note: 'hello admins' } })) as { users: PresenceUser[] };
    expect(userIds(joined.users)).toEqual(['carl', 'mallory']);
    expect(userIds((await state).users)).toEqual(['carl', 'mallory']);
    expect(userIds(((await mallory.emitWithAck('roomPresence', { room: 'ops' })) as { users: PresenceUser[] }).users)).toEqual(['carl', 'mallory']);
    await presence.update(await serverSocket(rt, mallory.id!), 'ops', { note: 'still here' }); // as a `typing` handler would
    await until(() => chatJoins!.length === 1 && chatUpdates!.length === 1, 3000, "mallory's presence events in /chat");
    expect(chatUpdates![0]!.user).toMatchObject({ userId: 'mallory', metas: [expect.objectContaining({ note: 'still here' })] });

    // The admins' "ops": root alone, and none of mallory's events (the ack comes after anything sent to root before it).
    expect(userIds(((await root.emitWithAck('roomPresence', { room: 'ops' })) as { users: PresenceUser[] }).users)).toEqual(['root']);
    expect(seenInAdmin).toEqual([]);

    expect(userIds(await presence.list('ops', { namespace: '/admin' }))).toEqual(['root']);
    expect(userIds(await presence.list('ops', { namespace: 'admin' }))).toEqual(['root']);
    expect(userIds(await presence.list('ops', { namespace: '/chat' }))).toEqual(['carl', 'mallory']);
    expect(await presence.count('ops', { namespace: '/admin' })).toEqual({ users: 1, connections: 1 });
    expect(await presence.count('ops', { namespace: 'chat' })).toEqual({ users: 2, connections: 2 });
    expect(await presence.list('ops')).toEqual([]); // the main namespace has no "ops"
    expect(await presence.roomsOf('mallory', { namespace: '/chat' })).toEqual(['ops']);
    expect(await presence.roomsOf('mallory', { namespace: '/admin' })).toEqual([]);
    expect(await presence.roomsOf('mallory')).toEqual([]);
    expect(await presence.isOnline('mallory')).toBe(true); // app-wide

    mallory.close();
    await until(() => chatLeaves!.length === 1, 3000, "mallory's presence:leave in /chat");
    await root.emitWithAck('roomPresence', { room: 'ops' });
    expect(seenInAdmin).toEqual([]);
    expect(await presence.isOnline('mallory')).toBe(false);
  });

  it('one user in the same room name of two namespaces is present in each on its own', async () => {
    const inAdmin = await rt.connect({ namespace: 'admin', auth: { token: sign({ sub: 'dora', admin: true }) } });
    const inChat = await connectAs(rt, 'dora');
    const chatWatcher = await connectAs(rt, 'walt');
    await chatWatcher.emitWithAck('joinRoom', { room: 'both' });
    const chatJoins = collect<{ user: PresenceUser }>(chatWatcher, 'presence:join');
    const chatLeaves = collect<{ user: PresenceUser }>(chatWatcher, 'presence:leave');

    await inAdmin.emitWithAck('joinRoom', { room: 'both' });
    await inChat.emitWithAck('joinRoom', { room: 'both' }); // her first connection in the chat's "both"
    await until(() => chatJoins.length === 1, 3000, "dora's presence:join in /chat");
    expect(chatJoins[0]!.user.metas.map((m) => m.connectionId)).toEqual([inChat.id]);
    expect(await presence.roomsOf('dora', { namespace: 'admin' })).toEqual(['both']);
    expect(await presence.roomsOf('dora', CHAT)).toEqual(['both']);

    inAdmin.close(); // her last connection in the admins' "both", not in the chat's
    await serverSide(async () => (await presence.count('both', { namespace: 'admin' })).connections === 0);
    await roundTrip(chatWatcher);
    expect(chatLeaves).toEqual([]);
    expect(userIds(await presence.list('both', CHAT))).toEqual(['walt', 'dora']);
  });

  it('refuses what it must, through the error contract, and keeps serving', async () => {
    const eve = await connectAs(rt, 'eve');
    const codeOf = async (event: string, body: unknown) => ((await eve.emitWithAck(event, body)) as { code?: string }).code;
    expect(await codeOf('joinRoom', { room: 'vip-lounge' })).toBe('FORBIDDEN');
    const vip = await connectAs(rt, 'victor', { vip: true });
    expect(await vip.emitWithAck('joinRoom', { room: 'vip-lounge' })).toMatchObject({ status: 'ok' });

    for (const room of ['', 'x'.repeat(65), 42, null, 'two words', 'user:victor', eve.id]) {
      expect(await codeOf('joinRoom', { room })).toBe('BAD_REQUEST');
    }
    expect(await codeOf('joinRoom', undefined)).toBe('BAD_REQUEST');
    expect(await codeOf('joinRoom', { room: 'ok-room', meta: 'not an object' })).toBe('BAD_REQUEST');
    expect(await codeOf('msgToRoom', { room: 'vip-lounge', message: 'let me in' })).toBe('FORBIDDEN');
    expect(await codeOf('roomPresence', { room: 'vip-lounge' })).toBe('FORBIDDEN');
    expect(await vip.emitWithAck('roomPresence', { room: 'vip-lounge' })).toMatchObject({
      status: 'ok',
      users: [{ userId: 'victor', metas: [expect.objectContaining({ connectionId: vip.id })] }],
    });
    expect(await eve.emitWithAck('whoami')).toEqual({ userId: 'eve', namespace: '/chat' });
  });

  it('gives subclasses toUser/toRoom helpers scoped to their namespace', async () => {
    const [tab1, tab2, other] = await Promise.all([connectAs(rt, 'helga'), connectAs(rt, 'helga'), connectAs(rt, 'ivan')]);
    await other.emitWithAck('joinRoom', { room: 'helpers' });
    const mine = [collect(tab1, 'to-user'), collect(tab2, 'to-user'), collect(other, 'to-user')];
    const ours = collect(other, 'to-room');
    expect(await tab1.emitWithAck('echo-via-helpers', { room: 'helpers' })).toBe('ok');
    await until(() => mine[0]!.length === 1 && mine[1]!.length === 1 && ours.length === 1, 3000, 'the helper emits');
    await roundTrip(other);
    expect(mine.map((list) => list.length)).toEqual([1, 1, 0]);
  });

  it('delivers msgToRoom to the room members only', async () => {
    const [a, b, c] = await Promise.all([connectAs(rt, 'a1'), connectAs(rt, 'b1'), connectAs(rt, 'c1')]);
    await a.emitWithAck('joinRoom', { room: 'talk' });
    await b.emitWithAck('joinRoom', { room: 'talk' });
    const onB = collect(b, 'msgToRoom');
    const onC = collect(c, 'msgToRoom');
    expect(await a.emitWithAck('msgToRoom', { room: 'talk', message: { text: 'hi' } })).toMatchObject({ status: 'ok' });
    await until(() => onB.length === 1, 3000, 'the room message');
    await roundTrip(c);
    expect(onB).toEqual([{ room: 'talk', from: { userId: 'a1', connectionId: a.id }, message: { text: 'hi' }, at: expect.any(String) }]);
    expect(onC).toEqual([]);
  });

  it('bounds msgToRoom\'s message at maxMessageBytes of UTF-8 JSON (16 KiB by default): at it passes, over it is PAYLOAD_TOO_LARGE', async () => {
    const [sender, member] = await Promise.all([connectAs(rt, 'sam'), connectAs(rt, 'mia')]);
    await sender.emitWithAck('joinRoom', { room: 'sizes' });
    await member.emitWithAck('joinRoom', { room: 'sizes' });
    const received = collect<{ message: unknown }>(member, 'msgToRoom');
    const send = (message: unknown) => sender.emitWithAck('msgToRoom', { room: 'sizes', message }) as Promise<{ status: string; code?: string; details?: unknown }>;

    // A JSON string takes its characters plus two quotes; "é" takes two bytes in UTF-8.
    expect(await send('x'.repeat(16 * 1024 - 2))).toMatchObject({ status: 'ok' });
    expect(await send('é'.repeat(8 * 1024 - 1))).toMatchObject({ status: 'ok' });
    const tooLarge = { status: 'error', code: 'PAYLOAD_TOO_LARGE', details: { field: 'message', maxBytes: 16 * 1024 } };
    expect(await send('x'.repeat(16 * 1024 - 1))).toMatchObject(tooLarge);
    expect(await send('é'.repeat(8 * 1024))).toMatchObject(tooLarge);
    expect(await send({ text: 'x'.repeat(16 * 1024) })).toMatchObject(tooLarge);

    // The refused ones never reached the room, and the sender keeps being served.
    expect(await send('small')).toMatchObject({ status: 'ok' });
    await until(() => received.length === 3, 3000, 'the accepted messages');
    expect(received.map((m) => (typeof m.message === 'string' ? m.message.length : m.message))).toEqual([16 * 1024 - 2, 8 * 1024 - 1, 5]);
  });

  it('refuses a message that is not JSON (a subclass calling msgToRoom itself) with BAD_REQUEST', async () => {
    const client = await connectAs(rt, 'nina');
    await client.emitWithAck('joinRoom', { room: 'json-only' });
    const socket = await serverSocket(rt, client.id!);
    expect(() => rt.app.get(ChatRoomsGateway).msgToRoom({ room: 'json-only', message: 10n }, socket)).toThrow(
      expect.objectContaining({ code: 'BAD_REQUEST', details: { field: 'message' } }),
    );
  });
});

/** Polls a condition on server-side state until it holds. */
async function serverSide(condition: () => Promise<boolean>, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The server-side socket of a client, found by id in the chat namespace. */
async function serverSocket(rt: RealtimeTestingApp, id: string) {
  const namespace = rt.app.get(RealtimeServers).namespaces('/chat')[0]!;
  return namespace.sockets.get(id)!;
}

describe('RoomsGateway without a namespace', () => {
  it('scopes its helpers to the main namespace', async () => {
    @WebSocketGateway()
    class RootRooms extends ChatRoomsGateway {}
    const rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({ auth: { secret: SECRET } })], providers: [RootRooms] });
    try {
      const socket = await rt.connect({ user: { id: 'root-user' } });
      expect(await socket.emitWithAck('whoami')).toEqual({ userId: 'root-user', namespace: '/' });
      const mine = collect(socket, 'to-user');
      expect(await socket.emitWithAck('echo-via-helpers', { room: 'r' })).toBe('ok');
      await until(() => mine.length === 1, 3000, 'the helper emit on the main namespace');
      // Its rooms are the main namespace's: the default scope of list/count/roomsOf.
      await socket.emitWithAck('joinRoom', { room: 'r' });
      const presence = rt.app.get(PresenceService);
      expect(userIds(await presence.list('r'))).toEqual(['root-user']);
      expect(await presence.count('r', { namespace: '/' })).toEqual({ users: 1, connections: 1 });
      expect(await presence.roomsOf('root-user')).toEqual(['r']);
      expect(await presence.list('r', CHAT)).toEqual([]);
      expect(await socket.emitWithAck('roomPresence', { room: 'r' })).toMatchObject({ status: 'ok', users: [{ userId: 'root-user' }] });
    } finally {
      await rt.close();
    }
  });
});

describe('RoomsGateway with maxMessageBytes overridden', () => {
  it('applies the subclass\'s bound', async () => {
    @WebSocketGateway({ namespace: 'small' })
    class SmallRooms extends ChatRoomsGateway {
      protected override readonly maxMessageBytes = 64;
    }
    const rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot({ auth: { secret: SECRET } })], providers: [SmallRooms] });
    try {
      const socket = await rt.connect({ namespace: 'small', user: { id: 'tiny' } });
      await socket.emitWithAck('joinRoom', { room: 'r' });
      expect(await socket.emitWithAck('msgToRoom', { room: 'r', message: 'x'.repeat(62) })).toMatchObject({ status: 'ok' });
      expect(await socket.emitWithAck('msgToRoom', { room: 'r', message: 'x'.repeat(63) })).toMatchObject({
        status: 'error',
        code: 'PAYLOAD_TOO_LARGE',
        details: { field: 'message', maxBytes: 64 },
      });
    } finally {
      await rt.close();
    }
  });
});
