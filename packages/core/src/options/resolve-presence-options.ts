import { RealtimeConfigError } from '../config/realtime-config.error.js';
import { defineOptionGroup, type GivenOptions } from '../config/option-group.js';
import { checkDurationMs, checkOneOf, checkPositiveInteger } from '../config/option-checks.js';
import type { PresenceStoreKind, RealtimePresenceOptions, ResolvedPresenceOptions } from './presence-options.interface.js';

const STORES: readonly PresenceStoreKind[] = ['memory', 'redis'];
// A page is what one ack carries: 1,000 users with a few metas each is already hundreds of KB.
const MAX_PAGE_SIZE = 1000;
// Longer than this, a diff is no longer "live" presence.
const MAX_DIFF_WINDOW_MS = 10_000;

/** `presence.bigRoomUsers` when not given. */
export const DEFAULT_BIG_ROOM_USERS = 200;

/** `presence.bigRoomExitUsers` when not given: three quarters of `bigRoomUsers`, rounded down. */
export function defaultBigRoomExitUsers(bigRoomUsers: number): number {
  return Math.floor((bigRoomUsers * 3) / 4);
}

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
      default: DEFAULT_BIG_ROOM_USERS,
      check: (value, option) => checkPositiveInteger(option, value, 'users'),
      doc: {
        type: '`number` (users)',
        text: 'A room with more users than this is big: its members get counts, and lists only if they subscribed (`presenceEvents`).',
      },
    },
    bigRoomExitUsers: {
      defaultFrom: (given) => defaultBigRoomExitUsers(bigRoomUsersOf(given)),
      // `bigRoomUsers` is checked first (declaration order): `given.bigRoomUsers` is valid or unset.
      check: (value, option, given) => checkExitUsers(option, value, bigRoomUsersOf(given)),
      doc: {
        type: '`number` (users, 0 to `bigRoomUsers`)',
        default: '3/4 of `bigRoomUsers`, rounded down (150)',
        text: 'A big room turns `full` again only at or below this many users: a room hovering at `bigRoomUsers` keeps its mode instead of switching at each crossing.',
      },
    },
  },
  { expected: 'an object with store, ttlMs, pageSize, diffWindowMs, countsWindowMs, bigRoomUsers and bigRoomExitUsers' },
);

const bigRoomUsersOf = (given: GivenOptions): number => (given.bigRoomUsers as number | undefined) ?? DEFAULT_BIG_ROOM_USERS;

function checkExitUsers(option: string, value: unknown, bigRoomUsers: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0 || value > bigRoomUsers) {
    throw new RealtimeConfigError(option, value, `an integer from 0 to presence.bigRoomUsers (${bigRoomUsers})`);
  }
  return value;
}

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
