import { createClient } from 'redis';
import { Logger } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { ClusterHandshakeBudget } from '../../src/limits/cluster-handshake-budget.js';
import { createRealtimeTestingApp, RedisClusterTestServer, RedisTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { RootEchoGateway } from '../support/echo-gateways.js';
import { NativeGateway } from '../support/native-ws-gateways.js';
import { refusal } from '../support/refusal.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';

const RATE_LIMITED = { status: 429, opened: false, body: { code: 'RATE_LIMITED', message: 'Too many connection attempts' } };

// Behind one trusted proxy, each test picks its client addresses through X-Forwarded-For.
const bootInstance = (redis: RealtimeModuleOptions['redis']) =>
  createRealtimeTestingApp(
    {
      imports: [
        RealtimeModule.forRoot({
          auth: { secret: SECRET },
          trustProxy: 1,
          redis,
          limits: { handshakesPerIp: { points: 3, durationMs: 60_000 }, handshakeLimitScope: 'cluster' },
        }),
      ],
      providers: [RootEchoGateway, NativeGateway],
    },
    { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
  );

const from = (ip: string) => ({ user: { id: ip }, extraHeaders: { 'X-Forwarded-For': ip }, timeoutMs: 3000 });
/** Refused at the HTTP request, before any token is read: Socket.IO clients get a generic `connect_error`. */
const refusedHandshake = async (connecting: Promise<unknown>) => expect((await refusal(connecting)).data).toBeUndefined();
const nativeFrom = (instance: RealtimeTestingApp, ip: string) =>
  WsTestClient.refusal(`${instance.url.replace('http', 'ws')}/ws`, { headers: { Authorization: `Bearer ${sign({ sub: ip })}`, 'X-Forwarded-For': ip } });

/** Every `handshakesPerIp` behaviour both setups share: one bucket per address across both instances. */
function sharesOneBudget(instances: () => [RealtimeTestingApp, RealtimeTestingApp]) {
  it('counts the handshakes of both instances: over the budget, either refuses (Socket.IO and native 429); other addresses are not counted', async () => {
    const [a, b] = instances();
    const open = [await a.connect(from('203.0.113.1')), await b.connect(from('203.0.113.1')), await a.connect(from('203.0.113.1'))];
    await refusedHandshake(b.connect(from('203.0.113.1')));
    await refusedHandshake(a.connect(from('203.0.113.1')));
    expect(await nativeFrom(b, '203.0.113.1')).toEqual(RATE_LIMITED);
    await b.connect(from('203.0.113.2'));
    for (const socket of open) expect(await socket.emitWithAck('echo', 'still here')).toBe('still here');
  });

  it('concurrent handshakes from one address on both instances never let in more than the budget', async () => {
    const [a, b] = instances();
    const attempts = Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).connect(from('203.0.113.3')).then(() => 'in', () => 'refused'));
    expect((await Promise.all(attempts)).filter((outcome) => outcome === 'in')).toHaveLength(3);
  });
}

describe("limits.handshakeLimitScope 'cluster': two instances on one Redis", () => {
  let server: RedisTestServer;
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;
  beforeAll(async () => {
    server = await RedisTestServer.start();
    [a, b] = await Promise.all([bootInstance({ url: server.url, keyPrefix: 'hs-two' }), bootInstance({ url: server.url, keyPrefix: 'hs-two' })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  sharesOneBudget(() => [a, b]);

  it('keeps client addresses out of Redis keys: one hashed key per address under the key prefix', async () => {
    await a.connect(from('198.51.100.7'));
    const probe = createClient({ url: server.url });
    await probe.connect();
    try {
      const keys = await probe.keys('hs-two:handshakes:*');
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((key) => /\d+\.\d+\.\d+\.\d+/.test(key))).toEqual([]);
      // Each bucket expires once it would be full again: no key stays behind for good.
      for (const key of keys) expect(await probe.pTTL(key)).toBeGreaterThan(0);
    } finally {
      await probe.quit();
    }
  });
});

describe("limits.handshakeLimitScope 'cluster': Redis unreachable", () => {
  let server: RedisTestServer;
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;
  const logged: string[] = [];
  beforeAll(async () => {
    server = await RedisTestServer.start();
    [a, b] = await Promise.all([bootInstance({ url: server.url, keyPrefix: 'hs-outage' }), bootInstance({ url: server.url, keyPrefix: 'hs-outage' })]);
    for (const level of ['warn', 'log'] as const) vi.spyOn(Logger.prototype, level).mockImplementation((message: unknown) => void logged.push(String(message)));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  it('falls back to a budget per instance, logged once; once Redis is back, the budget is shared again', async () => {
    await server.stop();
    // Each instance counts on its own now: the address gets the budget on each.
    for (const instance of [a, b]) {
      for (let i = 0; i < 3; i++) await instance.connect(from('192.0.2.1'));
      await refusedHandshake(instance.connect(from('192.0.2.1')));
    }
    expect(logged.filter((line) => line.includes('handshakes per IP are limited per instance until it is back'))).toHaveLength(2);

    await server.restart();
    // The first handshake Redis answers again says so, on each instance: each client reconnects
    // on its own schedule, and until it has, its instance still counts on its own.
    for (const [instance, backOn] of [[a, 1], [b, 2]] as const) {
      await vi.waitFor(
        async () => {
          await instance.connect(from('192.0.2.2')).catch(() => undefined);
          expect(logged.filter((line) => line.includes('handshakes per IP are limited across instances again'))).toHaveLength(backOn);
        },
        { timeout: 15_000, interval: 100 },
      );
    }
    await b.connect(from('192.0.2.1'));
    await a.connect(from('192.0.2.1'));
    await b.connect(from('192.0.2.1'));
    await refusedHandshake(a.connect(from('192.0.2.1')));
  });
});

describe("limits.handshakeLimitScope 'cluster' on Redis Cluster", () => {
  let cluster: RedisClusterTestServer;
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;
  beforeAll(async () => {
    cluster = await RedisClusterTestServer.start();
    const options = { cluster: { nodes: cluster.urls }, adapter: 'sharded', keyPrefix: 'hs-cluster' } as const;
    [a, b] = await Promise.all([bootInstance(options), bootInstance(options)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await cluster?.stop();
  });

  sharesOneBudget(() => [a, b]);
});

describe('ClusterHandshakeBudget: the token bucket in Redis', () => {
  let server: RedisTestServer;
  let client: ReturnType<typeof createClient>;
  beforeAll(async () => {
    server = await RedisTestServer.start();
    client = createClient({ url: server.url });
    client.on('error', () => undefined);
    await client.connect();
  });
  afterAll(async () => {
    await client?.quit();
    await server?.stop();
  });

  it('refills at points / durationMs, on the clock of Redis', async () => {
    const budget = new ClusterHandshakeBudget(client, 'bucket', { points: 2, durationMs: 600 });
    expect([await budget.take('192.0.2.9'), await budget.take('192.0.2.9'), await budget.take('192.0.2.9')]).toEqual([true, true, false]);
    expect(await budget.take('192.0.2.10')).toBe(true);
    const emptiedAt = Date.now();
    // One token comes back every 300 ms.
    await vi.waitFor(async () => expect(await budget.take('192.0.2.9')).toBe(true), { timeout: 5000, interval: 20 });
    expect(Date.now() - emptiedAt).toBeGreaterThanOrEqual(200);
    expect(await budget.take('192.0.2.9')).toBe(false);
  });
});
