import { RealtimeConfigError } from '../config/realtime-config.error.js';
import { defineOptionGroup } from '../config/option-group.js';
import { checkDurationMs, checkKnownKeys, checkNonEmptyString, checkOneOf, isPlainObject } from '../config/option-checks.js';
import type { RealtimeRedisClusterOptions, RealtimeRedisOptions, RedisAdapterMode, RedisClientLike, ResolvedRedisOptions } from './redis-options.interface.js';

const MODES: readonly RedisAdapterMode[] = ['pubsub', 'sharded', 'streams'];
const ON_UNAVAILABLE: readonly NonNullable<RealtimeRedisOptions['onUnavailable']>[] = ['fail', 'degrade'];

/** The `redis` options: default, check and doc line of each. */
export const redisOptionGroup = defineOptionGroup<RealtimeRedisOptions>()(
  {
    url: {
      check: (value) => checkRedisUrl(value),
      doc: { type: '`string`', text: '`redis://` / `rediss://` URL; the library owns the clients. One of `url`, `cluster` and `client` is required.' },
    },
    cluster: {
      check: (value) => checkCluster(value),
      doc: { type: '`{ nodes: string[] }`', text: 'A Redis Cluster, reached through these `redis://` nodes; the library owns the clients.' },
    },
    client: {
      check: (value) => checkClient(value),
      doc: { type: 'node-redis \\| ioredis client or cluster', text: 'Your client; it stays open on `app.close()`.' },
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
    expected: 'an object with url, cluster or client',
    redact: true,
    check: (given) => {
      const givenCount = [given.url, given.cluster, given.client].filter((value) => value !== undefined).length;
      if (givenCount !== 1) {
        throw new RealtimeConfigError('redis', givenCount === 0 ? '(none)' : '(several)', 'exactly one of redis.url, redis.cluster and redis.client');
      }
    },
  },
);

/** Validates `redis` options and applies their defaults. */
export function resolveRedisOptions(value: unknown): ResolvedRedisOptions {
  return redisOptionGroup.resolve(value, 'redis');
}

function checkRedisUrl(value: unknown, option = 'redis.url'): string {
  try {
    const url = new URL(checkNonEmptyString(option, value));
    if (url.protocol === 'redis:' || url.protocol === 'rediss:') return value as string;
  } catch {
    // reported below
  }
  // The URL may carry a password: say what is wrong without repeating it.
  throw new RealtimeConfigError(option, value, 'a redis:// or rediss:// URL', true);
}

function checkCluster(value: unknown): RealtimeRedisClusterOptions {
  if (!isPlainObject(value)) throw new RealtimeConfigError('redis.cluster', value, 'an object { nodes: string[] }', true);
  checkKnownKeys('redis.cluster', value, ['nodes']);
  const { nodes } = value;
  if (!Array.isArray(nodes) || nodes.length === 0) throw new RealtimeConfigError('redis.cluster.nodes', nodes, 'a non-empty array of redis:// URLs', true);
  nodes.forEach((node, i) => {
    // The cluster reports its other nodes by address only: TLS needs a client of your own.
    if (checkRedisUrl(node, `redis.cluster.nodes[${i}]`).startsWith('rediss:')) {
      throw new RealtimeConfigError(`redis.cluster.nodes[${i}]`, node, 'a redis:// URL (for TLS, give your own cluster client as redis.client)', true);
    }
  });
  return { nodes: [...(nodes as string[])] };
}

function checkClient(value: unknown): RedisClientLike {
  const client = value as { duplicate?: unknown; connect?: unknown };
  if (!value || typeof value !== 'object' || typeof client.duplicate !== 'function' || typeof client.connect !== 'function') {
    throw new RealtimeConfigError('redis.client', value, 'a node-redis (v5+) or ioredis client', true);
  }
  return value;
}
