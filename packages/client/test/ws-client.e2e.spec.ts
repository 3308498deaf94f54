import { Logger } from '@nestjs/common';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { RealtimeService } from '@nestjs-realtime/core';
import type { RealtimeTestingApp } from '@nestjs-realtime/core/testing';
import { RealtimeError, RealtimeWsClient, WS_CLOSE_AUTH_EXPIRED, type ConnectionStatus, type RealtimeWsClientOptions } from '../src/index.js';
import { browserLike } from './support/browser-web-socket.js';
import { RecordingClock } from './support/clock.js';
import type { DeviceContract } from './support/device.contract.js';
import { expiredToken, SECRET, seen, startNativeServer, token } from './support/server.js';
import { Counter, record, statusOf } from './support/wait.js';

const clients: { close(): void }[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const client of clients.splice(0)) client.close();
});

/** A `RealtimeWsClient` of `DeviceContract` on `url`, with the `ws` package's WebSocket (Node 20 has none built in). */
function deviceOn(url: string, getToken: () => string | Promise<string>, options: Partial<RealtimeWsClientOptions> = {}): RealtimeWsClient<DeviceContract> {
  const client = new RealtimeWsClient<DeviceContract>({ url, getToken, WebSocket, ...options });
  clients.push(client);
  return client;
}

const wsBase = (server: RealtimeTestingApp) => server.url.replace('http', 'ws');

describe('RealtimeWsClient against native gateways beside Socket.IO', () => {
  let server: RealtimeTestingApp;
  let url: string;
  const device = (getToken: () => string | Promise<string>, options: Partial<RealtimeWsClientOptions> = {}) => deviceOn(url, getToken, options);

  beforeAll(async () => {
    server = await startNativeServer({ auth: { secret: SECRET, expiringNoticeMs: 1500, refreshGraceMs: 500 } });
    url = `${wsBase(server)}/ws`;
  });
  afterAll(() => server?.close());

  describe('connection and token provider', () => {
    it('connects with a token from an async provider, and asks for it again at every reconnect', async () => {
      const asked = new Counter();
      const client = device(async () => (asked.tick(), token('ada')), { reconnectDelayMs: 50 });
      const statuses = record<ConnectionStatus>(client.status.subscribe);
      await statusOf(client, 'connected');
      expect(await client.request('whoami')).toEqual({ id: 'ada' });
      expect(asked.count).toBe(1);
      // The network drops: the client comes back by itself, with a token asked for afresh.
      client.emit('testDrop');
      await statusOf(client, 'reconnecting');
      await statusOf(client, 'connected');
      expect(asked.count).toBe(2);
      expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
      expect(await client.request('whoami')).toEqual({ id: 'ada' });
    });

    it('accepts an http:// URL for the gateway', async () => {
      const client = device(() => token('abe'), { url: `${server.url}/ws` });
      expect(await client.request('whoami')).toEqual({ id: 'abe' });
    });

    it('refreshes the token of a live connection by itself on auth:expiring, without reconnecting', async () => {
      const asked = new Counter();
      const client = device(() => token('bea', asked.tick() === 0 ? 2 : 600));
      const expired = record((listener) => client.on('auth:expired', listener));
      const errors = record<RealtimeError>((listener) => client.onError(listener));
      await statusOf(client, 'connected');
      const connectionsBefore = seen.nativeConnections;
      // A bystander whose token lasts a second longer and is never refreshed: when the server
      // closes it, the client's first token and its grace period are long over.
      const bystander = new WebSocket(url, ['bearer', token('bystander', 3)]);
      const bystanderClosed = new Promise<number>((resolve) => bystander.once('close', (code) => resolve(code)));
      await asked.reached(2);
      expect(await bystanderClosed).toBe(WS_CLOSE_AUTH_EXPIRED);
      expect(await client.request('whoami')).toEqual({ id: 'bea' });
      expect(expired).toEqual([]);
      expect(errors).toEqual([]);
      expect(client.status.getSnapshot()).toBe('connected');
      expect(seen.nativeConnections).toBe(connectionsBefore + 1);
    });

    it('reconnects with a new token after the server closed an expired connection (4001)', async () => {
      const asked = new Counter();
      // The refresh offers another user's token: the server refuses it, then closes at expiry.
      const tokens = [token('cy', 2), token('mallory'), token('cy')];
      const client = device(() => tokens[Math.min(asked.tick(), 2)]!);
      const statuses = record<ConnectionStatus>(client.status.subscribe);
      const errors = record<RealtimeError>((listener) => client.onError(listener));
      const expired = new Promise((resolve) => client.on('auth:expired', resolve));
      await statusOf(client, 'connected');
      expect(await expired).toEqual({ expiresAt: expect.any(Number) });
      await asked.reached(3);
      await statusOf(client, 'connected');
      expect(statuses).toEqual(['connecting', 'connected', 'reconnecting', 'connected']);
      expect(errors).toMatchObject([{ code: 'FORBIDDEN', event: 'auth:refresh', reason: 'subject_mismatch' }]);
      expect(await client.request('whoami')).toEqual({ id: 'cy' });
    });

    it('retries at once with a fresh token when the first one had expired', async () => {
      const asked = new Counter();
      const client = device(() => (asked.tick() === 0 ? expiredToken('dee') : token('dee')));
      await statusOf(client, 'connected');
      expect(asked.count).toBe(2);
    });

    it('surfaces a refused token as a typed error, and schedules nothing more (no storm)', async () => {
      const asked = new Counter();
      const clock = new RecordingClock();
      const client = device(() => (asked.tick(), 'not-a-token'), { clock });
      await statusOf(client, 'refused');
      expect(client.lastError).toBeInstanceOf(RealtimeError);
      expect(client.lastError).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'invalid_token', event: 'connection' });
      expect(clock.pending).toBe(0);
      expect(asked.count).toBe(1);
      await expect(client.request('whoami')).rejects.toMatchObject({ code: 'DISCONNECTED', event: 'whoami' });
    });

    it('reports a failing token provider, and shows the refusal that follows', async () => {
      const client = device(() => {
        throw new Error('auth service down');
      });
      const errors = record<RealtimeError>((listener) => client.onError(listener));
      await statusOf(client, 'refused');
      expect(errors).toMatchObject([{ code: 'UNAUTHENTICATED', message: expect.stringContaining('auth service down') }]);
      expect(client.lastError).toMatchObject({ code: 'UNAUTHENTICATED', reason: 'missing_token' });
    });

    it('backs off, never in a tight loop, where a refusal cannot be read (browsers)', async () => {
      const asked = new Counter();
      const created = new Counter();
      const clock = new RecordingClock();
      const client = device(() => (asked.tick(), 'not-a-token'), {
        WebSocket: browserLike(() => created.tick()),
        clock,
        reconnectDelayMs: 20,
        reconnectDelayMaxMs: 80,
        random: () => 0.5,
        // The clock records the backoff alone.
        connectTimeoutMs: false,
      });
      await created.reached(5);
      expect(client.status.getSnapshot()).toBe('connecting');
      client.close();
      // random() = 0.5 is no jitter: doubling from 20 ms, capped at 80 ms; a token asked for each time.
      expect(clock.delays).toEqual([20, 40, 80, 80]);
      expect(asked.count).toBe(created.count);
      expect(clock.pending).toBe(0);
    });

    it('goes offline, saying why, when the server disconnects it on purpose (4002)', async () => {
      const clock = new RecordingClock();
      const client = device(() => token('eve'), { clock });
      await statusOf(client, 'connected');
      await server.app.get(RealtimeService).disconnectUser('eve', 'banned');
      await statusOf(client, 'offline');
      expect(client.lastError).toMatchObject({ code: 'DISCONNECTED', reason: 'banned' });
      expect(clock.pending).toBe(0);
      // It stays offline until the app says otherwise.
      client.connect();
      await statusOf(client, 'connected');
      expect(await client.request('whoami')).toEqual({ id: 'eve' });
    });

    it('is refused, with the server\'s error, when the gateway\'s handleConnection fails (4000)', async () => {
      vi.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
      const clock = new RecordingClock();
      const client = deviceOn(`${wsBase(server)}/ws-refusing`, () => token('flo'), { clock });
      await statusOf(client, 'refused');
      expect(client.lastError).toMatchObject({ code: 'INTERNAL', event: 'connection', requestId: expect.any(String) });
      expect(clock.pending).toBe(0);
    });

    it('moves off a draining server after its delay, with jitter, and comes back', async () => {
      const clock = new RecordingClock();
      // The heartbeat off: the clock then schedules the reconnect alone.
      const client = device(() => token('gus'), { clock, random: () => 0, heartbeatIntervalMs: false, connectTimeoutMs: false });
      await statusOf(client, 'connected');
      const before = seen.nativeConnections;
      // The server says what a draining instance says; the client leaves before it is closed.
      client.emit('testSend', { event: 'server:draining', data: { reconnectDelayMs: 400 } });
      await statusOf(client, 'reconnecting');
      await statusOf(client, 'connected');
      // random() = 0 puts the reconnect at half the server's delay.
      expect(clock.delays).toEqual([200]);
      expect(seen.nativeConnections).toBe(before + 1);
    });

    it('receives what RealtimeService.toUser() sends the user', async () => {
      const client = device(() => token('hal'));
      await statusOf(client, 'connected');
      const note = new Promise((resolve) => client.on('note', resolve));
      server.app.get(RealtimeService).toUser('hal').emit('note', { text: 'hi' });
      expect(await note).toEqual({ text: 'hi' });
    });
  });

  describe('requests and errors', () => {
    it('resolves with the reply frame\'s data, in order, also under another event name', async () => {
      const client = device(() => token('ivy'));
      // Sent before the connection opened: it goes out once it does.
      expect(await client.request('whoami')).toEqual({ id: 'ivy' });
      const replies = await Promise.all(['a', 'b', 'c'].map((text) => client.request('echo', { text }, { replyEvent: 'echoed' })));
      expect(replies).toEqual([
        { text: 'a', from: 'ivy' },
        { text: 'b', from: 'ivy' },
        { text: 'c', from: 'ivy' },
      ]);
    });

    it('rejects with the error contract as RealtimeError, and the next request is not confused', async () => {
      const client = device(() => token('jay'));
      const [refused, after] = await Promise.allSettled([
        client.request('echo', { text: '' }, { replyEvent: 'echoed' }),
        client.request('echo', { text: 'after' }, { replyEvent: 'echoed' }),
      ]);
      const error = (refused as PromiseRejectedResult).reason;
      expect(error).toBeInstanceOf(RealtimeError);
      expect(error).toMatchObject({ code: 'BAD_REQUEST', message: 'text is required', details: { field: 'text' }, event: 'echo', requestId: expect.any(String) });
      expect(after).toEqual({ status: 'fulfilled', value: { text: 'after', from: 'jay' } });
    });

    it('rejects an event no handler takes with NOT_FOUND', async () => {
      const loose = new RealtimeWsClient({ url, getToken: () => token('kai'), WebSocket });
      clients.push(loose);
      await expect(loose.request('no-such-event', 1)).rejects.toMatchObject({ code: 'NOT_FOUND', event: 'no-such-event' });
    });

    it('refuses a payload JSON cannot carry, without sending anything', async () => {
      const client = device(() => token('kai'));
      await expect(client.request('echo', { text: 1n as never }, { replyEvent: 'echoed' })).rejects.toMatchObject({ code: 'BAD_REQUEST', event: 'echo' });
      expect(await client.request('whoami')).toEqual({ id: 'kai' });
    });

    it('times out a request the server never answers, and keeps working', async () => {
      const client = device(() => token('lou'), { requestTimeoutMs: 300 });
      await expect(client.request('silent')).rejects.toMatchObject({ code: 'TIMEOUT', event: 'silent' });
      expect(await client.request('whoami')).toEqual({ id: 'lou' });
    });

    it('gives RATE_LIMITED its retryAfterMs, and retries after it when asked to', async () => {
      const strict = device(() => token('max'));
      expect(await strict.request('scarce')).toBe('granted');
      const refused = (await strict.request('scarce').catch((e: unknown) => e)) as RealtimeError;
      expect(refused).toMatchObject({ code: 'RATE_LIMITED', event: 'scarce' });
      expect(refused.retryAfterMs).toBeGreaterThan(0);

      const patient = device(() => token('ned'), { rateLimitRetries: 2 });
      expect(await patient.request('scarce')).toBe('granted');
      expect(await patient.request('scarce')).toBe('granted');
    });

    it('reports errors of fire-and-forget messages through onError', async () => {
      const client = device(() => token('ola'));
      const error = new Promise<RealtimeError>((resolve) => client.onError(resolve));
      client.emit('echo', { text: '' });
      expect(await error).toMatchObject({ code: 'BAD_REQUEST', event: 'echo' });
    });

    it('rejects with DISCONNECTED what waits when closed, and what comes after', async () => {
      const client = device(() => token('pia'));
      await statusOf(client, 'connected');
      const waiting = client.request('silent');
      client.close();
      await expect(waiting).rejects.toMatchObject({ code: 'DISCONNECTED', event: 'silent' });
      await expect(client.request('whoami')).rejects.toMatchObject({ code: 'DISCONNECTED', event: 'whoami' });
      expect(client.status.getSnapshot()).toBe('offline');
    });
  });

  describe('bad options', () => {
    it('refuses a URL it cannot connect to, at construction', () => {
      expect(() => new RealtimeWsClient({ url: 'not a url', WebSocket })).toThrow(/ws:\/\/, wss:\/\/, http:\/\/ or https:\/\/ URL \(got "not a url"\)/);
      expect(() => new RealtimeWsClient({ url: 'ftp://example.com/ws', WebSocket })).toThrow(/got "ftp:\/\/example.com\/ws"/);
    });

    it('says what to pass where the platform has no WebSocket', () => {
      vi.stubGlobal('WebSocket', undefined);
      try {
        expect(() => new RealtimeWsClient({ url })).toThrow(/no WebSocket.*import WebSocket from 'ws'/);
      } finally {
        vi.unstubAllGlobals();
      }
    });

    it('waits for connect() when autoConnect is false', async () => {
      const asked = new Counter();
      const client = device(() => (asked.tick(), token('quin')), { autoConnect: false });
      expect(client.status.getSnapshot()).toBe('offline');
      await expect(client.request('whoami')).rejects.toMatchObject({ code: 'DISCONNECTED' });
      expect(asked.count).toBe(0);
      client.connect();
      expect(await client.request('whoami')).toEqual({ id: 'quin' });
    });
  });
});

describe('RealtimeWsClient against a server that limits connections and messages', () => {
  let server: RealtimeTestingApp;
  let url: string;

  beforeAll(async () => {
    server = await startNativeServer({
      limits: { maxConnectionsPerUser: 1, overConnectionLimit: 'close-oldest' },
      rateLimit: { points: 3, durationMs: 60_000, disconnectAfter: 2 },
    });
    url = `${wsBase(server)}/ws`;
  });
  afterAll(() => server?.close());

  it('goes offline, without coming back, when a newer connection of the user replaces it (4004)', async () => {
    const clock = new RecordingClock();
    const older = deviceOn(url, () => token('rae'), { clock });
    await statusOf(older, 'connected');
    const newer = deviceOn(url, () => token('rae'));
    await statusOf(newer, 'connected');
    await statusOf(older, 'offline');
    expect(older.lastError).toMatchObject({ code: 'DISCONNECTED', reason: 'too_many_connections' });
    // Coming back would close the newer one in turn, back and forth.
    expect(clock.pending).toBe(0);
    expect(await newer.request('whoami')).toEqual({ id: 'rae' });
  });

  it('goes offline, saying why, when disconnected for flooding (4003)', async () => {
    const clock = new RecordingClock();
    const client = deviceOn(url, () => token('sol'), { clock });
    const refusals = record<RealtimeError>((listener) => client.onError(listener));
    await statusOf(client, 'connected');
    for (let i = 0; i < 5; i++) client.emit('whoami');
    await statusOf(client, 'offline');
    expect(refusals.map((error) => error.code)).toEqual(['RATE_LIMITED', 'RATE_LIMITED']);
    expect(client.lastError).toMatchObject({ code: 'DISCONNECTED', reason: 'rate_limited' });
    expect(clock.pending).toBe(0);
  });
});
