import { Inject, Injectable } from '@nestjs/common';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { PresenceStore } from '../presence/presence.store.js';
import { RealtimeRedisConnection } from '../redis/realtime-redis-connection.js';
import { isClientReady } from '../redis/redis-client.js';
import { RealtimeServers } from '../service/realtime-servers.js';
import { NativeWsClients } from '../connection/native-ws-clients.js';

/** What `RealtimeHealthIndicator` reports about this instance. */
export interface RealtimeHealthDetails {
  /** Connected clients on this instance (Socket.IO connections and native WebSockets). */
  connections: number;
  /** Shutting down: the load balancer should stop sending clients here. */
  draining: boolean;
  /** `'memory'` for one instance, else the Redis adapter mode. */
  adapter: 'memory' | 'pubsub' | 'sharded' | 'streams';
  /** With `redis`: whether the adapter's Redis connection is ready (`'down'` also after a degraded boot). */
  redis?: 'up' | 'down';
  /** Milliseconds since this instance's last presence heartbeat (Redis store only). */
  presenceHeartbeatAgeMs?: number;
}

/** A Terminus health indicator result: `{ [key]: { status, ...details } }`. */
export type RealtimeHealthResult<Key extends string = 'realtime'> = Record<Key, { status: 'up' | 'down' } & RealtimeHealthDetails>;

/**
 * This instance's realtime health, for `@nestjs/terminus` (11+) or any health endpoint:
 * `down` while draining, when the Redis adapter is not connected, or when the presence heartbeat
 * is older than `presence.ttlMs` (the other instances would be removing this one's users).
 *
 * ```ts
 * @Get('health') @HealthCheck()
 * check() { return this.health.check([() => this.realtime.isHealthy()]); }
 * ```
 */
@Injectable()
export class RealtimeHealthIndicator {
  constructor(
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    private readonly servers: RealtimeServers,
    private readonly nativeWs: NativeWsClients,
    private readonly redis: RealtimeRedisConnection,
    private readonly presence: PresenceStore,
  ) {}

  isHealthy<Key extends string = 'realtime'>(key: Key = 'realtime' as Key): RealtimeHealthResult<Key> {
    const details = this.details();
    const healthy =
      !details.draining &&
      details.redis !== 'down' &&
      (details.presenceHeartbeatAgeMs === undefined || details.presenceHeartbeatAgeMs <= this.options.presence.ttlMs);
    return { [key]: { status: healthy ? 'up' : 'down', ...details } } as RealtimeHealthResult<Key>;
  }

  private details(): RealtimeHealthDetails {
    const redis = this.redis.redis;
    const lastBeat = this.presence.lastHeartbeatAt();
    return {
      connections: this.servers.connectionCount() + this.nativeWs.all().length,
      draining: this.servers.draining,
      adapter: redis?.mode ?? 'memory',
      ...(this.options.redis ? { redis: redis && isClientReady(redis.client) ? ('up' as const) : ('down' as const) } : {}),
      ...(lastBeat === null ? {} : { presenceHeartbeatAgeMs: Date.now() - lastBeat }),
    };
  }
}
