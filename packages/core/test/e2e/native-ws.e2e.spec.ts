import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, RealtimeService } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { RootEchoGateway } from '../support/echo-gateways.js';
import { ERROR_PATHS } from '../support/error-gateways.js';
import { NativeErrorsGateway, NativeGateway, PublicNativeGateway } from '../support/native-ws-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';
import { WS_CLOSE_AUTH_EXPIRED, WS_CLOSE_DISCONNECTED } from '../../src/protocol/index.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_PAYLOAD = 4096;

/** Socket.IO and native gateways in one app, as users mix them. */
const bothTransports = (app: Parameters<NonNullable<Parameters<typeof createRealtimeTestingApp>[1]>['adapter'] & {}>[0]) =>
  new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) });

describe('native WebSocket gateways beside Socket.IO', () => {
  let rt: RealtimeTestingApp;
  let wsUrl: (path: string) => string;
  const open: WsTestClient[] = [];
  const connect = async (path: string, options: Parameters<typeof WsTestClient.open>[1] = {}) => {
    const client = await WsTestClient.open(wsUrl(path), options);
    open.push(client);
    return client;
  };
  const bearer = (claims: Record<string, unknown>, options = {}) => ({ headers: { Authorization: `Bearer ${sign(claims, options)}` } });

  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      {
        imports: [RealtimeModule.forRoot({ auth: { secret: SECRET, refreshGraceMs: 0 }, maxHttpBufferSize: MAX_PAYLOAD })],
        providers: [RootEchoGateway, NativeGateway, NativeErrorsGateway, PublicNativeGateway],
      },
      { adapter: bothTransports },
    );
    wsUrl = (path) => `${rt.url.replace('http', 'ws')}${path}`;
  });
  afterEach(() => {
    vi.restoreAllMocks();
    for (const client of open.splice(0)) client.close();
  });
  afterAll(() => rt?.close());

  describe('handshake authentication at the HTTP upgrade', () => {
    it('connects with an Authorization header; @WsAuthUser() and handleConnection see the user', async () => {
      const client = await connect('/ws', bearer({ sub: 'ada', name: 'Ada' }));
      expect(await client.request('whoami', null)).toEqual({ user: expect.objectContaining({ id: 'ada', name: 'Ada' }), id: 'ada' });
      expect(rt.app.get(NativeGateway).connectedUsers).toContainEqual(expect.objectContaining({ id: 'ada' }));
    });

    it('connects with the token as subprotocol ["bearer", token] and answers "bearer", never the token', async () => {
      const client = await connect('/ws', { protocols: ['bearer', sign({ sub: 'grace' })] });
      expect(client.socket.protocol).toBe('bearer');
      expect(await client.request('whoami', null)).toMatchObject({ id: 'grace' });
    });

    it.each([
      ['missing', {}, 'missing_token'],
      ['signed with another secret', { headers: { Authorization: `Bearer ${sign({ sub: 'ada' }, { secret: 'another-secret-that-is-long-enough-!!!' })}` } }, 'invalid_token'],
      ['not a JWT', { protocols: ['bearer', 'not.a.jwt'] }, 'invalid_token'],
      ['expired', { headers: { Authorization: `Bearer ${sign({ sub: 'ada', exp: Math.floor(Date.now() / 1000) - 60 })}` } }, 'expired_token'],
    ])('answers a %s token with HTTP 401, a JSON reason, and no WebSocket', async (_name, options, reason) => {
      const refusal = await WsTestClient.refusal(wsUrl('/ws'), options);
      expect(refusal).toEqual({ status: 401, opened: false, body: { code: 'UNAUTHENTICATED', reason, message: expect.any(String) } });
      expect(await rt.connect({ user: { id: 'after' } })).toBeTruthy();
    });

    it('lets anonymous clients into a public gateway, where WsJwtGuard still protects non-public handlers', async () => {
      const client = await connect('/ws-public');
      expect(await client.request('hello', null)).toBe('anyone');
      const refused = client.next('exception');
      client.send('members-only');
      expect((await refused).data).toMatchObject({ status: 'error', code: 'UNAUTHENTICATED', details: { reason: 'missing_token' }, event: 'members-only' });
    });
  });

  describe('the error contract in the { event: "exception", data } envelope', () => {
    it.each(ERROR_PATHS)('%s %j', async (event, body, expected) => {
      vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const client = await connect('/ws-errors', bearer({ sub: 'ada' }));
      const bystander = await connect('/ws-errors', bearer({ sub: 'bob' }));
      const exception = client.next('exception');
      client.send(event, body);
      expect(await exception).toEqual({ event: 'exception', data: { status: 'error', ...expected, event, requestId: expect.stringMatching(UUID) } });
      expect(await client.request('ping', 'after', 'pong')).toBe('after');
      expect(await bystander.request('ping', 'unaffected', 'pong')).toBe('unaffected');
    });
  });

  describe('malformed frames', () => {
    it.each([
      ['not JSON', '{"event": "ping", '],
      ['JSON without event', JSON.stringify({ data: 1 })],
      ['JSON that is not an object', '42'],
      ['an empty event name', JSON.stringify({ event: '', data: 1 })],
    ])('answers %s with BAD_REQUEST and keeps serving', async (_name, frame) => {
      const client = await connect('/ws-errors', bearer({ sub: 'ada' }));
      const exception = client.next('exception');
      client.sendRaw(frame);
      expect((await exception).data).toMatchObject({ status: 'error', code: 'BAD_REQUEST', message: expect.stringContaining('"event"') });
      expect(await client.request('ping', 'still here', 'pong')).toBe('still here');
    });

    it('answers an event with no handler with NOT_FOUND', async () => {
      const client = await connect('/ws-errors', bearer({ sub: 'ada' }));
      const exception = client.next('exception');
      client.send('no-such-event', 1);
      expect((await exception).data).toMatchObject({ code: 'NOT_FOUND', event: 'no-such-event' });
    });

    it('closes a connection that sends more than maxHttpBufferSize (1009); others keep working', async () => {
      const client = await connect('/ws-errors', bearer({ sub: 'ada' }));
      const bystander = await connect('/ws-errors', bearer({ sub: 'bob' }));
      client.send('ping', 'x'.repeat(MAX_PAYLOAD + 1));
      expect((await client.closed).code).toBe(1009);
      expect(await bystander.request('ping', 'fine', 'pong')).toBe('fine');
    });
  });

  it('streams an Observable handler as frames, and stops it when the client closes', async () => {
    const client = await connect('/ws', bearer({ sub: 'ada' }));
    client.send('count', 3);
    expect([await client.next('count'), await client.next('count'), await client.next('count')].map((f) => f.data)).toEqual([0, 1, 2]);

    const gateway = rt.app.get(NativeGateway);
    const stoppedBefore = gateway.stoppedStreams;
    const endless = await connect('/ws', bearer({ sub: 'ada' }));
    endless.send('count', 1_000_000);
    await endless.next('count');
    endless.close();
    await endless.closed;
    await vi.waitFor(() => expect(gateway.stoppedStreams).toBe(stoppedBefore + 1));
  });

  describe('token lifetime', () => {
    it('announces expiry, accepts auth:refresh for the same user, refuses another user', async () => {
      const client = await connect('/ws', bearer({ sub: 'ada' }, { expiresIn: 30 }));
      const expiring = (await client.next('auth:expiring')).data as { expiresAt: number };
      expect(expiring.expiresAt).toBeGreaterThan(Date.now());

      const refreshed = (await client.request('auth:refresh', { token: sign({ sub: 'ada' }, { expiresIn: '1h' }) })) as { status: string; expiresAt: number };
      expect(refreshed).toEqual({ status: 'ok', expiresAt: expect.any(Number) });
      expect(refreshed.expiresAt).toBeGreaterThan(expiring.expiresAt);

      const refused = client.next('exception');
      client.send('auth:refresh', { token: sign({ sub: 'mallory' }) });
      expect((await refused).data).toMatchObject({ code: 'FORBIDDEN', details: { reason: 'subject_mismatch' }, event: 'auth:refresh' });
      expect(await client.request('whoami', null)).toMatchObject({ id: 'ada' });
    });

    it('closes with auth:expired (4001) when the token expires without a refresh', async () => {
      const client = await connect('/ws', bearer({ sub: 'ada' }, { expiresIn: 1 }));
      expect((await client.next('auth:expired', 4000)).data).toEqual({ expiresAt: expect.any(Number) });
      expect(await client.closed).toEqual({ code: WS_CLOSE_AUTH_EXPIRED, reason: 'auth:expired' });
    });
  });

  describe('RealtimeService reaches native clients', () => {
    it('toUser() reaches the user on both transports, and no one else', async () => {
      const native = await connect('/ws', bearer({ sub: 'ada' }));
      const other = await connect('/ws', bearer({ sub: 'bob' }));
      const socketIo = await rt.connect({ user: { id: 'ada' } });
      const onSocketIo = waitForEvent(socketIo, 'note');
      const onNative = native.next('note');

      rt.app.get(RealtimeService).toUser('ada').emit('note', { text: 'hi' });

      expect(await onSocketIo).toEqual({ text: 'hi' });
      expect((await onNative).data).toEqual({ text: 'hi' });
      await expect(other.next('note', 300)).rejects.toThrow(/no "note" frame/);
    });

    it('disconnectUser() tells native clients why, then closes them (4002)', async () => {
      const native = await connect('/ws', bearer({ sub: 'carol' }));
      const notice = native.next('realtime:disconnected');
      await rt.app.get(RealtimeService).disconnectUser('carol', 'account suspended');
      expect((await notice).data).toEqual({ reason: 'account suspended' });
      expect(await native.closed).toEqual({ code: WS_CLOSE_DISCONNECTED, reason: 'account suspended' });
    });
  });

  it('leaves the Socket.IO gateways on the same HTTP server untouched', async () => {
    const socket = await rt.connect({ user: { id: 'ada' } });
    expect(await socket.emitWithAck('echo', 'io')).toBe('io');
  });
});
