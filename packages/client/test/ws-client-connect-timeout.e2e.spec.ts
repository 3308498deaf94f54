import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { RealtimeWsClient, type RealtimeWsClientOptions } from '../src/index.js';
import { RecordingClock } from './support/clock.js';
import type { DeviceContract } from './support/device.contract.js';
import { SECRET, startNativeServer, token } from './support/server.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { statusOf } from './support/wait.js';

const CONNECT_TIMEOUT_MS = 300;

describe('RealtimeWsClient connectTimeoutMs: an upgrade that never answers', () => {
  let server: RealtimeTestingApp;
  let proxy: TcpProxy;
  const clients: RealtimeWsClient<DeviceContract>[] = [];
  const device = (sub: string, options: Partial<RealtimeWsClientOptions> = {}) => {
    const client = new RealtimeWsClient<DeviceContract>({
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      getToken: () => token(sub),
      WebSocket,
      connectTimeoutMs: CONNECT_TIMEOUT_MS,
      reconnectDelayMs: 50,
      reconnectDelayMaxMs: 100,
      ...options,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startNativeServer({ auth: { secret: SECRET } });
    const { hostname, port } = new URL(server.url);
    proxy = await TcpProxy.start({ host: hostname, port: Number(port) });
  });
  afterEach(() => {
    for (const client of clients.splice(0)) client.close();
    proxy.forward();
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it('abandons an attempt that does not open in time, tries again, and connects once the network answers', async () => {
    const heldBefore = proxy.heldFromClient;
    proxy.silence();
    const client = device('ada');
    // The first upgrade request is held; the attempt is given up and a second one made.
    await proxy.whenClientSent(() => proxy.heldFromClient >= heldBefore + 2, 5000);
    expect(client.status.getSnapshot()).toBe('connecting');
    expect(client.lastError).toMatchObject({ code: 'DISCONNECTED', event: 'connection', message: `The WebSocket did not open within ${CONNECT_TIMEOUT_MS} ms` });

    proxy.forward();
    await statusOf(client, 'connected');
    expect(await client.request('whoami')).toEqual({ id: 'ada' });
  });

  it('leaves no timer behind once the connection opened, nor after close() during an attempt', async () => {
    const clock = new RecordingClock();
    const client = device('bea', { clock, heartbeatIntervalMs: false });
    await statusOf(client, 'connected');
    expect(clock.delays).toEqual([CONNECT_TIMEOUT_MS]);
    expect(clock.pending).toBe(0);

    const heldBefore = proxy.heldFromClient;
    proxy.silence();
    const waiting = new RecordingClock();
    const stuck = device('bea', { clock: waiting, heartbeatIntervalMs: false });
    await proxy.whenClientSent(() => proxy.heldFromClient > heldBefore);
    expect(waiting.pending).toBe(1);
    stuck.close();
    expect(waiting.pending).toBe(0);
    expect(stuck.status.getSnapshot()).toBe('offline');
  });

  it('refuses a connectTimeoutMs that is no delay, naming the option; 0 and false turn it off', () => {
    expect(() => device('cy', { connectTimeoutMs: -5, autoConnect: false })).toThrow(/connectTimeoutMs must be a number of milliseconds/);
    expect(() => device('cy', { connectTimeoutMs: Number.POSITIVE_INFINITY, autoConnect: false })).toThrow(/connectTimeoutMs must be a number of milliseconds/);
    for (const off of [0, false] as const) {
      const clock = new RecordingClock();
      device('cy', { connectTimeoutMs: off, clock, heartbeatIntervalMs: false, autoConnect: false }).connect();
      expect(clock.delays).toEqual([]);
    }
  });
});
