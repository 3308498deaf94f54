import { RealtimeConfigError } from '../options/realtime-config.error.js';
import { checkDurationMs, checkKnownKeys, checkPositiveInteger, isPlainObject } from '../options/option-checks.js';
import type { RealtimeDrainOptions, ResolvedDrainOptions } from './drain-options.interface.js';

export const KNOWN_DRAIN_OPTIONS: readonly (keyof RealtimeDrainOptions)[] = ['timeoutMs', 'batchSize', 'reconnectDelayMs'];

/** Validates `drain` options. */
export function resolveDrainOptions(value: unknown): ResolvedDrainOptions {
  if (value === undefined) return { timeoutMs: 10_000, batchSize: 500, reconnectDelayMs: 1000 };
  if (!isPlainObject(value)) throw new RealtimeConfigError('drain', value, 'an object with timeoutMs, batchSize and reconnectDelayMs');
  checkKnownKeys('drain', value, KNOWN_DRAIN_OPTIONS);
  const o = value as RealtimeDrainOptions;
  return {
    timeoutMs: o.timeoutMs === undefined ? 10_000 : checkDurationMs('drain.timeoutMs', o.timeoutMs),
    batchSize: o.batchSize === undefined ? 500 : checkPositiveInteger('drain.batchSize', o.batchSize, 'clients'),
    reconnectDelayMs:
      o.reconnectDelayMs === undefined ? 1000 : checkDurationMs('drain.reconnectDelayMs', o.reconnectDelayMs, { allowZero: true }),
  };
}
