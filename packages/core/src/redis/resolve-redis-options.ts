import { RealtimeConfigError } from '../options/realtime-config.error.js';
import { checkDurationMs, checkKnownKeys, checkNonEmptyString, checkOneOf, isPlainObject } from '../options/option-checks.js';
import type { RealtimeRedisOptions, RedisAdapterMode, ResolvedRedisOptions } from './redis-options.interface.js';

const MODES: readonly RedisAdapterMode[] = ['pubsub', 'sharded', 'streams'];
export const KNOWN_REDIS_OPTIONS: readonly (keyof RealtimeRedisOptions)[] = [
  'url', 'client', 'adapter', 'keyPrefix', 'requestsTimeout', 'connectTimeoutMs', 'onUnavailable',
];

/** Validates `redis` options and applies their defaults. */
export function resolveRedisOptions(value: unknown): ResolvedRedisOptions {
  if (!isPlainObject(value)) throw new RealtimeConfigError('redis', value, 'an object with url or client', true);
  checkKnownKeys('redis', value, KNOWN_REDIS_OPTIONS);
  const o = value as RealtimeRedisOptions;
  if ((o.url === undefined) === (o.client === undefined)) {
    throw new RealtimeConfigError('redis', o.url === undefined ? '(neither)' : '(both)', 'exactly one of redis.url and redis.client');
  }
  return {
    ...(o.url !== undefined ? { url: checkRedisUrl(o.url) } : {}),
    ...(o.client !== undefined ? { client: checkClient(o.client) } : {}),
    adapter: o.adapter === undefined ? 'pubsub' : checkOneOf('redis.adapter', o.adapter, MODES),
    keyPrefix: o.keyPrefix === undefined ? 'socket.io' : checkNonEmptyString('redis.keyPrefix', o.keyPrefix),
    requestsTimeout: o.requestsTimeout === undefined ? 5000 : checkDurationMs('redis.requestsTimeout', o.requestsTimeout),
    connectTimeoutMs: o.connectTimeoutMs === undefined ? 5000 : checkDurationMs('redis.connectTimeoutMs', o.connectTimeoutMs),
    onUnavailable: o.onUnavailable === undefined ? 'fail' : checkOneOf('redis.onUnavailable', o.onUnavailable, ['fail', 'degrade'] as const),
  };
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

function checkClient(value: unknown): object {
  const client = value as { duplicate?: unknown; connect?: unknown };
  if (!value || typeof value !== 'object' || typeof client.duplicate !== 'function' || typeof client.connect !== 'function') {
    throw new RealtimeConfigError('redis.client', value, 'a node-redis (v5+) or ioredis client', true);
  }
  return value;
}
