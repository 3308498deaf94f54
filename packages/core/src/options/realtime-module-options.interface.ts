import type { ServerOptions } from 'socket.io';
import type { RealtimeAuthOptions } from './auth-options.interface.js';
import type { RealtimeRedisOptions } from './redis-options.interface.js';
import type { RealtimePresenceOptions } from './presence-options.interface.js';
import type { RealtimeRateLimitOptions } from './rate-limit-options.interface.js';
import type { RealtimeDrainOptions } from './drain-options.interface.js';
import type { RealtimeObservabilityOptions } from './observability-options.interface.js';
import type { RealtimeLimitsOptions } from './limits-options.interface.js';
import type { RealtimeTrustProxy } from '../proxy/trust-proxy.js';
import type { ResolvedOptions } from '../config/option-group.js';
import type { realtimeOptionGroup } from './resolve-realtime-options.js';

/** Socket.IO's CORS setting: the `cors` package options or a per-request delegate. */
export type RealtimeCorsOptions = NonNullable<ServerOptions['cors']>;

/** A low-level Socket.IO transport. */
export type RealtimeTransport = 'polling' | 'websocket' | 'webtransport';

/** The Socket.IO packet encoding: its default JSON-based parser, or MessagePack. */
export type RealtimeParser = 'default' | 'msgpack';

/** Socket.IO connection-state recovery: a client that reconnects in time gets its rooms and missed packets back. */
export interface RealtimeConnectionStateRecovery {
  /**
   * How long a disconnected client's session is kept for recovery, in milliseconds.
   * @default 120000
   */
  maxDisconnectionDuration?: number;
  /**
   * Skip the namespace middlewares (including handshake auth) when a session is recovered.
   * @default false
   */
  skipMiddlewares?: boolean;
}

/**
 * Options of `RealtimeModule.forRoot()` / `forRootAsync()`.
 *
 * The server options apply to every Socket.IO server the `RealtimeIoAdapter` creates, that is to
 * every gateway. An option a gateway sets in its `@WebSocketGateway({ ... })` decorator wins for
 * the server that gateway creates.
 */
export interface RealtimeModuleOptions {
  /**
   * CORS for the HTTP long-polling transport, as in Socket.IO. When `origin` is an allowlist
   * (string, RegExp, array or function), the same allowlist is also enforced on WebSocket
   * upgrades, which Socket.IO's own `cors` does not cover.
   * @default undefined (no CORS headers: browsers on other origins cannot poll)
   */
  cors?: RealtimeCorsOptions;
  /**
   * With a `cors.origin` allowlist: whether a request that carries no `Origin` header is accepted.
   * Browsers always send `Origin` on WebSocket upgrades and cross-origin requests, so a missing
   * header means a non-browser client (a server, a mobile app, a CLI); such clients cannot be
   * used for cross-site hijacking. Set `false` to accept browsers on allowlisted origins only.
   * @default true
   */
  allowRequestsWithoutOrigin?: boolean;
  /**
   * The HTTP path the Socket.IO server is served under. Clients must use the same `path`.
   * @default '/socket.io'
   */
  path?: string;
  /**
   * The low-level transports that are enabled, in the order the server accepts them.
   * `['websocket']` removes the need for sticky sessions behind a load balancer.
   * @default ['polling', 'websocket']
   */
  transports?: RealtimeTransport[];
  /**
   * The largest message a client may send, in bytes. A larger message closes that connection.
   * @default 1000000
   */
  maxHttpBufferSize?: number;
  /**
   * How often the server pings each client, in milliseconds: Engine.IO pings on Socket.IO
   * connections, WebSocket ping frames on native WebSocket connections (`RealtimeWsAdapter`).
   * @default 25000
   */
  pingInterval?: number;
  /**
   * How long the server waits for a pong before it considers the connection closed, in milliseconds.
   * A native WebSocket connection that misses its pong is terminated, as a Socket.IO one is closed.
   * @default 20000
   */
  pingTimeout?: number;
  /**
   * How long a client may take to join a namespace after the low-level connection opened, in milliseconds.
   * @default 45000
   */
  connectTimeout?: number;
  /**
   * Connection-state recovery. `true` enables it with Socket.IO's defaults; `false` disables it.
   * @default false, or `true` with `redis.adapter: 'streams'`
   */
  connectionStateRecovery?: boolean | RealtimeConnectionStateRecovery;
  /**
   * How packets are encoded on the wire. `'msgpack'` uses `socket.io-msgpack-parser` (install it
   * next to this package): smaller frames for binary-heavy payloads, but every client must use
   * the same parser (`io(url, { parser: require('socket.io-msgpack-parser') })`), and packets
   * must be MessagePack-encodable (no functions, no `Map`/`Set`).
   * @default 'default'
   */
  parser?: RealtimeParser;
  /**
   * Whether the server serves the browser client bundle at `<path>/socket.io.js`.
   * Off by default (Socket.IO's default is on): production clients bundle `socket.io-client`.
   * @default false
   */
  serveClient?: boolean;
  /**
   * Give every gateway the error contract: `RealtimeExceptionFilter` as its last-resort filter
   * (Nest applies no global filters to gateways) and errors from `handleConnection` sent to the
   * client as `exception` with `event: 'connection'` instead of crashing the process. With
   * `false`, apply `@UseFilters(RealtimeExceptionFilter)` yourself.
   * @default true
   */
  applyErrorContract?: boolean;
  /**
   * JWT authentication at the handshake, on every namespace. Without it, sockets connect
   * anonymously and `WsJwtGuard` refuses every handler not marked `@Public()`.
   * @default undefined
   */
  auth?: RealtimeAuthOptions;
  /**
   * Redis as the engine for several instances (see `RealtimeRedisOptions`). Without it, one
   * instance works with no external service.
   * @default undefined
   */
  redis?: RealtimeRedisOptions;
  /**
   * Where `PresenceService` keeps who is in which room.
   * @default `{ store: 'redis' }` with `redis`, else `{ store: 'memory' }`; `ttlMs: 15000`
   */
  presence?: RealtimePresenceOptions;
  /**
   * Per-message rate limiting: a token bucket per connection (`points` per `durationMs`),
   * `@RateLimit()` budgets per handler, and an optional per-user budget (see `RealtimeRateLimitOptions`).
   * @default undefined (no limit, except `@RateLimit()` handlers)
   */
  rateLimit?: RealtimeRateLimitOptions;
  /**
   * Limits on connections per user, rooms per socket and handshakes per IP (see `RealtimeLimitsOptions`).
   * @default `{ maxRoomsPerSocket: 100 }`, the others unlimited
   */
  limits?: RealtimeLimitsOptions;
  /**
   * Graceful drain on `app.close()` / SIGTERM: new connections refused, `server:draining` to every
   * client, disconnects in batches within a deadline (see `RealtimeDrainOptions`).
   * @default `{ timeoutMs: 10000, batchSize: 500, reconnectDelayMs: 1000 }`
   */
  drain?: RealtimeDrainOptions;
  /**
   * OpenTelemetry metrics and traces of connections, handshakes, messages and presence (see
   * `RealtimeObservabilityOptions`); needs the optional peer `@opentelemetry/api`.
   * @default on when an OpenTelemetry SDK is registered at boot
   */
  observability?: RealtimeObservabilityOptions;
  /**
   * Which proxies may tell the client's IP address through `X-Forwarded-For`, as Express's
   * `trust proxy`: `1` behind one load balancer, addresses/CIDR ranges of your proxies, `true`
   * for every hop, or a function (see `RealtimeTrustProxy`). The client IP is what
   * `limits.handshakesPerIp` counts, what `auth.validate()` sees as `address`, and what
   * `socket.handshake.address` holds. Never trust the header from the open internet: a client
   * could name any address.
   * @default false (the TCP peer is the client)
   */
  trustProxy?: RealtimeTrustProxy;
  /**
   * Prefix of the room every authenticated socket joins, followed by the user's id.
   * @default 'user:'
   */
  userRoomPrefix?: string;
}

/** The options after validation, with every default applied. Injected with `REALTIME_OPTIONS`. */
export interface ResolvedRealtimeOptions extends ResolvedOptions<typeof realtimeOptionGroup.specs> {}
