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
    ...(config.observability && config.observability !== 'off' && config.observability !== 'app-traced' ? { observability: { enabled: true } } : {}),
    ...(config.rateLimitPerS ? { rateLimit: { points: config.rateLimitPerS, durationMs: 1000, disconnectAfter: 0 } } : {}),
  };
}

/** An app module importing the realtime module, with `gateway` as its one provider. */
export function realtimeBenchModule(config: ServerConfig, gateway: Type): DynamicModule {
  @Module({})
  class RealtimeBenchModule {}
  return { module: RealtimeBenchModule, imports: [RealtimeModule.forRoot(realtimeOptions(config))], providers: [gateway] };
}
