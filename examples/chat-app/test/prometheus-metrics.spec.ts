import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@nestjs/common';
import { metrics } from '@opentelemetry/api';
import type { MeterProvider } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { registerPrometheusMetrics } from '../src/telemetry/prometheus-metrics.js';

describe('registerPrometheusMetrics', () => {
  let server: Server;
  let url: string;

  beforeAll(async () => {
    server = createServer(registerPrometheusMetrics());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
  });
  afterAll(async () => {
    metrics.disable();
    await new Promise((resolve) => server.close(resolve));
  });

  it('registers the global meter provider and serves what it recorded in Prometheus text', async () => {
    metrics.getMeter('scope-of-the-test').createCounter('demo.requests').add(2, { route: 'home' });
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain('demo_requests_total{route="home",otel_scope_name="scope-of-the-test"} 2');
  });

  it('answers a failed collection with 500 and an empty body, the error in the server log only', async () => {
    const logged = vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    // A provider shut down (as on exit) refuses to collect.
    await (metrics.getMeterProvider() as MeterProvider).shutdown();
    const response = await fetch(url);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe('');
    expect(logged).toHaveBeenCalledWith('Metrics could not be collected', expect.stringContaining('MetricReader is shutdown'));
  });
});
