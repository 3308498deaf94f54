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
      presence: { store: undefined, ttlMs: 15_000 },
      rateLimit: undefined,
      drain: { timeoutMs: 10_000, batchSize: 500, reconnectDelayMs: 1000 },
      limits: {
        maxConnectionsPerUser: undefined,
        overConnectionLimit: 'refuse-new',
        maxRoomsPerSocket: 100,
        handshakesPerIp: undefined,
        maxPayloadDepth: 32,
        maxPayloadNodes: 10_000,
      },
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
});
