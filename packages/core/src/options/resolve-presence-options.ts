import { RealtimeConfigError } from '../config/realtime-config.error.js';
import { defineOptionGroup } from '../config/option-group.js';
import { checkDurationMs, checkOneOf, checkPositiveInteger } from '../config/option-checks.js';
import type { PresenceStoreKind, RealtimePresenceOptions, ResolvedPresenceOptions } from './presence-options.interface.js';

const STORES: readonly PresenceStoreKind[] = ['memory', 'redis'];
// A page is what one ack carries: 1,000 users with a few metas each is already hundreds of KB.
const MAX_PAGE_SIZE = 1000;
// Longer than this, a diff is no longer "live" presence.
const MAX_DIFF_WINDOW_MS = 10_000;

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
    pageSize: {
      default: 32,
      check: (value, option) => checkAtMost(option, checkPositiveInteger(option, value, 'users'), MAX_PAGE_SIZE, 'users'),
      doc: {
        type: '`number` (users, 1 to 1000)',
        text: 'Users per page: the `joinRoom` ack, `presence:state` and each `roomPresence` page.',
      },
    },
    diffWindowMs: {
      default: 50,
      check: (value, option) => checkAtMost(option, checkDurationMs(option, value, { allowZero: true }), MAX_DIFF_WINDOW_MS, 'milliseconds'),
      doc: {
        type: '`number` (ms, 0 to 10000)',
        text: "How long a room's presence changes are collected into one `presence:diff`; `0` sends `presence:join` / `leave` / `update` per change.",
      },
    },
    countsWindowMs: {
      default: 1000,
      check: (value, option) => checkAtMost(option, checkDurationMs(option, value), MAX_DIFF_WINDOW_MS, 'milliseconds'),
      doc: {
        type: '`number` (ms, 1 to 10000)',
        text: "The window of a room in `counts` mode: its members hear of its count at most once per this, however fast people join. Unused with `diffWindowMs: 0`.",
      },
    },
    bigRoomUsers: {
      default: 200,
      check: (value, option) => checkPositiveInteger(option, value, 'users'),
      doc: {
        type: '`number` (users)',
        text: 'A room with more users than this is big: its members get counts, and lists only if they subscribed (`presenceEvents`).',
      },
    },
  },
  { expected: 'an object with store, ttlMs, pageSize, diffWindowMs, countsWindowMs and bigRoomUsers' },
);

function checkAtMost(option: string, value: number, max: number, unit: string): number {
  if (value > max) throw new RealtimeConfigError(option, value, `at most ${max} ${unit}`);
  return value;
}

/** Validates `presence` options; `hasRedis` tells whether a Redis store is possible. */
export function resolvePresenceOptions(value: unknown, hasRedis: boolean): ResolvedPresenceOptions {
  const resolved = presenceOptionGroup.resolve(value, 'presence');
  if (resolved.store === 'redis' && !hasRedis) {
    throw new RealtimeConfigError('presence.store', resolved.store, '"memory", or "redis" together with the redis option');
  }
  return resolved;
}
