import type { ResolvedOptions } from '../config/option-group.js';
import type { RateLimitBudget } from './rate-limit-options.interface.js';
import type { limitsOptionGroup } from './resolve-limits-options.js';

/** What happens when a user opens one connection more than `maxConnectionsPerUser`. */
export type OverConnectionLimit = 'refuse-new' | 'close-oldest';

/** Where a connection limit counts: `maxConnectionsPerUser` (`connectionLimitScope`), `handshakesPerIp` (`handshakeLimitScope`). */
export type ConnectionLimitScope = 'instance' | 'cluster';

/** Limits on connections and rooms. */
export interface RealtimeLimitsOptions {
  /**
   * Connections one authenticated user may hold on this instance (across every instance with
   * `connectionLimitScope: 'cluster'`). Each Socket.IO namespace a
   * client joins is one connection (a tab on `/chat` and `/notifications` holds two), and so is
   * each native WebSocket.
   * @default undefined (no limit)
   */
  maxConnectionsPerUser?: number;
  /**
   * Over `maxConnectionsPerUser`: `'refuse-new'` refuses the new connection
   * (`connect_error` with `data { code: 'FORBIDDEN', reason: 'too_many_connections' }`);
   * `'close-oldest'` lets it in and disconnects the user's oldest connection, which first gets
   * `realtime:disconnected { reason: 'too_many_connections' }`.
   * @default 'refuse-new'
   */
  overConnectionLimit?: OverConnectionLimit;
  /**
   * Where `maxConnectionsPerUser` counts: `'instance'` counts the connections the user holds on
   * this instance (N instances let in N × the limit); `'cluster'` counts them in Redis, across
   * every instance. `'cluster'` needs `redis` and the Redis presence store (whose heartbeat it
   * shares: the connections of an instance silent for `presence.ttlMs` stop counting), and works
   * with `overConnectionLimit: 'refuse-new'` only. While Redis is unreachable, the limit holds
   * per instance (logged once per outage).
   * @default 'instance'
   */
  connectionLimitScope?: ConnectionLimitScope;
  /**
   * Rooms one socket may be in through `PresenceService.join()` (and so `RoomsGateway.joinRoom`).
   * One more is refused with `FORBIDDEN` (`details.reason: 'too_many_rooms'`).
   * @default 100
   */
  maxRoomsPerSocket?: number;
  /**
   * New connections per client IP address (the TCP peer, or the address your proxies forward when
   * `trustProxy` is set), as a token bucket. Over it, the handshake is refused before any token
   * is verified. Each Socket.IO namespace `CONNECT` after the first on a connection (another
   * namespace, one joined again, a retry) is a handshake of its own and counts too.
   * @default undefined (no limit)
   */
  handshakesPerIp?: RateLimitBudget;
  /**
   * Where `handshakesPerIp` counts: `'instance'` counts the handshakes this instance received
   * (behind a load balancer spreading an address over N instances, it lets in N × the budget);
   * `'cluster'` counts them in Redis, one bucket per address shared by every instance (one Redis
   * round trip per handshake). `'cluster'` needs `redis`. While Redis is unreachable, the budget
   * holds per instance (logged once per outage).
   * @default 'instance'
   */
  handshakeLimitScope?: ConnectionLimitScope;
  /**
   * The largest auth object a Socket.IO `CONNECT` may carry (what a client passes as
   * `io(url, { auth })`), in bytes of its JSON. Socket.IO keeps it as `socket.handshake.auth` for
   * the socket's lifetime, so without a bound every socket could hold up to `maxHttpBufferSize`.
   * Larger is refused before the token is verified: `connect_error` with
   * `data { code: 'PAYLOAD_TOO_LARGE', reason: 'auth_too_large' }`. (A native upgrade's token
   * travels in its headers, which Node bounds.)
   * @default 16384 (16 KiB)
   */
  maxHandshakeAuthBytes?: number;
  /**
   * How deeply objects and arrays may nest in a message a client sends (both transports) and in
   * the auth object of a Socket.IO `CONNECT`, checked before guards, pipes and handlers (before the
   * token, for the auth object). Deeper is refused with `BAD_REQUEST`
   * (`details.reason: 'too_deep'`): deep structures cost validation and transformation far more
   * than their size suggests.
   * @default 32
   */
  maxPayloadDepth?: number;
  /**
   * How many values (object properties and array items, at any depth; a binary buffer counts as
   * one) a message a client sends, or the auth object of a Socket.IO `CONNECT`, may hold. More is refused with `PAYLOAD_TOO_LARGE`
   * (`details.reason: 'too_many_nodes'`).
   * @default 10000
   */
  maxPayloadNodes?: number;
}

/** The `limits` options after validation, every default applied. */
export interface ResolvedLimitsOptions extends ResolvedOptions<typeof limitsOptionGroup.specs> {}
