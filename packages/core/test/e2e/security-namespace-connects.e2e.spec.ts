import { afterEach, describe, expect, it } from 'vitest';
import { RealtimeModule, RealtimeService } from '../../src/index.js';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { DRAINING_EVENT } from '../../src/protocol/index.js';
import { AlphaEchoGateway, BetaEchoGateway, RootEchoGateway } from '../support/echo-gateways.js';
import { RawEngineIoClient } from '../support/raw-engine-io.js';
import { SECRET, sign } from '../support/tokens.js';

/**
 * A Socket.IO namespace `CONNECT` opens a socket and verifies a token over an Engine.IO connection
 * that is already open. Only the session's opening went through `limits.handshakesPerIp` and the
 * drain gate: one connection could send `CONNECT`s without end (forged tokens, or join, leave and
 * join again for a fresh rate-limit budget each time), and connect while the server drains.
 */
describe('namespace CONNECTs over an open connection (pentest)', () => {
  let rt: RealtimeTestingApp | undefined;
  let validations = 0;
  afterEach(async () => {
    await rt?.close();
    rt = undefined;
  });
  const boot = (limits: object, drain?: object) =>
    createRealtimeTestingApp({
      imports: [
        RealtimeModule.forRoot({
          auth: {
            secret: SECRET,
            validate: (claims) => {
              validations += 1;
              return { id: String(claims.sub) };
            },
          },
          limits,
          ...(drain ? { drain } : {}),
        }),
      ],
      providers: [RootEchoGateway, AlphaEchoGateway, BetaEchoGateway],
    });

  it('counts every CONNECT after the first toward handshakesPerIp, so a connection cannot verify tokens without end', async () => {
    rt = await boot({ handshakesPerIp: { points: 3, durationMs: 60_000 } });
    const raw = await RawEngineIoClient.open(rt.url); // handshake 1 of 3
    const forged = sign({ sub: 'mallory' }).slice(0, -4) + 'AAAA';
    // The first CONNECT rides on the session's handshake; the next two take the last two.
    for (let i = 0; i < 3; i++) {
      expect(await raw.connectNamespace('/alpha', { token: forged })).toMatchObject({ type: 4, data: { data: { code: 'UNAUTHENTICATED', reason: 'invalid_token' } } });
    }
    const refused = await raw.connectNamespace('/alpha', { token: forged });
    expect(refused).toMatchObject({ type: 4, data: { message: 'Too many connection attempts', data: { code: 'RATE_LIMITED' } } });
    // The address's budget is spent for a new session too.
    await expect(RawEngineIoClient.open(rt.url)).rejects.toThrow(/HTTP 400/);
    raw.close();
  });

  it('counts leaving and joining a namespace again: each join verifies a token and would bring a fresh message budget', async () => {
    rt = await boot({ handshakesPerIp: { points: 3, durationMs: 60_000 } });
    const raw = await RawEngineIoClient.open(rt.url);
    const token = sign({ sub: 'rejoiner' });
    const before = validations;
    expect(await raw.connectNamespace('/alpha', { token })).toMatchObject({ type: 0 });
    for (let i = 0; i < 2; i++) {
      raw.send('41/alpha,');
      await expect.poll(async () => (await rt!.app.get(RealtimeService).socketsOf('rejoiner')).length).toBe(0);
      expect(await raw.connectNamespace('/alpha', { token })).toMatchObject({ type: 0 });
    }
    raw.send('41/alpha,');
    await expect.poll(async () => (await rt!.app.get(RealtimeService).socketsOf('rejoiner')).length).toBe(0);
    expect(await raw.connectNamespace('/alpha', { token })).toMatchObject({ type: 4, data: { data: { code: 'RATE_LIMITED' } } });
    // Refused before its token was verified.
    expect(validations - before).toBe(3);
    raw.close();
  });

  it('lets a tab join as many namespaces as the budget holds handshakes', async () => {
    rt = await boot({ handshakesPerIp: { points: 3, durationMs: 60_000 } });
    const raw = await RawEngineIoClient.open(rt.url);
    const token = sign({ sub: 'tab' });
    for (const nsp of ['/', '/alpha', '/beta']) expect(await raw.connectNamespace(nsp, { token })).toMatchObject({ type: 0 });
    raw.send('42/beta,1["echo","still here"]');
    expect(await raw.until(() => raw.packets.find((p) => p.nsp === '/beta' && p.type === 3 && p.id === 1), 3000)).toMatchObject({ data: ['still here'] });
    raw.close();
  });

  it('refuses a CONNECT over a connection opened before the drain began', async () => {
    rt = await boot({}, { timeoutMs: 3000, batchSize: 1, reconnectDelayMs: 500 });
    const app = rt;
    // Two clients in batches of one: the drain pauses between them, with the server still up.
    const sockets = [await app.connect({ user: { id: 'a' } }), await app.connect({ user: { id: 'b' } })];
    const raw = await RawEngineIoClient.open(app.url);
    const draining = waitForEvent(sockets[0], DRAINING_EVENT);
    const closing = app.app.close();
    await draining;
    expect(await raw.connectNamespace('/alpha', { token: sign({ sub: 'late' }) })).toMatchObject({
      type: 4,
      data: { message: 'Server is shutting down', data: { code: 'UNAVAILABLE' } },
    });
    await closing;
    rt = undefined;
    raw.close();
  });
});
