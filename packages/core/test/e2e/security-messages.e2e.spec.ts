import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { LimitedGateway, LimitedNativeGateway } from '../support/rate-limit-gateways.js';
import { handled, ValidatedGateway, ValidatedNativeGateway } from '../support/security-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';
import { RawEngineIoClient, type SioPacket } from '../support/raw-engine-io.js';
import { WS_CLOSE_RATE_LIMITED } from '../../src/protocol/index.js';

const boot = (options: RealtimeModuleOptions, providers: unknown[]) =>
  createRealtimeTestingApp(
    { imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, ...options })], providers: providers as never[] },
    { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
  );

/**
 * `{"items":[[[…1…]]]}`, `depth` arrays deep (about 2 bytes a level), as JSON text: clients'
 * encoders recurse and could not even send it.
 */
const deepBody = (depth: number) => `{"items":${'['.repeat(depth)}1${']'.repeat(depth)}}`;

describe('deeply nested payloads (security review, finding 5)', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({}, [ValidatedGateway, ValidatedNativeGateway]);
  });
  afterAll(() => rt?.close());

  it('refuses a 100,000-deep payload before the pipe, while the event loop keeps answering others', async () => {
    const attacker = await RawEngineIoClient.open(rt.url);
    expect(await attacker.connectNamespace('/validated', { token: sign({ sub: 'mallory' }) })).toMatchObject({ type: 0 });
    const bystander = await rt.connect({ namespace: 'validated', user: { id: 'ada' } });
    const before = handled.validated;
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const refusals = Promise.all(
      Array.from({ length: 5 }, (_, i) => {
        attacker.send(`42/validated,${i}["save",${deepBody(100_000)}]`);
        return attacker.until(() => attacker.packets.find((p) => p.type === 3 && p.id === i), 5000).then((packet) => (packet as SioPacket).data);
      }),
    );
    // Answered while the five are being refused; before, each of them blocked the loop for over a second.
    const started = Date.now();
    expect(await bystander.emitWithAck('ping')).toBe('pong');
    const pingMs = Date.now() - started;
    for (const refusal of await refusals) {
      expect(refusal).toMatchObject([{ status: 'error', code: 'BAD_REQUEST', details: { reason: 'too_deep', maxDepth: 32 } }]);
    }
    lag.disable();
    expect(handled.validated).toBe(before);
    // Before the fix the five blocked the loop for over five seconds; a bound well under that holds
    // on a loaded CI machine (other test files run beside this one) and still catches the regression.
    expect(pingMs).toBeLessThan(1000);
    expect(lag.max / 1e6).toBeLessThan(1000);
    expect(await bystander.emitWithAck('save', { items: [1, 2, 3] })).toEqual({ saved: 3 });
    attacker.close();
  });

  it('refuses a payload with more values than limits.maxPayloadNodes as PAYLOAD_TOO_LARGE', async () => {
    const client = await rt.connect({ namespace: 'validated', user: { id: 'mallory' } });
    const reply = await client.emitWithAck('save', { items: Array.from({ length: 20_000 }, (_, i) => i) });
    expect(reply).toMatchObject({ status: 'error', code: 'PAYLOAD_TOO_LARGE', details: { reason: 'too_many_nodes', maxNodes: 10_000 } });
  });

  it('refuses the same on native WebSocket, as an exception frame', async () => {
    const before = handled.validated;
    const client = await WsTestClient.open(`${rt.url.replace('http', 'ws')}/validated-ws`, { protocols: ['bearer', sign({ sub: 'mallory' })] });
    client.sendRaw(`{"event":"save","data":${deepBody(100_000)}}`);
    expect((await client.next('exception')).data).toMatchObject({ code: 'BAD_REQUEST', event: 'save', details: { reason: 'too_deep' } });
    expect(handled.validated).toBe(before);
    expect(await client.request('save', { items: [1] }, 'saved')).toBe(1);
    client.close();
  });
});

describe('everything a client sends is rate limited (security review, findings 6 and 7)', () => {
  let rt: RealtimeTestingApp;
  let verifications = 0;
  beforeAll(async () => {
    rt = await createRealtimeTestingApp(
      {
        imports: [
          RealtimeModule.forRoot({
            auth: {
              secret: SECRET,
              validate: (claims) => {
                verifications += 1;
                return { id: String(claims.sub) };
              },
            },
            rateLimit: { points: 5, durationMs: 60_000, disconnectAfter: 10, perUser: { points: 3, durationMs: 60_000 } },
          }),
        ],
        providers: [LimitedGateway, LimitedNativeGateway],
      },
      { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
    );
  });
  afterAll(() => rt?.close());

  it('refuses an auth:refresh flood before verifying the tokens, and disconnects after disconnectAfter refusals', async () => {
    const socket = await rt.connect({ namespace: 'limited', user: { id: 'flooder' } });
    const verifiedBefore = verifications;
    const token = sign({ sub: 'flooder' });
    const replies: unknown[] = [];
    // The per-user budget (3) is the tighter one here.
    for (let i = 0; i < 3; i++) replies.push(await socket.emitWithAck('auth:refresh', { token }));
    expect(replies).toEqual(Array.from({ length: 3 }, () => expect.objectContaining({ status: 'ok' })));
    const refused = await socket.emitWithAck('auth:refresh', { token });
    expect(refused).toMatchObject({ status: 'error', code: 'RATE_LIMITED', event: 'auth:refresh' });
    expect(verifications - verifiedBefore).toBe(3);

    const told = waitForEvent(socket, 'realtime:disconnected');
    for (let i = 0; i < 9; i++) socket.emit('auth:refresh', { token });
    expect(await told).toEqual({ reason: 'rate_limited' });
    expect(verifications - verifiedBefore).toBe(3);
  });

  it('on native WebSocket, malformed frames and unknown events draw on the budget and count toward disconnectAfter', async () => {
    const client = await WsTestClient.open(`${rt.url.replace('http', 'ws')}/limited-ws`, { protocols: ['bearer', sign({ sub: 'native-flooder' })] });
    // The per-user budget (3) is the tighter one here.
    for (let i = 0; i < 3; i++) client.sendRaw(i % 2 ? 'not json' : JSON.stringify({ event: 'no-such-event' }));
    const answers = await Promise.all(Array.from({ length: 3 }, () => client.next('exception')));
    expect(answers.map((frame) => (frame.data as { code: string }).code).sort()).toEqual(['BAD_REQUEST', 'NOT_FOUND', 'NOT_FOUND']);
    client.sendRaw('not json');
    expect((await client.next('exception')).data).toMatchObject({ code: 'RATE_LIMITED' });
    for (let i = 0; i < 9; i++) client.send('no-such-event');
    expect(await client.closed).toEqual({ code: WS_CLOSE_RATE_LIMITED, reason: 'rate_limited' });
  });

  it('exempts a @RateLimit(false) handler from the per-user budget too', async () => {
    const socket = await rt.connect({ namespace: 'limited', user: { id: 'typist' } });
    for (let i = 0; i < 20; i++) expect(await socket.emitWithAck('typing')).toBe('typing');
    // Twenty exempt messages later, the user's budget of three is untouched.
    for (let i = 0; i < 3; i++) expect(await socket.emitWithAck('echo', i)).toBe(i);
    expect(await socket.emitWithAck('echo', 'one too many')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(socket.connected).toBe(true);
  });
});
