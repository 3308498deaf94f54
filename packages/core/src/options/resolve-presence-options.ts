import { RealtimeConfigError } from '../config/realtime-config.error.js';
import { defineOptionGroup } from '../config/option-group.js';
import { checkDurationMs, checkOneOf } from '../config/option-checks.js';
import type { PresenceStoreKind, RealtimePresenceOptions, ResolvedPresenceOptions } from './presence-options.interface.js';

const STORES: readonly PresenceStoreKind[] = ['memory', 'redis'];

/** The `presence` options: default, check and doc line of each. */
export const presenceOptionGroup = defineOptionGroup<RealtimePresenceOptions>()(
  {
    store: {
      // Unset, the store follows `redis` at boot: a Redis that turns out unreachable degrades to memory.
      check: (value, option) => checkOneOf(option, value, STORES),
      doc: { type: "`'memory'` \\| `'redis'`", default: "`'redis'` with `redis`, else `'memory'`", text: 'Where presence lives.' },
    },
    ttlMs: {
      default: 15_000,
      check: (value, option) => checkDurationMs(option, value),
      doc: {
        type: '`number` (ms)',
        text: 'Redis store: how long an instance may miss heartbeats before the others remove its connections.',
      },
    },
  },
  { expected: 'an object with store and ttlMs' },
);

/** Validates `presence` options; `hasRedis` tells whether a Redis store is possible. */
export function resolvePresenceOptions(value: unknown, hasRedis: boolean): ResolvedPresenceOptions {
  const resolved = presenceOptionGroup.resolve(value, 'presence');
  if (resolved.store === 'redis' && !hasRedis) {
    throw new RealtimeConfigError('presence.store', resolved.store, '"memory", or "redis" together with the redis option');
  }
  return resolved;
}
