import { RealtimeConfigError } from '../options/realtime-config.error.js';
import { checkDurationMs, checkKnownKeys, checkOneOf, isPlainObject } from '../options/option-checks.js';
import type { RealtimePresenceOptions, ResolvedPresenceOptions } from './presence.interfaces.js';

export const KNOWN_PRESENCE_OPTIONS: readonly (keyof RealtimePresenceOptions)[] = ['store', 'ttlMs'];

/** Validates `presence` options; `redis` tells whether a Redis store is possible. */
export function resolvePresenceOptions(value: unknown, hasRedis: boolean): ResolvedPresenceOptions {
  if (value === undefined) return { store: undefined, ttlMs: 15_000 };
  if (!isPlainObject(value)) throw new RealtimeConfigError('presence', value, 'an object with store and ttlMs');
  checkKnownKeys('presence', value, KNOWN_PRESENCE_OPTIONS);
  const o = value as RealtimePresenceOptions;
  const store = o.store === undefined ? undefined : checkOneOf('presence.store', o.store, ['memory', 'redis'] as const);
  if (store === 'redis' && !hasRedis) {
    throw new RealtimeConfigError('presence.store', store, '"memory", or "redis" together with the redis option');
  }
  return { store, ttlMs: o.ttlMs === undefined ? 15_000 : checkDurationMs('presence.ttlMs', o.ttlMs) };
}
