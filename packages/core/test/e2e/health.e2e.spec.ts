import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService, TerminusModule } from '@nestjs/terminus';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { RealtimeHealthIndicator, RealtimeModule, type RealtimeModuleOptions } from '../../src/index.js';
import { createRealtimeTestingApp, RedisTestServer, type RealtimeTestingApp } from '../../src/testing/index.js';
import { RootEchoGateway } from '../support/echo-gateways.js';

@Controller('health')
class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly realtime: RealtimeHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  check() {
    return this.health.check([() => this.realtime.isHealthy()]);
  }
}

const boot = (options: RealtimeModuleOptions) =>
  createRealtimeTestingApp({
    imports: [TerminusModule.forRoot({ logger: false }), RealtimeModule.forRoot(options)],
    controllers: [HealthController],
    providers: [RootEchoGateway],
  });

async function health(rt: RealtimeTestingApp): Promise<{ status: number; body: { status: string; details: { realtime: Record<string, unknown> } } }> {
  const response = await fetch(`${rt.url}/health`);
  return { status: response.status, body: (await response.json()) as never };
}

describe('RealtimeHealthIndicator with @nestjs/terminus (one instance)', () => {
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    rt = await boot({ drain: { timeoutMs: 3000, batchSize: 1 } });
  });

  it('is up and counts connections', async () => {
    expect(await health(rt)).toMatchObject({ status: 200, body: { status: 'ok', details: { realtime: { status: 'up', connections: 0, draining: false, adapter: 'memory' } } } });
    await rt.connect();
    await rt.connect();
    expect((await health(rt)).body.details.realtime).toMatchObject({ status: 'up', connections: 2 });
  });

  it('is down (503) while draining, so the load balancer stops sending clients', async () => {
    const sockets = await Promise.all([rt.connect(), rt.connect(), rt.connect()]);
    const draining = new Promise((resolve) => sockets[0].once('server:draining', resolve));
    const closing = rt.app.close();
    await draining;
    expect(await health(rt)).toMatchObject({ status: 503, body: { status: 'error', details: { realtime: { status: 'down', draining: true } } } });
    await closing;
  });
});

describe('RealtimeHealthIndicator with Redis', () => {
  let redis: RedisTestServer;
  let rt: RealtimeTestingApp;
  beforeAll(async () => {
    redis = await RedisTestServer.start();
    rt = await boot({ redis: { url: redis.url }, presence: { ttlMs: 1500 } });
  });
  afterAll(async () => {
    await rt?.close();
    await redis?.stop();
  });

  it('reports the adapter, Redis and a fresh presence heartbeat', async () => {
    const { status, body } = await health(rt);
    expect(status).toBe(200);
    expect(body.details.realtime).toMatchObject({ status: 'up', adapter: 'pubsub', redis: 'up' });
    expect(body.details.realtime.presenceHeartbeatAgeMs).toBeLessThan(1500);
  });

  it('goes down when Redis goes away, and up again when it is back', async () => {
    await redis.stop();
    await vi.waitFor(async () => expect((await health(rt)).status).toBe(503), { timeout: 10_000, interval: 200 });
    expect((await health(rt)).body.details.realtime).toMatchObject({ status: 'down', redis: 'down' });
    await redis.restart();
    await vi.waitFor(async () => expect((await health(rt)).body.details.realtime).toMatchObject({ status: 'up', redis: 'up' }), {
      timeout: 15_000,
      interval: 200,
    });
  });
});
