import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { TokenBucket } from '../rate-limit/token-bucket.js';
import { TOO_MANY_CONNECTIONS } from '../protocol/index.js';
import { PresenceStore } from '../presence/presence.store.js';
import { RedisPresenceStore } from '../presence/redis-presence.store.js';
import { RealtimeRedisConnection } from '../redis/realtime-redis-connection.js';
import { ClusterConnectionSlots, type ClusterSlot } from './cluster-connection-slots.js';
import { ClusterHandshakeBudget } from './cluster-handshake-budget.js';

/** A user's connection as the limit sees it: one per Socket.IO namespace socket or native WebSocket. */
export interface LimitedConnection {
  /** Runs `listener` once when the connection closes. */
  onClose(listener: () => void): void;
  /** Disconnects it, telling the client why. */
  evict(reason: string): void;
}

/**
 * Connections per user and handshakes per IP, shared by both transports. Connections per user are
 * counted on this instance always, and with `connectionLimitScope: 'cluster'` in Redis as well
 * (`ClusterConnectionSlots`): a user within the cluster-wide limit is within this instance's.
 * Handshakes per IP are counted on this instance, or with `handshakeLimitScope: 'cluster'` in
 * Redis instead (`ClusterHandshakeBudget`), here only while Redis does not answer.
 */
@Injectable()
export class RealtimeConnectionLimits implements OnApplicationShutdown {
  private readonly byUser = new Map<string, LimitedConnection[]>();
  private readonly handshakeBuckets = new Map<string, TokenBucket>();
  private sweeper?: NodeJS.Timeout;
  private readonly clusterSlots?: ClusterConnectionSlots;
  private readonly clusterHandshakes?: ClusterHandshakeBudget;

  constructor(
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    @Optional() @Inject(PresenceStore) presenceStore?: PresenceStore | null,
    @Optional() @Inject(RealtimeRedisConnection) redisConnection?: RealtimeRedisConnection | null,
  ) {
    const { maxConnectionsPerUser: max, connectionLimitScope, handshakesPerIp: perIp, handshakeLimitScope } = options.limits;
    const logger = new Logger('RealtimeLimits');
    if (max !== undefined && connectionLimitScope === 'cluster') {
      // The presence store fell back to memory: Redis was unreachable at boot.
      if (presenceStore instanceof RedisPresenceStore) this.clusterSlots = new ClusterConnectionSlots(presenceStore.sharedHeartbeat(), max);
      else logger.error('Redis is unavailable: connections per user are limited per instance, not across instances.');
    }
    if (perIp && handshakeLimitScope === 'cluster') {
      // No adapter: Redis was unreachable at boot (redis.onUnavailable: 'degrade').
      const redis = redisConnection?.redis;
      if (redis) this.clusterHandshakes = new ClusterHandshakeBudget(redis.client, redis.keyPrefix, perIp);
      else logger.error('Redis is unavailable: handshakes per IP are limited per instance, not across instances.');
    }
    // A bucket refilled to the brim is the same as none: drop those now and then.
    if (perIp) this.sweeper = setInterval(() => this.sweepHandshakes(), Math.max(perIp.durationMs, 1000)).unref();
  }

  /**
   * Whether a new connection from `ip` may start its handshake: a promise only when handshakes are
   * counted across instances (otherwise the answer costs no extra turn).
   */
  admitHandshake(ip: string | undefined): boolean | Promise<boolean> {
    if (!this.options.limits.handshakesPerIp || !ip) return true;
    return this.clusterHandshakes ? this.clusterHandshakes.take(ip).then((taken) => taken ?? this.admitHandshakeHere(ip)) : this.admitHandshakeHere(ip);
  }

  /** `admitHandshake` counted on this instance. */
  private admitHandshakeHere(ip: string): boolean {
    const budget = this.options.limits.handshakesPerIp!;
    let bucket = this.handshakeBuckets.get(ip);
    if (!bucket) this.handshakeBuckets.set(ip, (bucket = new TokenBucket(budget)));
    return bucket.take() === 0;
  }

  /** Whether connections per user are limited at all (when not, nothing needs tracking). */
  get limitsConnections(): boolean {
    return this.options.limits.maxConnectionsPerUser !== undefined;
  }

  /** Whether one more connection of the user would be let in (checked before a native upgrade). */
  wouldAdmitUser(userId: string): boolean {
    const { maxConnectionsPerUser: max, overConnectionLimit } = this.options.limits;
    return max === undefined || overConnectionLimit === 'close-oldest' || (this.byUser.get(userId)?.length ?? 0) < max;
  }

  /**
   * With `connectionLimitScope: 'cluster'`, takes one of the user's slots across the instances
   * before the connection opens: resolves `null` when they have none left (Redis unreachable: a
   * slot, see `ClusterConnectionSlots`). `undefined`, no promise, when nothing is counted across
   * instances.
   */
  takeClusterSlot(userId: string): Promise<ClusterSlot | null> | undefined {
    // Nothing to wait for (no promise, no extra turn) unless the limit is counted across instances.
    return this.clusterSlots?.take(userId).then((slot) => slot ?? null);
  }

  /**
   * Counts a user's new connection: false when it must be refused; under `close-oldest` the
   * oldest connection is evicted instead. `clusterSlot`, the slot taken across instances for it,
   * is freed with the connection (or at once, when it is refused here).
   */
  admitUser(userId: string, connection: LimitedConnection, clusterSlot?: ClusterSlot): boolean {
    const { maxConnectionsPerUser: max, overConnectionLimit } = this.options.limits;
    if (max === undefined) return true;
    const connections = this.byUser.get(userId) ?? [];
    if (connections.length >= max) {
      if (overConnectionLimit === 'refuse-new') {
        clusterSlot?.release();
        return false;
      }
      connections.shift()?.evict(TOO_MANY_CONNECTIONS);
    }
    clusterSlot?.claim();
    connections.push(connection);
    this.byUser.set(userId, connections);
    connection.onClose(() => {
      clusterSlot?.release();
      const index = connections.indexOf(connection);
      if (index >= 0) connections.splice(index, 1);
      if (connections.length === 0 && this.byUser.get(userId) === connections) this.byUser.delete(userId);
    });
    return true;
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweeper);
  }

  private sweepHandshakes(): void {
    const now = Date.now();
    for (const [ip, bucket] of this.handshakeBuckets) if (bucket.isFull(now)) this.handshakeBuckets.delete(ip);
  }
}
