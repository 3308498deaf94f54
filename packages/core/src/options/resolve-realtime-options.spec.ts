import { describe, expect, it } from 'vitest';
import { resolveRealtimeOptions } from './resolve-realtime-options.js';

describe('resolveRealtimeOptions', () => {
  it('applies the documented defaults', () => {
    expect(resolveRealtimeOptions(undefined)).toEqual({
      cors: undefined,
      allowRequestsWithoutOrigin: true,
      path: '/socket.io',
      transports: ['polling', 'websocket'],
      maxHttpBufferSize: 1_000_000,
      pingInterval: 25_000,
      pingTimeout: 20_000,
      connectTimeout: 45_000,
      connectionStateRecovery: false,
      parser: 'default',
      serveClient: false,
      applyErrorContract: true,
      auth: undefined,
      redis: undefined,
      presence: { store: undefined, ttlMs: 15_000, pageSize: 32, diffWindowMs: 50, countsWindowMs: 1000, bigRoomUsers: 200, bigRoomExitUsers: 150 },
      rateLimit: undefined,
      drain: { timeoutMs: 10_000, batchSize: 500, reconnectDelayMs: 1000 },
      limits: {
        maxConnectionsPerUser: undefined,
        overConnectionLimit: 'refuse-new',
        connectionLimitScope: 'instance',
        maxRoomsPerSocket: 100,
        handshakesPerIp: undefined,
        handshakeLimitScope: 'instance',
        maxHandshakeAuthBytes: 16384,
        maxPayloadDepth: 32,
        maxPayloadNodes: 10_000,
      },
      observability: { enabled: 'auto', traces: true, roomNames: false },
      trustProxy: expect.any(Function),
      userRoomPrefix: 'user:',
    });
  });

  it('keeps given values and fills recovery defaults', () => {
    const resolved = resolveRealtimeOptions({ transports: ['websocket'], connectionStateRecovery: true, serveClient: true });
    expect(resolved.transports).toEqual(['websocket']);
    expect(resolved.serveClient).toBe(true);
    expect(resolved.connectionStateRecovery).toEqual({ maxDisconnectionDuration: 120_000, skipMiddlewares: false });
  });

  it('does not share the caller array', () => {
    const transports: ('websocket' | 'polling')[] = ['websocket'];
    const resolved = resolveRealtimeOptions({ transports });
    transports.push('polling');
    expect(resolved.transports).toEqual(['websocket']);
  });

  it('turns connection-state recovery on by default with the Redis streams adapter only', () => {
    const streams = { url: 'redis://localhost', adapter: 'streams' as const };
    expect(resolveRealtimeOptions({ redis: streams }).connectionStateRecovery).toEqual({ maxDisconnectionDuration: 120_000, skipMiddlewares: false });
    expect(resolveRealtimeOptions({ redis: streams, connectionStateRecovery: false }).connectionStateRecovery).toBe(false);
    expect(resolveRealtimeOptions({ redis: { url: 'redis://localhost' } }).connectionStateRecovery).toBe(false);
  });

  it('pins the algorithms of the key source, and leaves a JwtService its own', () => {
    const secret = 'x'.repeat(32);
    expect(resolveRealtimeOptions({ auth: { secret } }).auth?.algorithms).toEqual(['HS256']);
    expect(resolveRealtimeOptions({ auth: { jwksUri: 'https://id.example/jwks' } }).auth?.algorithms).toEqual(['RS256']);
    const jwtService = { verifyAsync: async () => ({}) } as never;
    expect(resolveRealtimeOptions({ auth: { jwtService } }).auth).not.toHaveProperty('algorithms');
    expect(resolveRealtimeOptions({ auth: { jwtService, algorithms: ['RS512'] } }).auth?.algorithms).toEqual(['RS512']);
  });

  it('takes a Redis presence store only together with redis', () => {
    expect(resolveRealtimeOptions({ redis: { url: 'redis://localhost' }, presence: { store: 'redis' } }).presence).toEqual({
      store: 'redis',
      ttlMs: 15_000,
      pageSize: 32,
      diffWindowMs: 50,
      countsWindowMs: 1000,
      bigRoomUsers: 200,
      bigRoomExitUsers: 150,
    });
    expect(() => resolveRealtimeOptions({ presence: { store: 'redis' } })).toThrow('"presence.store": got "redis"');
  });

  it('bounds the presence page, diff window and big-room threshold', () => {
    const presence = (options: Record<string, unknown>) => resolveRealtimeOptions({ presence: options }).presence;
    expect(presence({ pageSize: 1000, diffWindowMs: 0, bigRoomUsers: 1 })).toMatchObject({ pageSize: 1000, diffWindowMs: 0, bigRoomUsers: 1 });
    expect(presence({ diffWindowMs: 10_000 }).diffWindowMs).toBe(10_000);
    for (const [option, value] of [
      ['pageSize', 0],
      ['pageSize', 1001],
      ['pageSize', 2.5],
      ['diffWindowMs', -1],
      ['diffWindowMs', 10_001],
      ['diffWindowMs', '50'],
      ['bigRoomUsers', 0],
      ['bigRoomUsers', null],
      ['bigRoomExitUsers', -1],
      ['bigRoomExitUsers', 201],
      ['bigRoomExitUsers', 100.5],
      ['bigRoomExitUsers', '150'],
    ] as const) {
      expect(() => presence({ [option]: value }), `${option}: ${String(value)}`).toThrow(new RegExp(`"presence\\.${option}"`));
    }
  });

  it('defaults bigRoomExitUsers to 3/4 of bigRoomUsers, and keeps it at most bigRoomUsers', () => {
    const presence = (options: Record<string, unknown>) => resolveRealtimeOptions({ presence: options }).presence;
    expect(presence({ bigRoomUsers: 1000 })).toMatchObject({ bigRoomUsers: 1000, bigRoomExitUsers: 750 });
    expect(presence({ bigRoomUsers: 1 })).toMatchObject({ bigRoomUsers: 1, bigRoomExitUsers: 0 });
    expect(presence({ bigRoomUsers: 10, bigRoomExitUsers: 10 })).toMatchObject({ bigRoomUsers: 10, bigRoomExitUsers: 10 });
    expect(presence({ bigRoomUsers: 10, bigRoomExitUsers: 0 })).toMatchObject({ bigRoomUsers: 10, bigRoomExitUsers: 0 });
    expect(() => presence({ bigRoomUsers: 10, bigRoomExitUsers: 11 })).toThrow(
      '"presence.bigRoomExitUsers": got 11; expected an integer from 0 to presence.bigRoomUsers (10)',
    );
    // Without bigRoomUsers, the bound is its default.
    expect(() => presence({ bigRoomExitUsers: 201 })).toThrow('expected an integer from 0 to presence.bigRoomUsers (200)');
  });

  it('reads limits: null as no limits given', () => {
    expect(resolveRealtimeOptions({ limits: null } as never).limits).toEqual(resolveRealtimeOptions({}).limits);
  });

  it('names every known option, in order, when one is misspelt', () => {
    expect(() => resolveRealtimeOptions({ pingIntervall: 1 } as never)).toThrow(
      'known options are cors, allowRequestsWithoutOrigin, path, transports, maxHttpBufferSize, pingInterval, pingTimeout, ' +
        'connectTimeout, connectionStateRecovery, parser, serveClient, applyErrorContract, auth, redis, presence, rateLimit, ' +
        'drain, limits, observability, trustProxy, userRoomPrefix.',
    );
  });
});
