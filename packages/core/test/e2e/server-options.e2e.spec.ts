import { ConfigModule, ConfigService } from '@nestjs/config';
import { WebSocketGateway } from '@nestjs/websockets';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealtimeModule } from '../../src/index.js';
import { ConnectRefusedError, createRealtimeTestingApp, type RealtimeTestingApp } from '../../src/testing/index.js';
import { AlphaEchoGateway, BetaEchoGateway, EchoHandler, RootEchoGateway } from '../support/echo-gateways.js';
import { openPacket, pollingHandshake } from '../support/http-probe.js';
import { connectClient } from '../../src/testing/connect-client.js';

const ALLOWED = 'https://app.example.com';
const OTHER = 'https://evil.example.net';

/** The options come from env-like config through `ConfigService`, as in a real app. */
const config = () => ({
  REALTIME_CORS_ORIGINS: ALLOWED,
  REALTIME_PATH: '/rt',
  REALTIME_MAX_BUFFER: 1000,
  REALTIME_PING_INTERVAL: 11_000,
});

@WebSocketGateway({ namespace: 'wide', path: '/wide', maxHttpBufferSize: 100_000, cors: { origin: [OTHER] } })
class WideGateway extends EchoHandler {}

describe('forRootAsync server options reach every gateway', () => {
  let rt: RealtimeTestingApp;

  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [
        ConfigModule.forRoot({ ignoreEnvFile: true, load: [config] }),
        RealtimeModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          useFactory: (cfg: ConfigService) => ({
            cors: { origin: cfg.getOrThrow<string>('REALTIME_CORS_ORIGINS').split(','), credentials: true },
            path: cfg.getOrThrow<string>('REALTIME_PATH'),
            maxHttpBufferSize: cfg.getOrThrow<number>('REALTIME_MAX_BUFFER'),
            pingInterval: cfg.getOrThrow<number>('REALTIME_PING_INTERVAL'),
          }),
        }),
      ],
      providers: [RootEchoGateway, AlphaEchoGateway, BetaEchoGateway, WideGateway],
    });
  });

  afterAll(() => rt?.close());

  describe('path', () => {
    it('serves Socket.IO under the configured path', async () => {
      const socket = await rt.connect({ path: '/rt' });
      expect(await socket.emitWithAck('echo', 'hi')).toBe('hi');
    });

    it('does not answer on the default path', async () => {
      await expect(rt.connect({ path: '/socket.io' })).rejects.toBeInstanceOf(ConnectRefusedError);
      expect((await pollingHandshake(rt.url, '/socket.io')).status).toBe(404);
    });
  });

  describe('CORS origin allowlist', () => {
    it('lets an allowed origin poll, with CORS headers', async () => {
      const res = await pollingHandshake(rt.url, '/rt', { Origin: ALLOWED });
      expect(res.status).toBe(200);
      expect(res.headers['access-control-allow-origin']).toBe(ALLOWED);
      expect(openPacket(res).sid).toBeTruthy();
    });

    it('refuses another origin on the polling transport before a session exists', async () => {
      const res = await pollingHandshake(rt.url, '/rt', { Origin: OTHER });
      expect(res.status).toBe(403);
      expect(res.body).not.toContain('sid');
    });

    it('lets an allowed origin open a WebSocket', async () => {
      const socket = await rt.connect({ path: '/rt', extraHeaders: { Origin: ALLOWED } });
      expect(await socket.emitWithAck('echo', 1)).toBe(1);
    });

    it('refuses another origin on the WebSocket transport (no cross-site hijacking)', async () => {
      await expect(rt.connect({ path: '/rt', extraHeaders: { Origin: OTHER } })).rejects.toThrow(/websocket error/);
    });

    it('refuses another origin on every namespace of the server', async () => {
      for (const namespace of ['alpha', 'beta']) {
        await expect(rt.connect({ namespace, path: '/rt', extraHeaders: { Origin: OTHER } })).rejects.toThrow();
        const socket = await rt.connect({ namespace, path: '/rt', extraHeaders: { Origin: ALLOWED } });
        expect(await socket.emitWithAck('echo', namespace)).toBe(namespace);
      }
    });

    it('accepts a client that sends no Origin (non-browser) by default', async () => {
      expect((await pollingHandshake(rt.url, '/rt')).status).toBe(200);
      const socket = await rt.connect({ path: '/rt' });
      expect(socket.connected).toBe(true);
    });
  });

  describe('engine options', () => {
    it('announces pingInterval and maxPayload from the module options in the handshake', async () => {
      const open = openPacket(await pollingHandshake(rt.url, '/rt'));
      expect(open.pingInterval).toBe(11_000);
      expect(open.pingTimeout).toBe(20_000);
      expect(open.maxPayload).toBe(1000);
    });

    it('enforces maxHttpBufferSize on every namespace, other sockets unaffected', async () => {
      const bystander = await rt.connect({ path: '/rt' });
      for (const namespace of ['/', 'alpha', 'beta']) {
        const socket = await rt.connect({ namespace, path: '/rt' });
        expect(await socket.emitWithAck('echo', 'x'.repeat(500))).toHaveLength(500);
        const disconnected = new Promise<string>((resolve) => socket.once('disconnect', resolve));
        socket.emit('echo', 'x'.repeat(2000));
        expect(await disconnected).toBe('transport close');
      }
      expect(await bystander.emitWithAck('echo', 'still here')).toBe('still here');
    });
  });

  describe('a gateway decorator overrides the module for its own server only', () => {
    it('uses the decorator path, buffer size and origins, and keeps the other module options', async () => {
      const open = openPacket(await pollingHandshake(rt.url, '/wide', { Origin: OTHER }));
      expect(open.maxPayload).toBe(100_000);
      expect(open.pingInterval).toBe(11_000);
      expect((await pollingHandshake(rt.url, '/wide', { Origin: ALLOWED })).status).toBe(403);

      const socket: Socket = await rt.connect({ namespace: 'wide', path: '/wide', extraHeaders: { Origin: OTHER } });
      expect(await socket.emitWithAck('echo', 'x'.repeat(2000))).toHaveLength(2000);
    });

    it('leaves the module options in force on the other gateways', async () => {
      expect(openPacket(await pollingHandshake(rt.url, '/rt')).maxPayload).toBe(1000);
      await expect(rt.connect({ path: '/rt', extraHeaders: { Origin: OTHER } })).rejects.toThrow();
    });
  });
});

describe('parser: msgpack', () => {
  let rt: RealtimeTestingApp;

  beforeAll(async () => {
    rt = await createRealtimeTestingApp({
      imports: [RealtimeModule.forRoot({ parser: 'msgpack' })],
      providers: [RootEchoGateway],
    });
  });

  afterAll(() => rt?.close());

  it('round-trips values and binary with a msgpack client (the test kit picks the parser)', async () => {
    const socket = await rt.connect();
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256));
    expect(await socket.emitWithAck('echo', { text: 'hi', n: 7, list: [1, 'two'] })).toEqual({ text: 'hi', n: 7, list: [1, 'two'] });
    expect(Buffer.from(await socket.emitWithAck('echo', bytes)).equals(bytes)).toBe(true);
  });

  it('does not let a client with the default parser in', async () => {
    await expect(connectClient(rt.url, { timeoutMs: 1500 })).rejects.toThrow();
  });
});
