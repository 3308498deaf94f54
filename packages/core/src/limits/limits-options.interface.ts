import type { RateLimitBudget } from '../rate-limit/rate-limit-options.interface.js';

/** What happens when a user opens one connection more than `maxConnectionsPerUser`. */
export type OverConnectionLimit = 'refuse-new' | 'close-oldest';

/** Limits on connections and rooms. */
export interface RealtimeLimitsOptions {
  /**
   * Connections one authenticated user may hold on this instance. A browser tab is one
   * connection, whatever the number of namespaces it joins.
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
   * Rooms one socket may be in through `PresenceService.join()` (and so `RoomsGateway.joinRoom`).
   * One more is refused with `FORBIDDEN` (`details.reason: 'too_many_rooms'`).
   * @default 100
   */
  maxRoomsPerSocket?: number;
  /**
   * New connections per client IP address (the TCP peer: put the limit in your proxy when there
   * is one), as a token bucket. Over it, the handshake is refused before any token is verified.
   * @default undefined (no limit)
   */
  handshakesPerIp?: RateLimitBudget;
}

export interface ResolvedLimitsOptions {
  maxConnectionsPerUser: number | undefined;
  overConnectionLimit: OverConnectionLimit;
  maxRoomsPerSocket: number;
  handshakesPerIp: RateLimitBudget | undefined;
}
