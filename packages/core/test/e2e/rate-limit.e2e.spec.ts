import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { RealtimeConfigError, RealtimeIoAdapter, RealtimeModule, RateLimit, type RealtimeModuleOptions } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { createRealtimeTestingApp, redisForTests, waitForEvent, type RealtimeTestingApp } from '../../src/testing/index.js';
import { LimitedGateway, LimitedNativeGateway } from '../support/rate-limit-gateways.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';
import { WS_CLOSE_RATE_LIMITED } from '../../src/protocol/index.js';

const RATE_LIMITED = { status: 'error', code: 'RATE_LIMITED', message: 'Too many messages: slow down', event: 'echo' };

async function boot(options: RealtimeModuleOptions): Promise<RealtimeTestingApp> {
  return createRealtimeTestingApp(
    { imports: [RealtimeModule.forRoot({ auth: { secret: SECRET }, ...options })], providers: [LimitedGateway, LimitedNativeGateway] },
    { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
  );
}

/** Sends `count` acked messages one after the other and returns the replies. */
async function send(socket: Socket, event: string, count: number): Promise<unknown[]> {
  const replies = [];
  for (let i = 0; i < count; i++) replies.push(await socket.emitWithAck(event, i));
  return replies;
}

describe('rateLimit per connection', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({ rateLimit: { points: 5, durationMs: 60_000, disconnectAfter: 3 } });
  });
  afterAll(() => rt?.close());

  it('handles `points` messages, then answers RATE_LIMITED with retryAfterMs through the ack', async () => {
    const socket = await rt.connect({ namespace: 'limited', user: { id: 'ada' } });
    expect(await send(socket, 'echo', 5)).toEqual([0, 1, 2, 3, 4]);
    const refused = (await socket.emitWithAck('echo', 5)) as { details: { retryAfterMs: number } };
    expect(refused).toEqual({ ...RATE_LIMITED, details: { retryAfterMs: expect.any(Number) }, requestId: expect.any(String) });
    expect(refused.details.retryAfterMs).toBeGreaterThan(0);
    expect(refused.details.retryAfterMs).toBeLessThanOrEqual(12_000);
  });

  it('answers as the exception event when no ack was sent', async () => {
    const socket = await rt.connect({ namespace: 'limited', user: { id: 'ada' } });
    await send(socket, 'echo', 5);
    const exception = waitForEvent(socket, 'exception');
    socket.emit('echo', 'over');
    expect(await exception).toMatchObject(RATE_LIMITED);
  });

  it('disconnects after disconnectAfter refusals in a row, saying why; other connections keep their budget', async () => {
    const flooder = await rt.connect({ namespace: 'limited', user: { id: 'ada' } });
    const neighbour = await rt.connect({ namespace: 'limited', user: { id: 'ada' } });
    await send(flooder, 'echo', 5);
    const told = waitForEvent(flooder, 'realtime:disconnected');
    const gone = new Promise((resolve) => flooder.once('disconnect', resolve));
    for (let i = 0; i < 3; i++) flooder.emit('echo', i);
    expect(await told).toEqual({ reason: 'rate_limited' });
    expect(await gone).toBe('io server disconnect');
    expect(await send(neighbour, 'echo', 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('gives a @RateLimit() handler its own budget, and a @RateLimit(false) one none', async () => {
    const socket = await rt.connect({ namespace: 'limited', user: { id: 'ada' } });
    expect(await send(socket, 'invite', 2)).toEqual(['invited', 'invited']);
    expect(await socket.emitWithAck('invite')).toMatchObject({ code: 'RATE_LIMITED', event: 'invite' });
    expect(await send(socket, 'typing', 20)).toEqual(Array(20).fill('typing'));
    expect(await send(socket, 'echo', 5)).toEqual([0, 1, 2, 3, 4]);
  });

  it('limits native WebSocket clients the same way and closes a flooder with 4003', async () => {
    const client = await WsTestClient.open(`${rt.url.replace('http', 'ws')}/limited-ws`, { headers: { Authorization: `Bearer ${sign({ sub: 'ada' })}` } });
    for (let i = 0; i < 5; i++) expect(await client.request('echo', i)).toBe(i);
    const exception = client.next('exception');
    client.send('echo', 'over');
    expect((await exception).data).toMatchObject({ code: 'RATE_LIMITED', details: { retryAfterMs: expect.any(Number) } });
    client.send('echo', 'over');
    client.send('echo', 'over');
    expect(await client.closed).toEqual({ code: WS_CLOSE_RATE_LIMITED, reason: 'rate_limited' });
  });
});

describe('rateLimit refills', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({ rateLimit: { points: 2, durationMs: 300 } });
  });
  afterAll(() => rt?.close());

  it('allows a message again once retryAfterMs has passed', async () => {
    const socket = await rt.connect({ namespace: 'limited', user: { id: 'ada' } });
    await send(socket, 'echo', 2);
    const refused = (await socket.emitWithAck('echo', 'x')) as { details: { retryAfterMs: number } };
    await new Promise((resolve) => setTimeout(resolve, refused.details.retryAfterMs + 20));
    expect(await socket.emitWithAck('echo', 'again')).toBe('again');
  });
});

describe.each(['memory', 'redis'] as const)('rateLimit.perUser (%s)', (store) => {
  let redis: Awaited<ReturnType<typeof redisForTests>> | undefined;
  let instances: RealtimeTestingApp[];

  beforeAll(async () => {
    redis = store === 'redis' ? await redisForTests() : undefined;
    const options: RealtimeModuleOptions = {
      rateLimit: { points: 100, durationMs: 60_000, perUser: { points: 4, durationMs: 60_000 } },
      ...(redis ? { redis: { url: redis.url, keyPrefix: `rate-${Date.now()}` } } : {}),
    };
    instances = store === 'redis' ? [await boot(options), await boot(options)] : [await boot(options)];
  });
  afterAll(async () => {
    for (const instance of instances ?? []) await instance.close();
    await redis?.stop();
  });

  it(`shares one budget over a user's connections${store === 'redis' ? ' on every instance' : ''}; other users have their own`, async () => {
    const first = await instances[0].connect({ namespace: 'limited', user: { id: 'ada' } });
    const second = await instances[instances.length - 1].connect({ namespace: 'limited', user: { id: 'ada' } });
    const other = await instances[0].connect({ namespace: 'limited', user: { id: 'bob' } });
    expect(await send(first, 'echo', 2)).toEqual([0, 1]);
    expect(await send(second, 'echo', 2)).toEqual([0, 1]);
    expect(await first.emitWithAck('echo', 'x')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await second.emitWithAck('echo', 'x')).toMatchObject({ code: 'RATE_LIMITED' });
    expect(await send(other, 'echo', 4)).toEqual([0, 1, 2, 3]);
  });
});

describe('bad rate limits fail at boot', () => {
  it('refuses a bad @RateLimit() budget where it is declared', () => {
    expect(() => RateLimit({ points: 0, durationMs: 1000 })).toThrow(RealtimeConfigError);
    expect(() => RateLimit({ points: 0, durationMs: 1000 })).toThrow(/"@RateLimit\(\)\.points": got 0; expected a positive integer/);
  });
});
