import { describe, expect, it } from 'vitest';
import { describeSetup } from './realtime-boot-log.js';
import { resolveRealtimeOptions } from './options/resolve-realtime-options.js';

const SECRET = 'a-secret-that-is-at-least-32-bytes-long!!';
const SOCKET_IO_ONLY = { socketIo: [{ path: '/socket.io', transports: ['polling', 'websocket'] }], nativeWs: [] };

describe('describeSetup', () => {
  it('says what runs with the defaults', () => {
    expect(describeSetup({ options: resolveRealtimeOptions({}), served: SOCKET_IO_ONLY, redisConnected: false, presenceStore: 'memory' })).toBe(
      'Socket.IO on /socket.io (polling, websocket); auth: none; adapter: in-memory (single instance); presence: memory store; ' +
        'rate limit: handlers with @RateLimit() only; origin allowlist: no; trusted proxies: none; payloads: depth ≤ 32, ≤ 10000 values',
    );
  });

  it('names the key source, the Redis mode, the limits, and a degraded start', () => {
    const options = resolveRealtimeOptions({
      transports: ['websocket'],
      auth: { secret: SECRET, tokenSources: ['auth', 'header'] },
      redis: { url: 'redis://127.0.0.1:6379', adapter: 'sharded' },
      rateLimit: { points: 20, durationMs: 1000, perUser: { points: 40, durationMs: 1000 } },
      cors: { origin: ['https://app.example.com'] },
      trustProxy: 1,
    });
    const served = { socketIo: [{ path: '/socket.io', transports: ['websocket'] }], nativeWs: [] };
    const line = describeSetup({ options, served, redisConnected: true, presenceStore: 'redis' });
    expect(line).toMatch(/^Socket\.IO on \/socket\.io \(websocket\); auth: /);
    expect(line).toContain('auth: JWT via secret (HS256), tokens from auth, header');
    expect(line).toContain('adapter: Redis sharded;');
    expect(describeSetup({ options, served, redisConnected: true, redisCluster: true, presenceStore: 'redis' })).toContain('adapter: Redis sharded on a cluster;');
    expect(line).toContain('presence: redis store');
    expect(line).toContain('rate limit: 20/1000 ms per connection, per user');
    expect(line).toContain('origin allowlist: yes');
    expect(line).toContain('trusted proxies: set');
    expect(describeSetup({ options, served, redisConnected: false, presenceStore: 'memory' })).toContain('adapter: in-memory (Redis unavailable: single instance)');
  });

  it('names every Socket.IO server and every native WebSocket path, and says when nothing is served', () => {
    const options = resolveRealtimeOptions({ parser: 'msgpack' });
    const servedPart = (served: Parameters<typeof describeSetup>[0]['served']) =>
      describeSetup({ options, served, redisConnected: false, presenceStore: 'memory' }).split('; auth: ')[0];
    expect(servedPart({ socketIo: [], nativeWs: ['/ws', '/feed'] })).toBe('native WebSocket on /feed, /ws');
    expect(
      servedPart({
        socketIo: [
          { path: '/socket.io', transports: ['polling', 'websocket'] },
          { path: '/socket.io', transports: ['polling', 'websocket'] },
          { path: '/admin', transports: ['websocket'] },
        ],
        nativeWs: ['/ws'],
      }),
    ).toBe('Socket.IO on /admin (websocket, msgpack), /socket.io (polling, websocket, msgpack); native WebSocket on /ws');
    expect(servedPart({ socketIo: [], nativeWs: [] })).toBe('no gateways served');
  });
});
