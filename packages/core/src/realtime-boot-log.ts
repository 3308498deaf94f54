import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { REALTIME_OPTIONS } from './options/realtime-options.token.js';
import { PresenceStore } from './presence/presence.store.js';
import { RedisPresenceStore } from './presence/redis-presence.store.js';
import { RealtimeRedisConnection } from './redis/realtime-redis-connection.js';
import { TRUST_NO_PROXY } from './proxy/trust-proxy.js';
import { createOriginCheck } from './handshake/origin-allowlist.js';
import type { ResolvedRealtimeOptions } from './options/realtime-module-options.interface.js';

/** What runs, as the boot line says it. */
export interface RealtimeSetup {
  options: ResolvedRealtimeOptions;
  /** Whether the Redis adapter is connected (false: none configured, or degraded to one instance). */
  redisConnected: boolean;
  /** Whether that Redis is a Redis Cluster. */
  redisCluster?: boolean;
  presenceStore: 'memory' | 'redis';
}

/**
 * One line at boot saying what is running: path and transports, authentication, how instances
 * exchange packets, where presence lives, and the limits in force.
 */
export function describeSetup({ options, redisConnected, redisCluster = false, presenceStore }: RealtimeSetup): string {
  const { auth, redis, rateLimit, limits } = options;
  const parts = [
    `Socket.IO on ${options.path} (${options.transports.join(', ')}${options.parser === 'msgpack' ? ', msgpack' : ''})`,
    `auth: ${auth ? `JWT via ${keySource(auth)}, tokens from ${auth.tokenSources.join(', ')}${auth.required ? '' : ', optional'}` : 'none'}`,
    `adapter: ${redis && redisConnected ? `Redis ${redis.adapter}${redisCluster ? ' on a cluster' : ''}` : redis ? 'in-memory (Redis unavailable: single instance)' : 'in-memory (single instance)'}`,
    `presence: ${presenceStore} store`,
    `rate limit: ${rateLimit ? `${rateLimit.points}/${rateLimit.durationMs} ms per connection${rateLimit.perUser ? ', per user' : ''}` : 'handlers with @RateLimit() only'}`,
    `origin allowlist: ${createOriginCheck(options.cors, options.allowRequestsWithoutOrigin) ? 'yes' : 'no'}`,
    `trusted proxies: ${options.trustProxy === TRUST_NO_PROXY ? 'none' : 'set'}`,
    `payloads: depth ≤ ${limits.maxPayloadDepth}, ≤ ${limits.maxPayloadNodes} values`,
  ];
  return parts.join('; ');
}

function keySource(auth: NonNullable<ResolvedRealtimeOptions['auth']>): string {
  if (auth.jwksUri) return 'JWKS';
  if (auth.publicKey) return `public key (${(auth.algorithms ?? ['RS256']).join(', ')})`;
  if (auth.secret) return `secret (${(auth.algorithms ?? ['HS256']).join(', ')})`;
  return 'JwtService';
}

/** Logs `describeSetup()` once the app has started. */
@Injectable()
export class RealtimeBootLog implements OnApplicationBootstrap {
  private readonly logger = new Logger('RealtimeModule');

  constructor(
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    private readonly redis: RealtimeRedisConnection,
    private readonly presence: PresenceStore,
  ) {}

  onApplicationBootstrap(): void {
    this.logger.log(
      describeSetup({
        options: this.options,
        redisConnected: this.redis.redis !== undefined,
        redisCluster: this.redis.redis?.cluster === true,
        presenceStore: this.presence instanceof RedisPresenceStore ? 'redis' : 'memory',
      }),
    );
  }
}
