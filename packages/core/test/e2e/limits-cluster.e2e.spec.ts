import { createClient } from 'redis';
import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeIoAdapter, RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { RealtimeWsAdapter } from '../../src/ws/index.js';
import { connectClient, createRealtimeTestingApp, RedisClusterTestServer, RedisTestServer, redisForTests, type RealtimeTestingApp } from '../../src/testing/index.js';
import { runFixture, type Child } from '../support/child-process.js';
import { RootEchoGateway } from '../support/echo-gateways.js';
import { NativeGateway } from '../support/native-ws-gateways.js';
import { refusal } from '../support/refusal.js';
import { SECRET, sign } from '../support/tokens.js';
import { WsTestClient } from '../support/ws-client.js';

const TOO_MANY = { code: 'FORBIDDEN', reason: 'too_many_connections' };

const bootInstance = (redisOptions: RealtimeModuleOptions['redis'], ttlMs = 15_000) =>
  createRealtimeTestingApp(
    {
      imports: [
        RealtimeModule.forRoot({
          auth: { secret: SECRET },
          redis: redisOptions,
          presence: { ttlMs },
          limits: { maxConnectionsPerUser: 2, connectionLimitScope: 'cluster' },
        }),
      ],
      providers: [RootEchoGateway, NativeGateway],
    },
    { adapter: (app) => new RealtimeIoAdapter(app, { nativeWs: new RealtimeWsAdapter(app) }) },
  );

const as = (sub: string) => ({ auth: { token: sign({ sub }) } });

/** Connects `sub` again and again until it is let in: a slot freed elsewhere is seen within `timeoutMs`. */
async function admittedWithin(instance: RealtimeTestingApp, sub: string, timeoutMs: number): Promise<number> {
  const started = Date.now();
  for (;;) {
    try {
      await instance.connect(as(sub));
      return Date.now() - started;
    } catch (error) {
      if (Date.now() - started > timeoutMs) throw error;
    }
  }
}

let redis: { url: string; stop(): Promise<void> };
beforeAll(async () => {
  redis = await redisForTests();
});
afterAll(() => redis?.stop());

describe("limits.connectionLimitScope 'cluster': two instances on one Redis", () => {
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;
  beforeAll(async () => {
    [a, b] = await Promise.all([bootInstance({ url: redis.url, keyPrefix: 'limits-two' }), bootInstance({ url: redis.url, keyPrefix: 'limits-two' })]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('counts the connections of both instances: a third one is refused on either; other users are not counted', async () => {
    await a.connect(as('ada'));
    await b.connect(as('ada'));
    expect((await refusal(a.connect(as('ada')))).data).toEqual(TOO_MANY);
    expect((await refusal(b.connect(as('ada')))).data).toEqual(TOO_MANY);
    await a.connect(as('bob'));
    await b.connect(as('bob'));
  });

  it('a disconnection on one instance frees the slot for the other', async () => {
    const onA = await a.connect(as('cy'));
    await b.connect(as('cy'));
    expect((await refusal(b.connect(as('cy')))).data).toEqual(TOO_MANY);
    onA.disconnect();
    await admittedWithin(b, 'cy', 5000);
    expect((await refusal(a.connect(as('cy')))).data).toEqual(TOO_MANY);
  });

  it('counts native WebSocket clients with the Socket.IO ones: one over the limit on the other instance is refused with HTTP 403', async () => {
    await a.connect(as('hal'));
    const headers = { Authorization: `Bearer ${sign({ sub: 'hal' })}` };
    const native = await WsTestClient.open(`${b.url.replace('http', 'ws')}/ws`, { headers });
    expect(await WsTestClient.refusal(`${a.url.replace('http', 'ws')}/ws`, { headers })).toMatchObject({ status: 403, opened: false, body: TOO_MANY });
    native.close();
    await admittedWithin(a, 'hal', 5000);
  });

  it('concurrent handshakes on both instances never let in more than the limit', async () => {
    const attempts = Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).connect(as('dee')).then(() => 'in', () => 'refused'));
    const outcomes = await Promise.all(attempts);
    expect(outcomes.filter((o) => o === 'in')).toHaveLength(2);
  });
});

describe("limits.connectionLimitScope 'cluster': an instance that crashes", () => {
  const children: Child[] = [];
  let survivor: RealtimeTestingApp | undefined;
  afterEach(async () => {
    for (const child of children.splice(0)) child.process.kill('SIGKILL');
    await survivor?.close();
  });

  it("stops counting within presence.ttlMs after a SIGKILL", async () => {
    const ttlMs = 1500;
    const keyPrefix = 'limits-crash';
    survivor = await bootInstance({ url: redis.url, keyPrefix }, ttlMs);
    const doomed = runFixture('instance.mjs', [redis.url, 'pubsub', keyPrefix, String(ttlMs), '2']);
    children.push(doomed);
    const doomedUrl = `http://127.0.0.1:${(await doomed.waitFor(/READY (\d+)/))[1]}`;
    for (let i = 0; i < 2; i++) await connectClient(doomedUrl, { namespace: 'rooms', ...as('eve'), reconnection: false });
    expect((await refusal(survivor.connect(as('eve')))).data).toEqual(TOO_MANY);

    doomed.process.kill('SIGKILL');
    await doomed.exit(5000);
    // Its last heartbeat was at most ttlMs / 3 before the kill: its slots stop counting at most ttlMs after it.
    const waitedMs = await admittedWithin(survivor, 'eve', 4 * ttlMs);
    expect(waitedMs).toBeLessThanOrEqual(ttlMs + 2000);
    await survivor.connect(as('eve'));
    expect((await refusal(survivor.connect(as('eve')))).data).toEqual(TOO_MANY);
  });
});

describe("limits.connectionLimitScope 'cluster': Redis unreachable at admission", () => {
  let server: RedisTestServer;
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;
  const warned: string[] = [];
  beforeAll(async () => {
    server = await RedisTestServer.start();
    const options = { url: server.url, keyPrefix: 'limits-outage' };
    [a, b] = await Promise.all([bootInstance(options, 1500), bootInstance(options, 1500)]);
    vi.spyOn(Logger.prototype, 'warn').mockImplementation((message: unknown) => void warned.push(String(message)));
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await Promise.all([a?.close(), b?.close()]);
    await server?.stop();
  });

  it('falls back to the per-instance limit, logged once; once Redis is back, each instance writes its slots back', async () => {
    await a.connect(as('fay'));
    await b.connect(as('fay'));
    expect((await refusal(a.connect(as('fay')))).data).toEqual(TOO_MANY);

    await server.stop();
    await a.connect(as('fay')); // A holds one: its own limit lets a second in
    expect((await refusal(a.connect(as('fay')))).data).toEqual(TOO_MANY);
    expect(warned.filter((line) => line.includes('connections per user are limited per instance'))).toHaveLength(1);

    await server.restart();
    // Redis came back empty: the presence re-sync writes each instance's slots back (A: 2, B: 1).
    const probe = createClient({ url: server.url });
    await probe.connect();
    try {
      await vi.waitFor(async () => expect(await probe.hLen('limits-outage:presence:user-connections:fay')).toBe(3), { timeout: 15_000, interval: 100 });
    } finally {
      await probe.quit();
    }
    expect((await refusal(b.connect(as('fay')))).data).toEqual(TOO_MANY);
  });
});

describe("limits.connectionLimitScope 'cluster' on Redis Cluster", () => {
  let cluster: RedisClusterTestServer;
  let a: RealtimeTestingApp;
  let b: RealtimeTestingApp;
  beforeAll(async () => {
    cluster = await RedisClusterTestServer.start();
    const options = { cluster: { nodes: cluster.urls }, adapter: 'sharded', keyPrefix: 'limits-cluster' } as const;
    [a, b] = await Promise.all([bootInstance(options), bootInstance(options)]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await cluster?.stop();
  });

  it('the limit holds across instances and a disconnection frees the slot', async () => {
    const onA = await a.connect(as('gus'));
    await b.connect(as('gus'));
    expect((await refusal(b.connect(as('gus')))).data).toEqual(TOO_MANY);
    onA.disconnect();
    await admittedWithin(b, 'gus', 5000);
  });
});
