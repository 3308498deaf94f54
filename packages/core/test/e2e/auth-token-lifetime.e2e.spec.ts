import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { WhoAmIGateway } from '../support/auth-gateways.js';
import { SECRET, sign } from '../support/tokens.js';

const NOTICE_MS = 1500;
const GRACE_MS = 1500;

/** A token that expires `seconds` from now (JWT `exp` has one-second resolution). */
const expiringIn = (sub: string, seconds: number) => sign({ sub, exp: Math.floor(Date.now() / 1000) + seconds });
const expSecondsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString()).exp as number;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('token lifetime on a live connection', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ auth: { secret: SECRET, expiringNoticeMs: NOTICE_MS, refreshGraceMs: GRACE_MS } })],
      providers: [WhoAmIGateway],
    });
  });
  afterAll(() => rt?.close());

  it('announces auth:expiring, and a refresh with the same subject extends the connection', async () => {
    // More than NOTICE_MS away, so the notice comes after connect() has resolved and we listen.
    const token = expiringIn('alice', 3);
    const socket = await rt.connect({ auth: { token } });
    expect(await waitForEvent(socket, 'auth:expiring', 4000)).toEqual({ expiresAt: expSecondsOf(token) * 1000 });

    const fresh = expiringIn('alice', 60);
    expect(await socket.emitWithAck('auth:refresh', { token: fresh })).toEqual({ status: 'ok', expiresAt: expSecondsOf(fresh) * 1000 });

    // Past the old token's expiry and grace period, the connection still works.
    await sleep(expSecondsOf(token) * 1000 + GRACE_MS + 500 - Date.now());
    expect(socket.connected).toBe(true);
    expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'alice' });
  });

  it('without a refresh: messages fail with UNAUTHENTICATED after exp, then auth:expired and a disconnect', async () => {
    const token = expiringIn('bob', 2);
    const socket = await rt.connect({ auth: { token } });
    const expired = waitForEvent(socket, 'auth:expired', 6000);
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));

    await sleep(expSecondsOf(token) * 1000 - Date.now() + 100);
    expect(await socket.emitWithAck('whoami')).toMatchObject({
      status: 'error',
      code: 'UNAUTHENTICATED',
      details: { reason: 'expired_token' },
      event: 'whoami',
      requestId: expect.any(String),
    });
    expect(await expired).toEqual({ expiresAt: expect.any(Number) });
    expect(await disconnected).toBe('io server disconnect');
  });

  it('refuses a refresh token of another subject, keeping the user as it was', async () => {
    const socket = await rt.connect({ auth: { token: expiringIn('carol', 60) } });
    expect(await socket.emitWithAck('auth:refresh', { token: expiringIn('mallory', 600) })).toMatchObject({
      status: 'error',
      code: 'FORBIDDEN',
      details: { reason: 'subject_mismatch' },
      event: 'auth:refresh',
    });
    expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'carol' });
  });

  it('refuses invalid refresh tokens through the ack, or as an exception event without one', async () => {
    const socket: Socket = await rt.connect({ auth: { token: expiringIn('dan', 60) } });
    expect(await socket.emitWithAck('auth:refresh', { token: 'garbage' })).toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'invalid_token' },
    });
    expect(await socket.emitWithAck('auth:refresh', { token: sign({ sub: 'dan', exp: 1 }) })).toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'expired_token' },
    });
    expect(await socket.emitWithAck('auth:refresh', 'not an object')).toMatchObject({
      code: 'UNAUTHENTICATED',
      details: { reason: 'missing_token' },
    });
    const exception = waitForEvent(socket, 'exception');
    socket.emit('auth:refresh', { token: 'garbage' });
    expect(await exception).toMatchObject({ status: 'error', code: 'UNAUTHENTICATED', event: 'auth:refresh' });
    expect(await socket.emitWithAck('whoami')).toMatchObject({ id: 'dan' });
  });
});
