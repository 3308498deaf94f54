import { RealtimeConfigError } from '../config/realtime-config.error.js';
import { defineOptionGroup } from '../config/option-group.js';
import { checkDurationMs, checkNonEmptyString, checkOneOf } from '../config/option-checks.js';
import type { RealtimeRedisOptions, RedisAdapterMode, RedisClientLike, ResolvedRedisOptions } from './redis-options.interface.js';

const MODES: readonly RedisAdapterMode[] = ['pubsub', 'sharded', 'streams'];
const ON_UNAVAILABLE: readonly NonNullable<RealtimeRedisOptions['onUnavailable']>[] = ['fail', 'degrade'];

/** The `redis` options: default, check and doc line of each. */
export const redisOptionGroup = defineOptionGroup<RealtimeRedisOptions>()(
  {
    url: {
      check: (value) => checkRedisUrl(value),
      doc: { type: '`string`', text: '`redis://` / `rediss://` URL; the library owns the clients. One of `url` and `client` is required.' },
    },
    client: {
      check: (value) => checkClient(value),
      doc: { type: 'node-redis \\| ioredis client', text: 'Your client; it stays open on `app.close()`.' },
    },
    adapter: {
      default: 'pubsub',
      check: (value, option) => checkOneOf(option, value, MODES),
      doc: { type: "`'pubsub'` \\| `'sharded'` \\| `'streams'`", text: 'How instances exchange packets.' },
    },
    keyPrefix: {
      default: 'socket.io',
      check: (value, option) => checkNonEmptyString(option, value),
      doc: { type: '`string`', text: 'Prefix of channels, stream and presence keys.' },
    },
    requestsTimeout: {
      default: 5000,
      check: (value, option) => checkDurationMs(option, value),
      doc: { type: '`number` (ms)', text: 'How long cluster-wide requests wait.' },
    },
    connectTimeoutMs: {
      default: 5000,
      check: (value, option) => checkDurationMs(option, value),
      doc: { type: '`number` (ms)', text: 'How long boot waits for Redis.' },
    },
    onUnavailable: {
      default: 'fail',
      check: (value, option) => checkOneOf(option, value, ON_UNAVAILABLE),
      doc: { type: "`'fail'` \\| `'degrade'`", text: 'Redis unreachable at boot: stop, or start single-instance.' },
    },
  },
  {
    expected: 'an object with url or client',
    redact: true,
    check: (given) => {
      if ((given.url === undefined) === (given.client === undefined)) {
        throw new RealtimeConfigError('redis', given.url === undefined ? '(neither)' : '(both)', 'exactly one of redis.url and redis.client');
      }
    },
  },
);

/** Validates `redis` options and applies their defaults. */
export function resolveRedisOptions(value: unknown): ResolvedRedisOptions {
  return redisOptionGroup.resolve(value, 'redis');
}

function checkRedisUrl(value: unknown): string {
  try {
    const url = new URL(checkNonEmptyString('redis.url', value));
    if (url.protocol === 'redis:' || url.protocol === 'rediss:') return value as string;
  } catch {
    // reported below
  }
  // The URL may carry a password: say what is wrong without repeating it.
  throw new RealtimeConfigError('redis.url', value, 'a redis:// or rediss:// URL', true);
}

function checkClient(value: unknown): RedisClientLike {
  const client = value as { duplicate?: unknown; connect?: unknown };
  if (!value || typeof value !== 'object' || typeof client.duplicate !== 'function' || typeof client.connect !== 'function') {
    throw new RealtimeConfigError('redis.client', value, 'a node-redis (v5+) or ioredis client', true);
  }
  return value;
}
