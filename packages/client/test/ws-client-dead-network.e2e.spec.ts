import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { RealtimeWsClient, type ConnectionStatus, type RealtimeError, type RealtimeWsClientOptions } from '../src/index.js';
import { RecordingClock } from './support/clock.js';
import type { DeviceContract } from './support/device.contract.js';
import { SECRET, seen, startNativeServer, token } from './support/server.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { record, statusOf } from './support/wait.js';

const INTERVAL_MS = 300;
const TIMEOUT_MS = 300;
/** Room for a loaded machine on top of `heartbeatIntervalMs + heartbeatTimeoutMs`. */
const SLACK_MS = 1000;
const CONNECT_TIMEOUT_MS = 300;

describe('RealtimeWsClient on a network that dies without closing: heartbeat and connect timeout', () => {
  let server: RealtimeTestingApp;
  let proxy: TcpProxy;
  const clients: RealtimeWsClient<DeviceContract>[] = [];
  const device = (sub: string, options: Partial<RealtimeWsClientOptions> = {}) => {
    const client = new RealtimeWsClient<DeviceContract>({
      url: `ws://127.0.0.1:${proxy.port}/ws`,
      getToken: () => token(sub),
      WebSocket,
      heartbeatIntervalMs: INTERVAL_MS,
      heartbeatTimeoutMs: TIMEOUT_MS,
      reconnectDelayMs: 50,
      reconnectDelayMaxMs: 100,
      ...options,
    });
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    // The server's own heartbeat is slower than the client's: the client must notice first.
    server = await startNativeServer({ auth: { secret: SECRET }, pingInterval: 20_000, pingTimeout: 20_000 });
    const { hostname, port } = new URL(server.url);
    proxy = await TcpProxy.start({ host: hostname, port: Number(port) });
  });
  afterEach(async () => {
    for (const client of clients.splice(0)) client.close();
    proxy.forward();
  });
  afterAll(async () => {
    await proxy?.close();
    await server?.close();
  });

  it('notices within interval + timeout, fails what waited on it, and reconnects once the network forwards again', async () => {
    const client = device('ada');
    const statuses = record<ConnectionStatus>(client.status.subscribe);
    const errors = record<RealtimeError>((listener) => client.onError(listener));
    await statusOf(client, 'connected');
    expect(await client.request('whoami')).toEqual({ id: 'ada' });
    const connectionsBefore = seen.nativeConnections;

    const heldBefore = proxy.heldFromClient;
    proxy.silence();
    const silencedAt = Date.now();
    const waiting = client.request('whoami').then(
      () => 'answered',
      (error: RealtimeError) => error.code,
    );
    await statusOf(client, 'reconnecting', INTERVAL_MS + TIMEOUT_MS + SLACK_MS);
    const noticedAfter = Date.now() - silencedAt;

    // The request's frame and then the ping went into the void; the socket never closed by itself.
    expect(proxy.droppedFromClient).toBeGreaterThanOrEqual(2);
    expect(noticedAfter).toBeGreaterThanOrEqual(TIMEOUT_MS);
    expect(noticedAfter).toBeLessThan(INTERVAL_MS + TIMEOUT_MS + SLACK_MS);
    expect(await waiting).toBe('DISCONNECTED');
    expect(client.lastError).toMatchObject({ code: 'DISCONNECTED', event: 'connection', message: expect.stringContaining('silent') });

    // The reconnect's upgrade request is held by the dead network: the client waits for its answer.
    await proxy.whenClientSent(() => proxy.heldFromClient > heldBefore);
    expect(client.status.getSnapshot()).toBe('reconnecting');

    proxy.forward();
    await statusOf(client, 'connected');
    expect(await client.request('whoami')).toEqual({ id: 'ada' });
    expect(seen.nativeConnections).toBe(connectionsBefore + 1);
    expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
    // The heartbeat is the library's business: nothing of it reached the app as an error.
    expect(errors).toEqual([]);
  });

  it('keeps an idle connection that answers its pings, across several intervals', async () => {
    const client = device('bea');
    const statuses = record<ConnectionStatus>(client.status.subscribe);
    const errors = record<RealtimeError>((listener) => client.onError(listener));
    await statusOf(client, 'connected');
    const connectionsBefore = seen.nativeConnections;
    const sentBefore = proxy.forwardedFromClient;

    // Nothing but pings goes out of an idle client: four of them span more than two intervals + timeouts.
    await proxy.whenClientSent(() => proxy.forwardedFromClient >= sentBefore + 4);

    expect(client.status.getSnapshot()).toBe('connected');
    expect(statuses).toEqual(['connecting', 'connected']);
    expect(seen.nativeConnections).toBe(connectionsBefore);
    expect(errors).toEqual([]);
    expect(await client.request('whoami')).toEqual({ id: 'bea' });
  });

  it('schedules nothing for a heartbeat turned off, and one timer of heartbeatIntervalMs for one that is on', async () => {
    const offClock = new RecordingClock();
    const off = device('cy', { heartbeatIntervalMs: 0, clock: offClock });
    await statusOf(off, 'connected');
    expect(offClock.pending).toBe(0);

    const onClock = new RecordingClock();
    const on = device('cy', { heartbeatIntervalMs: 60_000, heartbeatTimeoutMs: 5000, clock: onClock });
    await statusOf(on, 'connected');
    expect(onClock.delays).toContain(60_000);
    expect(onClock.pending).toBe(1);
    on.close();
    expect(onClock.pending).toBe(0);
  });

  it('refuses heartbeat options that are no delays, naming the option', () => {
    expect(() => device('dee', { heartbeatIntervalMs: -1, autoConnect: false })).toThrow(/heartbeatIntervalMs must be a number of milliseconds/);
    expect(() => device('dee', { heartbeatTimeoutMs: Number.NaN, autoConnect: false })).toThrow(/heartbeatTimeoutMs must be a number of milliseconds/);
  });

  it('abandons an attempt that does not open in time, tries again, and connects once the network answers', async () => {
    const heldBefore = proxy.heldFromClient;
    proxy.silence();
    const client = device('ada', { connectTimeoutMs: CONNECT_TIMEOUT_MS, heartbeatIntervalMs: false });
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
    const client = device('bea', { clock, connectTimeoutMs: CONNECT_TIMEOUT_MS, heartbeatIntervalMs: false });
    await statusOf(client, 'connected');
    expect(clock.delays).toEqual([CONNECT_TIMEOUT_MS]);
    expect(clock.pending).toBe(0);

    const heldBefore = proxy.heldFromClient;
    proxy.silence();
    const waiting = new RecordingClock();
    const stuck = device('bea', { clock: waiting, connectTimeoutMs: CONNECT_TIMEOUT_MS, heartbeatIntervalMs: false });
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
