import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { RootEchoGateway } from '../support/echo-gateways.js';
import { pollingHandshake, upgradeRequest } from '../support/http-probe.js';
import { NativeGateway } from '../support/native-ws-gateways.js';
import { SECRET, sign } from '../support/tokens.js';

const ALLOWED = 'https://app.example.com';

describe('origin policy variants', () => {
  let rt: RealtimeTestingApp | undefined;
  const boot = async (options: RealtimeModuleOptions) => {
    rt = await createRealtimeTestingApp({ imports: [RealtimeModule.forRoot(options)], providers: [RootEchoGateway] });
    return rt;
  };
  afterEach(() => rt?.close());

  it('refuses requests without Origin when allowRequestsWithoutOrigin is false', async () => {
    const app = await boot({ cors: { origin: [ALLOWED] }, allowRequestsWithoutOrigin: false });
    expect((await pollingHandshake(app.url, '/socket.io')).status).toBe(403);
    await expect(app.connect()).rejects.toThrow(/websocket error/);
    const browser = await app.connect({ extraHeaders: { Origin: ALLOWED } });
    expect(await browser.emitWithAck('echo', 'ok')).toBe('ok');
  });

  it('matches RegExp entries', async () => {
    const app = await boot({ cors: { origin: [/^https:\/\/[a-z]+\.example\.com$/] } });
    expect((await pollingHandshake(app.url, '/socket.io', { Origin: 'https://admin.example.com' })).status).toBe(200);
    expect((await pollingHandshake(app.url, '/socket.io', { Origin: 'https://example.com.evil.net' })).status).toBe(403);
  });

  it('asks an origin function and honours its answer on the WebSocket transport', async () => {
    const seen: (string | undefined)[] = [];
    const app = await boot({
      cors: {
        origin: (origin, callback) => {
          seen.push(origin);
          callback(null, origin === ALLOWED);
        },
      },
    });
    await expect(app.connect({ extraHeaders: { Origin: 'https://other.example' } })).rejects.toThrow();
    const socket = await app.connect({ extraHeaders: { Origin: ALLOWED } });
    expect(socket.connected).toBe(true);
    expect(seen).toEqual(expect.arrayContaining(['https://other.example', ALLOWED]));
  });

  it('refuses the connection when the origin function fails, and keeps serving', async () => {
    const app = await boot({
      cors: { origin: (origin, callback) => (origin === 'https://broken.example' ? callback(new Error('db down')) : callback(null, true)) },
    });
    const res = await pollingHandshake(app.url, '/socket.io', { Origin: 'https://broken.example' });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.body).not.toMatch(/db down|"sid"/);
    await expect(app.connect({ extraHeaders: { Origin: 'https://broken.example' } })).rejects.toThrow(/websocket error/);
    expect((await pollingHandshake(app.url, '/socket.io', { Origin: ALLOWED })).status).toBe(200);
  });

  it('with origin false, accepts only pages from this very host', async () => {
    const app = await boot({ cors: { origin: false } });
    const host = new URL(app.url).host;
    expect((await pollingHandshake(app.url, '/socket.io', { Origin: `http://${host}` })).status).toBe(200);
    expect((await pollingHandshake(app.url, '/socket.io', { Origin: ALLOWED })).status).toBe(403);
  });

  it('enforces nothing when every origin is allowed', async () => {
    const app = await boot({ cors: { origin: '*' } });
    expect((await pollingHandshake(app.url, '/socket.io', { Origin: 'https://anyone.example' })).status).toBe(200);
  });
});

describe('what an origin outside the allowlist gets, on each transport (as security.md documents it)', () => {
  let rt: RealtimeTestingApp;
  const OTHER = 'https://evil.example';
  const bearer = () => ({ Authorization: `Bearer ${sign({ sub: 'ada' })}` });

  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      {
        imports: [RealtimeModule.forRoot({ cors: { origin: [ALLOWED] }, auth: { secret: SECRET } })],
        providers: [RootEchoGateway, NativeGateway],
      },
      { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
    );
  });
  afterAll(() => rt?.close());

  it('a Socket.IO handshake over long-polling: HTTP 403, Engine.IO error 4 with the reason', async () => {
    const refused = await pollingHandshake(rt.url, '/socket.io', { Origin: OTHER });
    expect(refused.status).toBe(403);
    expect(JSON.parse(refused.body)).toEqual({ code: 4, message: 'Origin not allowed' });
    expect((await pollingHandshake(rt.url, '/socket.io', { Origin: ALLOWED })).status).toBe(200);
  });

  it('a Socket.IO handshake over WebSocket (no sid): HTTP 400, body "Origin not allowed", no WebSocket', async () => {
    const handshake = '/socket.io/?EIO=4&transport=websocket';
    const refused = await upgradeRequest(rt.url, handshake, { Origin: OTHER });
    expect(refused.status).toBe(400);
    expect(refused.body).toBe('Origin not allowed');
    expect((await upgradeRequest(rt.url, handshake, { Origin: ALLOWED })).status).toBe(101);
  });

  it('a native WebSocket upgrade: HTTP 403, JSON FORBIDDEN "Origin not allowed", before the token is looked at', async () => {
    const refused = await upgradeRequest(rt.url, '/ws', { Origin: OTHER, ...bearer() });
    expect(refused.status).toBe(403);
    expect(refused.headers['content-type']).toBe('application/json');
    expect(refused.body).toBe('{"code":"FORBIDDEN","message":"Origin not allowed"}');
    expect((await upgradeRequest(rt.url, '/ws', { Origin: ALLOWED, ...bearer() })).status).toBe(101);
  });
});
