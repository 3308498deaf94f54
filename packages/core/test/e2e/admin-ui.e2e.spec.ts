import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConfigService } from '@nestjs/config';
import type { INestApplication } from '@nestjs/common';
import bcrypt from 'bcryptjs';
import { io } from 'socket.io-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions, type RedisAdapterMode } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import {
  connectClient,
  createRealtimeTestingApp,
  redisForTests,
  type RealtimeTestingApp,
} from '../../src/testing/index.js';
import { AdminUiClient } from '../support/admin-ui-client.js';
import { AdminUiGateway } from '../support/admin-ui-gateways.js';
import { WhoAmIGateway } from '../support/auth-gateways.js';
import { runFixture, type Child } from '../support/child-process.js';
import { ClusterRoomsGateway } from '../support/cluster-gateways.js';
import { waitUntilMeshed } from '../support/cluster.js';
import { pollingHandshake } from '../support/http-probe.js';
import { NativeGateway } from '../support/native-ws-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';
import { refusal } from '../support/refusal.js';

const ADMIN = { username: 'admin', password: 'correct horse battery staple' };
// The lowest cost bcrypt allows, to keep each login fast here; production hashes use 10 or more.
const ADMIN_PASSWORD_HASH = bcrypt.hashSync(ADMIN.password, 4);
const APP_ORIGIN = 'https://app.example.com';
const HOSTED_UI_ORIGIN = 'https://admin.socket.io';

/** What `AdminUiGateway` reads: the credentials, and `NODE_ENV` for its mode. */
const adminUiConfig = (env: Record<string, string> = {}) => ({
  provide: ConfigService,
  useValue: new ConfigService({ ADMIN_UI_USERNAME: ADMIN.username, ADMIN_UI_PASSWORD_HASH: ADMIN_PASSWORD_HASH, ...env }),
});

const bothTransports = (app: INestApplication) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) });


const here = dirname(fileURLToPath(import.meta.url));

describe('the gateway under test', () => {
  it('is the one docs/guide/production.md shows', () => {
    const page = readFileSync(join(here, '../../../../docs/guide/production.md'), 'utf8');
    const shown = /```ts\n\/\/ admin-ui\.gateway\.ts\n([\s\S]*?)```/.exec(page)?.[1] ?? '';
    const tested = readFileSync(join(here, '../support/admin-ui-gateways.ts'), 'utf8');
    const fromClass = (code: string) => code.slice(code.indexOf('@WebSocketGateway()'));
    expect(shown).toContain('@WebSocketGateway()');
    expect(fromClass(tested)).toBe(fromClass(shown));
  });
});

describe('Socket.IO Admin UI on the module\'s server, /admin exempt from the JWT check (auth.publicNamespaces)', () => {
  let rt: RealtimeTestingApp;
  const admins: AdminUiClient[] = [];
  const natives: WsTestClient[] = [];
  const openAdmin = async (options: Parameters<typeof AdminUiClient.connect>[1] = { auth: ADMIN }) => {
    const admin = await AdminUiClient.connect(rt.url, options);
    admins.push(admin);
    return admin;
  };
  const user = (id: string) => rt.connect({ auth: { token: sign({ sub: id }) } });

  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      {
        imports: [
          RealtimeModule.forRoot({
            auth: { secret: SECRET, publicNamespaces: ['/admin'] },
            cors: { origin: [APP_ORIGIN, HOSTED_UI_ORIGIN], credentials: true },
          }),
        ],
        providers: [WhoAmIGateway, NativeGateway, AdminUiGateway, adminUiConfig()],
      },
      { adapter: bothTransports },
    );
  });
  afterEach(() => {
    for (const admin of admins.splice(0)) admin.close();
    for (const native of natives.splice(0)) native.close();
  });
  afterAll(() => rt?.close());

  it('refuses /admin without credentials, with a wrong password, and with a password that is not a string; the server keeps serving', async () => {
    for (const auth of [{}, { username: ADMIN.username, password: 'wrong' }, { username: 'root', password: ADMIN.password }]) {
      expect(await refusal(openAdmin({ auth }))).toEqual({ message: 'invalid credentials', data: undefined });
    }
    // Without the check before instrument(), these two end the process (see the last describe).
    for (const auth of [{ username: ADMIN.username, password: 42 }, { username: ADMIN.username }]) {
      expect(await refusal(openAdmin({ auth }))).toEqual({ message: 'invalid credentials', data: undefined });
    }
    const alice = await user('alice');
    expect(await alice.emitWithAck('whoami')).toMatchObject({ id: 'alice' });
  });

  it('accepts the right credentials: a session, the sockets already connected, and socket_connected for a user joining the app namespace', async () => {
    const early = await user('ada');
    const admin = await openAdmin();
    const [session] = await admin.next('session');
    expect(session).toMatch(/^[0-9a-f]{16}$/);
    const [config] = await admin.next('config');
    // Development mode and not read-only: every feature, the operations on sockets included.
    expect((config as { supportedFeatures: string[] }).supportedFeatures).toEqual(expect.arrayContaining(['ALL_EVENTS', 'DISCONNECT', 'EMIT']));

    const listed = await admin.allSockets();
    expect(listed).toContainEqual(expect.objectContaining({ id: early.id, nsp: '/', data: expect.objectContaining({ user: expect.objectContaining({ id: 'ada' }) }) }));

    const late = await user('grace');
    expect(await admin.connected(late.id)).toMatchObject({ id: late.id, nsp: '/', data: { user: { id: 'grace' } } });
    // The module puts the socket in its user's room once Admin UI has announced it; the UI sees that too.
    await expect(admin.next('room_joined', (nsp, room, id) => nsp === '/' && room === 'user:grace' && id === late.id)).resolves.toBeDefined();
  });

  it('a session id Admin UI handed out opens /admin again without the password', async () => {
    const first = await openAdmin();
    const [sessionId] = await first.next('session');
    const again = await openAdmin({ auth: { sessionId } });
    expect(again.socket.connected).toBe(true);
    expect(await refusal(openAdmin({ auth: { sessionId: 'ffffffffffffffff' } }))).toMatchObject({ message: 'invalid credentials' });
  });

  it('keeps the JWT check on the app namespaces: no token, or Admin UI credentials instead of one, is refused', async () => {
    expect((await refusal(rt.connect())).data).toEqual({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
    expect((await refusal(rt.connect({ auth: ADMIN }))).data).toEqual({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
    // Nor does a live Admin UI session id.
    const [sessionId] = await (await openAdmin()).next('session');
    expect((await refusal(rt.connect({ auth: { sessionId } }))).data).toEqual({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
  });

  it('relays each socket\'s handshake headers to the UI in development mode, never handshake.auth', async () => {
    const admin = await openAdmin();
    const inAuth = sign({ sub: 'auth-source' });
    const viaAuth = await rt.connect({ auth: { token: inAuth } });
    const inHeader = sign({ sub: 'header-source' });
    const viaHeader = await rt.connect({ extraHeaders: { Authorization: `Bearer ${inHeader}` } });

    const shownAuth = await admin.connected(viaAuth.id);
    expect(shownAuth.handshake).not.toHaveProperty('auth');
    expect(JSON.stringify(shownAuth)).not.toContain(inAuth);
    // A token in a header is the user's credential, shown to whoever opens the UI.
    const shownHeader = await admin.connected(viaHeader.id);
    expect((shownHeader.handshake.headers as Record<string, string>).authorization).toBe(`Bearer ${inHeader}`);
  });

  it('does not show native WebSocket clients: Admin UI instruments the Socket.IO server only', async () => {
    const admin = await openAdmin();
    await admin.allSockets();
    const native = await WsTestClient.open(`${rt.url.replace('http', 'ws')}/ws`, { headers: { Authorization: `Bearer ${sign({ sub: 'native-user' })}` } });
    natives.push(native);
    expect(await native.request('whoami', null)).toMatchObject({ id: 'native-user' });
    const announcedBefore = admin.events.filter((e) => e.event === 'socket_connected').length;

    // Admin UI announces sockets in the order they connect: the native client would come first.
    const sio = await user('sio-user');
    await admin.connected(sio.id);
    const announced = admin.events.filter((e) => e.event === 'socket_connected').slice(announcedBefore);
    expect(announced.map((e) => (e.args[0] as { id: string }).id)).toEqual([sio.id]);

    const listed = await (await openAdmin()).allSockets();
    expect(listed.some((s) => JSON.stringify(s).includes('native-user'))).toBe(false);
    expect(listed).toContainEqual(expect.objectContaining({ id: sio.id }));
  });

  it('serves the hosted UI\'s origin listed in cors, with credentials, as the hosted UI polls', async () => {
    const res = await pollingHandshake(rt.url, '/socket.io', { Origin: HOSTED_UI_ORIGIN });
    expect(res.status).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(HOSTED_UI_ORIGIN);
    expect(res.headers['access-control-allow-credentials']).toBe('true');
    const admin = await openAdmin({ auth: ADMIN, headers: { Origin: HOSTED_UI_ORIGIN } });
    expect(admin.socket.connected).toBe(true);
  });
});

describe('Socket.IO Admin UI with /admin left under the JWT check', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, cors: { origin: [APP_ORIGIN] } })],
      providers: [WhoAmIGateway, AdminUiGateway, adminUiConfig()],
    });
  });
  afterAll(() => rt?.close());

  it('locks Admin UI out: the right credentials are refused for want of a token, before Admin UI sees them', async () => {
    expect(await refusal(AdminUiClient.connect(rt.url, { auth: ADMIN }))).toEqual({
      message: 'Authentication required: no token was sent',
      data: { code: 'UNAUTHENTICATED', reason: 'missing_token' },
    });
  });

  it('refuses the hosted UI\'s origin when cors.origin does not list it', async () => {
    expect((await pollingHandshake(rt.url, '/socket.io', { Origin: HOSTED_UI_ORIGIN })).status).toBe(403);
    await expect(AdminUiClient.connect(rt.url, { auth: ADMIN, headers: { Origin: HOSTED_UI_ORIGIN } })).rejects.toThrow(/websocket error/);
  });
});

describe('Socket.IO Admin UI in production mode (NODE_ENV=production)', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET, publicNamespaces: ['/admin'] } })],
      providers: [WhoAmIGateway, AdminUiGateway, adminUiConfig({ NODE_ENV: 'production' })],
    });
  });
  afterAll(() => rt?.close());

  it('is read-only and sends aggregates only: no socket list, no per-socket events, operations go unanswered', async () => {
    const admin = await AdminUiClient.connect(rt.url, { auth: ADMIN });
    try {
      const [config] = await admin.next('config');
      expect(config).toEqual({ supportedFeatures: ['AGGREGATED_EVENTS'] });

      const member = await rt.connect({ auth: { token: sign({ sub: 'member' }) } });
      // Stats come every 2 s: wait for the first that counts the member.
      type Stats = { namespaces: { name: string; socketsCount: number }[] };
      const counted = (stats: unknown) => (stats as Stats).namespaces.some((n) => n.name === '/' && n.socketsCount === 1);
      await admin.next('server_stats', counted, 10_000);
      expect(admin.events.map((e) => e.event)).not.toContain('all_sockets');
      expect(admin.events.map((e) => e.event)).not.toContain('socket_connected');

      // Read-only: Admin UI registers no handler for its operations. With an ack, the module's
      // unknown-event answer comes back on the same connection, after the operation would have run.
      const answer = await admin.socket.timeout(5000).emitWithAck('_disconnect', '/', true);
      expect(answer).toMatchObject({ status: 'error', code: 'NOT_FOUND' });
      expect(member.connected).toBe(true);
      expect(await member.emitWithAck('whoami')).toMatchObject({ id: 'member' });
    } finally {
      admin.close();
    }
  });
});

describe.each<RedisAdapterMode>(['pubsub', 'sharded', 'streams'])('Socket.IO Admin UI on two instances sharing Redis (%s)', (mode) => {
  let redis: { url: string; stop(): Promise<void> };
  let instances: RealtimeTestingApp[];
  beforeAll(async () => {
    redis = await redisForTests();
    const options: RealtimeModuleOptions = {
      auth: { secret: SECRET, publicNamespaces: ['/admin'] },
      redis: { url: redis.url, adapter: mode, keyPrefix: `admin-ui-${mode}` },
    };
    instances = [];
    for (let i = 0; i < 2; i++) {
      instances.push(
        await createRealtimeTestingApp({
          imports: [RealtimeModule.forRoot(options)],
          providers: [ClusterRoomsGateway, AdminUiGateway, adminUiConfig()],
        }),
      );
    }
    await waitUntilMeshed(instances);
  });
  afterAll(async () => {
    await Promise.all((instances ?? []).map((instance) => instance.close()));
    await redis?.stop();
  });

  it('the UI connected to one instance sees sockets connecting to the other, and lists the sockets of both', async () => {
    const [first, second] = instances as [RealtimeTestingApp, RealtimeTestingApp];
    const admin = await AdminUiClient.connect(first.url, { auth: ADMIN });
    const fresh: AdminUiClient[] = [];
    try {
      await admin.allSockets();
      const here = await first.connect({ namespace: 'rooms', auth: { token: sign({ sub: 'here' }) } });
      const there = await second.connect({ namespace: 'rooms', auth: { token: sign({ sub: 'there' }) } });
      // Admin UI's announcements travel through the adapter.
      expect(await admin.connected(there.id, 10_000)).toMatchObject({ nsp: '/rooms', data: { user: { id: 'there' } } });

      // The list is the adapter's fetchSockets(), across instances.
      fresh.push(await AdminUiClient.connect(first.url, { auth: ADMIN }));
      const listed = await fresh[0]!.allSockets(10_000);
      expect(listed.map((s) => s.id)).toEqual(expect.arrayContaining([here.id, there.id]));
    } finally {
      admin.close();
      for (const client of fresh) client.close();
    }
  });
});

describe('Admin UI\'s basic auth, in a process of its own', () => {
  const children: Child[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.process.exitCode === null) child.process.kill('SIGKILL');
  });

  const start = async (variant: 'guarded' | 'unguarded') => {
    const child = runFixture('admin-ui-instance.mjs', [variant]);
    children.push(child);
    const port = Number((await child.waitFor(/READY (\d+)/))[1]);
    return { child, url: `http://127.0.0.1:${port}` };
  };

  it('without a check before it, a password that is not a string ends the process (bcrypt rejects, nothing catches it)', async () => {
    const { child, url } = await start('unguarded');
    const attempt = io(`${url}/admin`, { transports: ['websocket'], forceNew: true, reconnection: false, auth: { username: 'admin', password: 42 } });
    try {
      expect(await child.exit(10_000)).toBe(1);
      expect(child.output()).toContain('Illegal arguments: number, string');
    } finally {
      attempt.close();
    }
  });

  it('with the check the docs show, it is refused and the process keeps serving', async () => {
    const { child, url } = await start('guarded');
    expect(await refusal(connectClient(url, { namespace: 'admin', auth: { username: 'admin', password: 42 } }))).toEqual({
      message: 'invalid credentials',
      data: undefined,
    });
    const admin = await connectClient(url, { namespace: 'admin', auth: { username: 'admin', password: 'admin-password' } });
    admin.close();
    child.process.stdin!.write('close\n');
    await child.waitFor(/CLOSED/, 5000);
    expect(await child.exit(10_000)).toBe(0);
  });
});
