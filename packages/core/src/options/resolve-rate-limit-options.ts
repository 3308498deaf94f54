import { defineOptionGroup } from '../config/option-group.js';
import { checkDurationMs, checkPositiveInteger } from '../config/option-checks.js';
import type { RateLimitBudget, RealtimeRateLimitOptions } from './rate-limit-options.interface.js';

const NOT_A_BUDGET = 'an object { points, durationMs }';

/** A `{ points, durationMs }` budget: `rateLimit`, `rateLimit.perUser`, `limits.handshakesPerIp`, `@RateLimit()`. */
const budgetOptionGroup = defineOptionGroup<RateLimitBudget>()(
  {
    points: {
      required: true,
      check: (value, option) => checkPositiveInteger(option, value, 'messages'),
      doc: { type: '`number`', text: 'Messages per window; also the largest burst (token bucket).' },
    },
    durationMs: {
      required: true,
      check: (value, option) => checkDurationMs(option, value),
      doc: { type: '`number` (ms)', text: 'The window; tokens refill continuously at `points / durationMs`.' },
    },
  },
  { expected: NOT_A_BUDGET },
);

/** The `rateLimit` options: default, check and doc line of each. */
export const rateLimitOptionGroup = defineOptionGroup<RealtimeRateLimitOptions>()(
  {
    points: {
      ...budgetOptionGroup.specs.points,
      doc: { type: '`number`', text: 'Messages per window and connection; also the largest burst (token bucket).' },
    },
    durationMs: budgetOptionGroup.specs.durationMs,
    disconnectAfter: {
      default: 10,
      check: (value, option) => (value === 0 ? 0 : checkPositiveInteger(option, value, 'refused messages in a row, or 0')),
      doc: {
        type: '`number`',
        text: "Refused messages in a row after which the connection gets `realtime:disconnected { reason: 'rate_limited' }` and is disconnected (on Socket.IO its whole connection, every namespace of the tab); `0` never.",
      },
    },
    perUser: {
      check: (value, option) => checkBudget(option, value),
      doc: {
        type: '`{ points, durationMs }`',
        text: "One budget over all the user's connections (fixed windows), on every instance with `redis` (one Redis command per message).",
      },
    },
  },
  { expected: NOT_A_BUDGET },
);

/** Validates a `{ points, durationMs }` budget (also what `@RateLimit()` takes). */
export function checkBudget(option: string, value: unknown): RateLimitBudget {
  return budgetOptionGroup.resolve(value, option);
}
