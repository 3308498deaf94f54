import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PING_EVENT, RealtimeIoAdapter, RealtimeModule } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { PAYLOAD_TOO_DEEP, WS_CLOSE_RATE_LIMITED } from '../../src/protocol/index.js';
import { PublicNativeGateway } from '../support/native-ws-gateways.js';
import { PingNativeGateway, PingSocketIoGateway } from '../support/ping-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';

/** The module budget: a ping draws on it like any other message. */
const POINTS = 3;
const DISCONNECT_AFTER = 2;
const MAX_DEPTH = 4;

const bearer = (sub: string) => ({ headers: { Authorization: `Bearer ${sign({ sub })}` } });

/** `depth` objects, one inside the other. */
const nested = (depth: number): unknown => (depth === 0 ? 'leaf' : { inner: nested(depth - 1) });

describe('realtime:ping, the heartbeat a client sends', () => {
  let rt: RealtimeTestingApp;
  let url: string;
  const open: WsTestClient[] = [];
  const connect = async (sub: string) => {
    const client = await WsTestClient.open(url, bearer(sub));
    open.push(client);
    return client;
  };

  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      {
        imports: [
          RealtimeModule.forRoot({
            auth: { secret: SECRET },
            rateLimit: { points: POINTS, durationMs: 60_000, disconnectAfter: DISCONNECT_AFTER },
            limits: { maxPayloadDepth: MAX_DEPTH },
          }),
        ],
        providers: [PingNativeGateway, PingSocketIoGateway, PublicNativeGateway],
      },
      { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
    );
    url = `${rt.url.replace('http', 'ws')}/ws-ping`;
  });
  afterEach(() => {
    for (const client of open.splice(0)) client.close();
  });
  afterAll(() => rt?.close());

  it('is answered by a frame of its own name, and never reaches a handler (not even one subscribed to it)', async () => {
    const client = await connect('ada');
    expect(await client.request(PING_EVENT, undefined)).toEqual({ status: 'ok' });
    expect(await client.request(PING_EVENT, { any: 'payload' })).toEqual({ status: 'ok' });
    expect(rt.app.get(PingNativeGateway).pingsHandled).toBe(0);
    // Neither an exception (NOT_FOUND or other) nor anything else came besides the answers.
    expect(client.frames).toEqual([]);
  });

  it('counts against the rate limit like any frame, and a flood of pings is closed with 4003', async () => {
    const client = await connect('bob');
    expect(await client.request('echo', 1)).toBe(1);
    expect(await client.request(PING_EVENT, undefined)).toEqual({ status: 'ok' });
    expect(await client.request('echo', 2)).toBe(2);
    // The budget (3) is spent: the next ping is refused like any message, as an `exception` naming it.
    const refused = client.next('exception');
    client.send(PING_EVENT);
    expect((await refused).data).toMatchObject({ status: 'error', code: 'RATE_LIMITED', event: PING_EVENT, details: { retryAfterMs: expect.any(Number) } });
    for (let i = 0; i < DISCONNECT_AFTER; i++) client.send(PING_EVENT);
    expect(await client.closed).toEqual({ code: WS_CLOSE_RATE_LIMITED, reason: 'rate_limited' });
    expect(rt.app.get(PingNativeGateway).pingsHandled).toBe(0);
  });

  it('passes the payload limits like any frame', async () => {
    const client = await connect('cy');
    const refused = client.next('exception');
    client.send(PING_EVENT, nested(MAX_DEPTH + 2));
    expect((await refused).data).toMatchObject({ status: 'error', code: 'BAD_REQUEST', event: PING_EVENT, details: { reason: PAYLOAD_TOO_DEEP } });
    expect(client.frames.filter((frame) => frame.event === PING_EVENT)).toEqual([]);
  });

  it('grants an anonymous connection of a public gateway nothing but the answer', async () => {
    const client = await WsTestClient.open(`${rt.url.replace('http', 'ws')}/ws-public`);
    open.push(client);
    expect(await client.request(PING_EVENT, undefined)).toEqual({ status: 'ok' });
    const refused = client.next('exception');
    client.send('members-only');
    expect((await refused).data).toMatchObject({ code: 'UNAUTHENTICATED', event: 'members-only' });
  });

  it('is answered through the ack on Socket.IO too (the same pipeline), and reaches no handler there either', async () => {
    const socket = await rt.connect({ namespace: 'ping', user: { id: 'dee' } });
    expect(await socket.emitWithAck(PING_EVENT)).toEqual({ status: 'ok' });
    // Without an ack there is nothing to answer: nothing comes back (an error would arrive before
    // the answer to the next message, which the server handles after it), and no handler runs.
    const exceptions: unknown[] = [];
    socket.on('exception', (payload: unknown) => exceptions.push(payload));
    socket.emit(PING_EVENT);
    expect(await socket.emitWithAck('echo', 'after')).toBe('after');
    expect(exceptions).toEqual([]);
    expect(rt.app.get(PingSocketIoGateway).pingsHandled).toBe(0);
  });
});
