/**
 * What every (c) server runs: `RealtimeModule.forRoot()` with the module's features on, and the
 * bench's gateway, whichever the transport.
 */
import { Module, type DynamicModule, type Type } from '@nestjs/common';
import { RealtimeModule, type RealtimeModuleOptions } from '@nestjs-realtime/core';
import type { ServerConfig } from './server-config.js';

/** JWT auth, presence (memory store, or Redis with Redis or a Redis Cluster), and what the configuration asks for. */
export function realtimeOptions(config: ServerConfig): RealtimeModuleOptions {
  const redis = config.redisClusterNodes ? { cluster: { nodes: config.redisClusterNodes } } : config.redisUrl ? { url: config.redisUrl } : undefined;
  return {
    auth: { secret: config.secret },
    presence: { store: config.presenceStore ?? (redis ? 'redis' : 'memory'), ...config.presence },
    ...(redis ? { redis: { ...redis, ...(config.redisAdapter ? { adapter: config.redisAdapter } : {}) } } : {}),
    ...(config.parser === 'msgpack' ? { parser: 'msgpack' as const } : {}),
    observability: { enabled: moduleObservability(config.observability ?? 'off') },
    ...(config.rateLimitPerS ? { rateLimit: { points: config.rateLimitPerS, durationMs: 1000, disconnectAfter: 0 } } : {}),
  };
}

/**
 * Said either way, never left to the default: with an SDK registered (`app-traced`), `'auto'`
 * would turn the module's observability on, and the row measures the app without it.
 */
function moduleObservability(variant: NonNullable<ServerConfig['observability']>): boolean {
  return variant !== 'off' && variant !== 'app-traced';
}

/** An app module importing the realtime module, with `gateway` as its one provider. */
export function realtimeBenchModule(config: ServerConfig, gateway: Type): DynamicModule {
  @Module({})
  class RealtimeBenchModule {}
  return { module: RealtimeBenchModule, imports: [RealtimeModule.forRoot(realtimeOptions(config))], providers: [gateway] };
}
