import { Manager, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { ConnectRefusedError, createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { AlphaEchoGateway, RootEchoGateway } from '../support/echo-gateways.js';
import { NativeGateway } from '../support/native-ws-gateways.js';
import { ChatRoomsGateway } from '../support/presence-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';
import { WS_CLOSE_TOO_MANY_CONNECTIONS } from '../../src/protocol/index.js';

const TOO_MANY = { code: 'FORBIDDEN', reason: 'too_many_connections' };

const boot = (limits: RealtimeModuleOptions['limits']) =>
  createRealtimeTestingApp(
    {
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, limits })],
      providers: [RootEchoGateway, AlphaEchoGateway, ChatRoomsGateway, NativeGateway],
    },
    { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
  );

const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => 'connected',
    (error: unknown) => (error instanceof ConnectRefusedError ? error.data : String(error)),
  );

describe('limits.maxConnectionsPerUser: refuse-new', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({ maxConnectionsPerUser: 2 });
  });
  afterAll(() => rt?.close());

  it('refuses a third connection of the user with FORBIDDEN too_many_connections; other users are not counted', async () => {
    const first = await rt.connect({ user: { id: 'ada' } });
    await rt.connect({ user: { id: 'ada' } });
    expect(await refusal(rt.connect({ user: { id: 'ada' } }))).toEqual(TOO_MANY);
    expect(await refusal(rt.connect({ user: { id: 'bob' } }))).toBe('connected');

    // Once one closes, there is room again.
    first.close();
    await expect.poll(() => refusal(rt.connect({ user: { id: 'ada' } })), { timeout: 3000 }).toBe('connected');
  });

  it('counts each namespace a tab joins as a connection', async () => {
    const manager = new Manager(rt.url, { transports: ['websocket'], reconnection: false });
    const auth = { token: sign({ sub: 'grace' }) };
    const connected = (socket: Socket) =>
      new Promise<Socket>((resolve, reject) => socket.once('connect', () => resolve(socket)).once('connect_error', reject));
    const main = await connected(manager.socket('/', { auth }));
    const alpha = await connected(manager.socket('/alpha', { auth }));
    expect(await refusal(rt.connect({ user: { id: 'grace' } }))).toEqual(TOO_MANY);
    // Leaving one namespace frees its slot, while the tab stays connected to the other.
    alpha.disconnect();
    await expect.poll(() => refusal(rt.connect({ user: { id: 'grace' } })), { timeout: 3000 }).toBe('connected');
    expect(main.connected).toBe(true);
    main.close();
    alpha.close();
  });

  it('counts native WebSocket clients with the Socket.IO ones, and refuses one over the limit with HTTP 403', async () => {
    await rt.connect({ user: { id: 'carol' } });
    const native = await WsTestClient.open(`${rt.url.replace('http', 'ws')}/ws`, { headers: { Authorization: `Bearer ${sign({ sub: 'carol' })}` } });
    const refused = await WsTestClient.refusal(`${rt.url.replace('http', 'ws')}/ws`, { headers: { Authorization: `Bearer ${sign({ sub: 'carol' })}` } });
    expect(refused).toEqual({ status: 403, opened: false, body: { ...TOO_MANY, message: 'Too many connections for this user' } });
    native.close();
  });
});

describe('limits.maxConnectionsPerUser: refuse-new, racing upgrades', () => {
  const RACERS = 4;
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    // validate() holds every upgrade until all of them are being verified: they pass the check before the upgrade together.
    let arrived = 0;
    let release: () => void = () => undefined;
    const together = new Promise<void>((resolve) => (release = resolve));
    rt = await createRealtimeTestingApp(
      {
        imports: [
          RealtimeModule.forRoot({
            auth: {
              secret: SECRET,
              validate: async (claims) => {
                if (++arrived === RACERS) release();
                await together;
                return { id: String(claims.sub) };
              },
            },
            limits: { maxConnectionsPerUser: 2 },
          }),
        ],
        providers: [NativeGateway],
      },
      { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
    );
  });
  afterAll(() => rt?.close());

  it('holds the limit when several native upgrades of one user are verified at once', async () => {
    const url = `${rt.url.replace('http', 'ws')}/ws`;
    const headers = { Authorization: `Bearer ${sign({ sub: 'racer' })}` };
    const settled = await Promise.allSettled(Array.from({ length: RACERS }, () => WsTestClient.open(url, { headers })));
    const opened = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    // One that slipped past the check before the upgrade is closed right after it (4004), before it can answer.
    const alive = await Promise.all(
      opened.map((client) => Promise.race([client.request('whoami', null).then(() => true), client.closed.then(() => false)])),
    );
    expect(alive.filter(Boolean)).toHaveLength(2);
    for (const client of opened) client.close();
  });
});

describe('limits.maxConnectionsPerUser: close-oldest', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({ maxConnectionsPerUser: 1, overConnectionLimit: 'close-oldest' });
  });
  afterAll(() => rt?.close());

  it("lets the new connection in and disconnects the user's oldest, saying why", async () => {
    const oldest = await rt.connect({ user: { id: 'ada' } });
    const told = waitForEvent(oldest, 'realtime:disconnected');
    const gone = new Promise((resolve) => oldest.once('disconnect', resolve));
    const newest = await rt.connect({ user: { id: 'ada' } });
    expect(await told).toEqual({ reason: 'too_many_connections' });
    expect(await gone).toBe('io server disconnect');
    expect(await newest.emitWithAck('echo', 'still here')).toBe('still here');
  });

  it('closes an older native client with 4004', async () => {
    const url = `${rt.url.replace('http', 'ws')}/ws`;
    const headers = { Authorization: `Bearer ${sign({ sub: 'dora' })}` };
    const oldest = await WsTestClient.open(url, { headers });
    const newest = await WsTestClient.open(url, { headers });
    expect((await oldest.next('realtime:disconnected')).data).toEqual({ reason: 'too_many_connections' });
    expect(await oldest.closed).toEqual({ code: WS_CLOSE_TOO_MANY_CONNECTIONS, reason: 'too_many_connections' });
    expect(await newest.request('whoami', null)).toMatchObject({ id: 'dora' });
    newest.close();
  });
});

describe('limits.maxRoomsPerSocket', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({ maxRoomsPerSocket: 3 });
  });
  afterAll(() => rt?.close());

  it('refuses one room too many with FORBIDDEN too_many_rooms, and counts again after a leave', async () => {
    const socket = await rt.connect({ namespace: 'chat', user: { id: 'ada', name: 'Ada' } });
    for (const room of ['a', 'b', 'c']) expect(await socket.emitWithAck('joinRoom', { room })).toMatchObject({ status: 'ok' });
    expect(await socket.emitWithAck('joinRoom', { room: 'd' })).toMatchObject({
      status: 'error',
      code: 'FORBIDDEN',
      details: { reason: 'too_many_rooms', max: 3 },
      event: 'joinRoom',
    });
    expect(await socket.emitWithAck('joinRoom', { room: 'a' })).toMatchObject({ status: 'ok' });
    await socket.emitWithAck('leaveRoom', { room: 'b' });
    expect(await socket.emitWithAck('joinRoom', { room: 'd' })).toMatchObject({ status: 'ok' });
  });
});

describe('limits.handshakesPerIp', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({ handshakesPerIp: { points: 3, durationMs: 60_000 } });
  });
  afterAll(() => rt?.close());

  it('refuses new connections from an address over its budget, on both transports, and keeps the open ones', async () => {
    const sockets = [await rt.connect({ user: { id: 'a' } }), await rt.connect({ user: { id: 'b' } }), await rt.connect({ user: { id: 'c' } })];
    await expect(rt.connect({ user: { id: 'd' }, timeoutMs: 2000 })).rejects.toThrow();
    const native = await WsTestClient.refusal(`${rt.url.replace('http', 'ws')}/ws`, { headers: { Authorization: `Bearer ${sign({ sub: 'e' })}` } });
    expect(native).toEqual({ status: 429, opened: false, body: { code: 'RATE_LIMITED', message: 'Too many connection attempts' } });
    for (const socket of sockets) expect(await socket.emitWithAck('echo', 'ok')).toBe('ok');
  });
});
