import { Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { REALTIME_OPTIONS } from './options/realtime-options.token.js';
import { PresenceStore } from './presence/presence.store.js';
import { RedisPresenceStore } from './presence/redis-presence.store.js';
import { RealtimeRedisConnection } from './redis/realtime-redis-connection.js';
import { TRUST_NO_PROXY } from './proxy/trust-proxy.js';
import { createOriginCheck } from './handshake/origin-allowlist.js';
import { RealtimeServers, type ServedSocketIo } from './service/realtime-servers.js';
import type { ResolvedRealtimeOptions } from './options/realtime-module-options.interface.js';

/** What the adapters serve: the Socket.IO servers, and the native WebSocket gateways' paths. */
export interface ServedGateways {
  socketIo: ServedSocketIo[];
  nativeWs: string[];
}

/** What runs, as the boot line says it. */
export interface RealtimeSetup {
  options: ResolvedRealtimeOptions;
  served: ServedGateways;
  /** Whether the Redis adapter is connected (false: none configured, or degraded to one instance). */
  redisConnected: boolean;
  /** Whether that Redis is a Redis Cluster. */
  redisCluster?: boolean;
  presenceStore: 'memory' | 'redis';
}

/**
 * One line at boot saying what is running: what is served (Socket.IO paths and transports, native
 * WebSocket paths), authentication, how instances exchange packets, where presence lives, and the
 * limits in force.
 */
export function describeSetup({ options, served, redisConnected, redisCluster = false, presenceStore }: RealtimeSetup): string {
  const { auth, redis, rateLimit, limits } = options;
  const parts = [
    ...describeServed(served, options),
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

function describeServed({ socketIo, nativeWs }: ServedGateways, options: ResolvedRealtimeOptions): string[] {
  const msgpack = options.parser === 'msgpack' ? ', msgpack' : '';
  // Gateways on other ports may open servers on the same path: one mention each. Sorted, since
  // Nest connects gateways in no documented order and the line should read the same on every boot.
  const socketIoServers = [...new Set(socketIo.map(({ path, transports }) => `${path} (${transports.join(', ')}${msgpack})`))].sort();
  const nativeWsPaths = [...new Set(nativeWs)].sort();
  const served = [
    ...(socketIoServers.length > 0 ? [`Socket.IO on ${socketIoServers.join(', ')}`] : []),
    ...(nativeWsPaths.length > 0 ? [`native WebSocket on ${nativeWsPaths.join(', ')}`] : []),
  ];
  // An app without gateways (a worker that only emits through Redis, say) serves no connections.
  return served.length > 0 ? served : ['no gateways served'];
}

function keySource(auth: NonNullable<ResolvedRealtimeOptions['auth']>): string {
  if (auth.jwksUri) return 'JWKS';
  if (auth.publicKey) return `public key (${(auth.algorithms ?? ['RS256']).join(', ')})`;
  if (auth.secret) return `secret (${(auth.algorithms ?? ['HS256']).join(', ')})`;
  return 'JwtService';
}

/** Logs `describeSetup()` once the app has started: Nest has connected the gateways, so their servers exist. */
@Injectable()
export class RealtimeBootLog implements OnApplicationBootstrap {
  private readonly logger = new Logger('RealtimeModule');

  constructor(
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    private readonly redis: RealtimeRedisConnection,
    private readonly presence: PresenceStore,
    private readonly servers: RealtimeServers,
  ) {}

  onApplicationBootstrap(): void {
    this.logger.log(
      describeSetup({
        options: this.options,
        served: { socketIo: this.servers.socketIo(), nativeWs: this.servers.nativeWs() },
        redisConnected: this.redis.redis !== undefined,
        redisCluster: this.redis.redis?.cluster === true,
        presenceStore: this.presence instanceof RedisPresenceStore ? 'redis' : 'memory',
      }),
    );
  }
}
