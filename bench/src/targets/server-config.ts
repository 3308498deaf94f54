/** What the orchestrator tells a target server (in the BENCH_SERVER environment variable). */
export interface ServerConfig {
  /** Socket.IO's default JSON parser, or `socket.io-msgpack-parser` (clients must match). */
  parser: 'json' | 'msgpack';
  /** Scale out over this Redis with the Redis adapter (pub/sub). */
  redisUrl?: string;
  /** (c) only: scale out over this Redis Cluster (its nodes' URLs) instead of `redisUrl`. */
  redisClusterNodes?: string[];
  /** (c) only: the module's `redis.adapter` (its default, `pubsub`, when absent). */
  redisAdapter?: 'pubsub' | 'sharded';
  /** (c) only: where presence lives. `redis` needs `redisUrl`. */
  presenceStore?: 'memory' | 'redis';
  /** (c) only: presence options beside the store (`pageSize`, `diffWindowMs`, `bigRoomUsers`). */
  presence?: Record<string, number>;
  /** (c) only: `rateLimit` per connection, `points` per second (no disconnect). */
  rateLimitPerS?: number;
  /**
   * (c) only: `off` (the default) sets `observability.enabled: false`; `no-sdk` turns it on
   * (`enabled: true`) without an OpenTelemetry SDK; `metrics` with an SDK's meter provider only;
   * `sdk` with metrics and traces (and the async context traces need), every trace recorded;
   * `sdk-sampled` the same with 1 % of traces sampled; all exported to a sink that drops them.
   * `app-traced` sets `enabled: false` but registers the SDK of `sdk` with its async context in
   * use, as in an app that already traces its HTTP requests: what the module's observability adds
   * to such an app.
   */
  observability?: 'off' | 'app-traced' | 'no-sdk' | 'metrics' | 'sdk' | 'sdk-sampled';
  /** (c) only: the HMAC secret tokens are signed with. */
  secret: string;
}

export const BENCH_SECRET = 'bench-secret-not-for-production-0123456789';

export function readServerConfig(): ServerConfig {
  const raw = process.env.BENCH_SERVER;
  if (!raw) throw new Error('BENCH_SERVER is not set: this file is started by the benchmark (pnpm bench).');
  return JSON.parse(raw) as ServerConfig;
}
