import { RealtimeConfigError } from '../options/realtime-config.error.js';
import { checkDurationMs, checkKnownKeys, checkPositiveInteger, isPlainObject } from '../options/option-checks.js';
import type { RateLimitBudget, RealtimeRateLimitOptions, ResolvedRateLimitOptions } from './rate-limit-options.interface.js';

export const KNOWN_RATE_LIMIT_OPTIONS: readonly (keyof RealtimeRateLimitOptions)[] = ['points', 'durationMs', 'disconnectAfter', 'perUser'];

/** Validates `rateLimit` options. */
export function resolveRateLimitOptions(value: unknown): ResolvedRateLimitOptions {
  const budget = checkBudget('rateLimit', value, KNOWN_RATE_LIMIT_OPTIONS);
  const o = value as RealtimeRateLimitOptions;
  return {
    ...budget,
    disconnectAfter:
      o.disconnectAfter === undefined
        ? 10
        : o.disconnectAfter === 0
          ? 0
          : checkPositiveInteger('rateLimit.disconnectAfter', o.disconnectAfter, 'refused messages in a row, or 0'),
    perUser: o.perUser === undefined ? undefined : checkBudget('rateLimit.perUser', o.perUser, ['points', 'durationMs']),
  };
}

/** Validates a `{ points, durationMs }` budget (also what `@RateLimit()` takes). */
export function checkBudget(option: string, value: unknown, known: readonly string[] = ['points', 'durationMs']): RateLimitBudget {
  if (!isPlainObject(value)) throw new RealtimeConfigError(option, value, 'an object { points, durationMs }');
  checkKnownKeys(option, value, known);
  return {
    points: checkPositiveInteger(`${option}.points`, value.points, 'messages'),
    durationMs: checkDurationMs(`${option}.durationMs`, value.durationMs),
  };
}
