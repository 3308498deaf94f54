import type { ConfigService } from '@nestjs/config';
import type { JwtService } from '@nestjs/jwt';
import type { RealtimeModuleOptions, RealtimeTransport, RedisAdapterMode } from '@nestjs-realtime/core';
import { metricsEnabled } from './telemetry/metrics-setting.js';

const list = (value: string | undefined) =>
  value
    ?.split(',')
    .map((item) => item.trim())
    .filter(Boolean);

const number = (value: string | undefined) => (value === undefined || value === '' ? undefined : Number(value));

/** Browser tabs and devices one user may have connected to one instance at a time. */
export const MAX_CONNECTIONS_PER_USER = 10;

/**
 * Realtime options from the environment. Anything unset keeps the library default; anything
 * malformed (REALTIME_PATH=socket, REALTIME_MAX_BUFFER_BYTES=lots) stops the app at boot with a
 * message naming the variable's option.
 *
 * - REALTIME_CORS_ORIGINS     comma-separated origins allowed to connect from a browser
 * - REALTIME_PATH             Socket.IO path (default /socket.io)
 * - REALTIME_TRANSPORTS       e.g. "websocket" to skip long-polling
 * - REALTIME_MAX_BUFFER_BYTES largest message a client may send
 * - REDIS_URL                 run as one of several instances on this Redis (unset: single instance)
 * - REALTIME_REDIS_ADAPTER    pubsub (default), sharded or streams
 * - TRUST_PROXY               how many proxies in front of the app to believe about the client's IP
 * - OTEL_METRICS              off: no metrics (on by default: OpenTelemetry, served on GET /metrics)
 *
 * Every connection is authenticated at the handshake with the app's JwtService (JWT_SECRET).
 */
export function realtimeOptionsFromEnv(config: ConfigService, jwtService: JwtService): RealtimeModuleOptions {
  const origins = list(config.get<string>('REALTIME_CORS_ORIGINS'));
  const redisUrl = config.get<string>('REDIS_URL');
  return {
    cors: origins ? { origin: origins, credentials: true } : undefined,
    path: config.get<string>('REALTIME_PATH') || undefined,
    transports: list(config.get<string>('REALTIME_TRANSPORTS')) as RealtimeTransport[] | undefined,
    maxHttpBufferSize: number(config.get<string>('REALTIME_MAX_BUFFER_BYTES')),
    auth: {
      jwtService,
      // The UI sends its token in handshake.auth; no cookies, so no cross-site WebSocket risk.
      tokenSources: ['auth', 'header'],
      // Warn 30 s before a demo token expires; the client answers with auth:refresh.
      expiringNoticeMs: 30_000,
    },
    // 20 messages a second per connection (bursts of 20), 40 per user over all their tabs.
    rateLimit: { points: 20, durationMs: 1000, perUser: { points: 40, durationMs: 1000 } },
    limits: {
      // Enough for a user's tabs (each namespace a tab joins counts), phone and devices; one more is
      // refused with FORBIDDEN too_many_connections.
      maxConnectionsPerUser: MAX_CONNECTIONS_PER_USER,
      // Bursts of 100 handshakes per IP address, then 10 a second: a stuck reconnect loop or a
      // script opening sockets is slowed down before any token is verified, while an office behind
      // one NAT still gets in after a restart (a tab joining /chat and /notifications takes two). Behind a reverse proxy, set trustProxy (below) so each
      // client is counted by the address the proxy forwards, not the proxy's own.
      handshakesPerIp: { points: 100, durationMs: 10_000 },
    },
    // Unset: X-Forwarded-For is never believed (a client could name any address).
    trustProxy: number(config.get<string>('TRUST_PROXY')) ?? false,
    // On SIGTERM: tell clients, then move them off in batches within 5 s.
    drain: { timeoutMs: 5000, reconnectDelayMs: 1000 },
    // Recorded through the SDK main.ts registers (src/telemetry), for Prometheus on GET /metrics.
    // `true` rather than the default 'auto': the app means to have metrics, so an SDK missing at
    // boot is worth the library's warning. OTEL_METRICS=off: `false`, no observability work at all.
    observability: { enabled: metricsEnabled(config.get<string>('OTEL_METRICS')) },
    redis: redisUrl
      ? { url: redisUrl, adapter: (config.get<string>('REALTIME_REDIS_ADAPTER') || undefined) as RedisAdapterMode | undefined }
      : undefined,
  };
}
