import type { ResolvedOptions } from '../config/option-group.js';
import type { rateLimitOptionGroup } from './resolve-rate-limit-options.js';

/** A budget of messages: `points` per `durationMs`, refilled continuously (token bucket). */
export interface RateLimitBudget {
  /** Messages allowed per window; also the largest burst. */
  points: number;
  /** The window, in milliseconds. */
  durationMs: number;
}

/**
 * Per-message rate limiting. A message over the limit is not handled: the client gets
 * `RATE_LIMITED` (with `details.retryAfterMs`) through its ack, or as `exception`.
 */
export interface RealtimeRateLimitOptions extends RateLimitBudget {
  /**
   * After this many refused messages in a row, the connection is told why
   * (`realtime:disconnected { reason: 'rate_limited' }`) and disconnected: on Socket.IO its whole
   * connection closes, every namespace of the tab, so coming back takes a new handshake (counted by
   * `limits.handshakesPerIp`). `0` never disconnects.
   * @default 10
   */
  disconnectAfter?: number;
  /**
   * A budget per user, over all their connections (and, with `redis`, all instances: one Redis
   * command per message). Fixed windows of `durationMs`.
   * @default undefined (connections are limited one by one only)
   */
  perUser?: RateLimitBudget;
}

/** The `rateLimit` options after validation, every default applied. */
export interface ResolvedRateLimitOptions extends ResolvedOptions<typeof rateLimitOptionGroup.specs> {}
