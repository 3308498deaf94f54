import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown } from '@nestjs/common';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { TokenBucket } from '../rate-limit/token-bucket.js';
import { TOO_MANY_CONNECTIONS } from '../protocol/index.js';
import { PresenceStore } from '../presence/presence.store.js';
import { RedisPresenceStore } from '../presence/redis-presence.store.js';
import { ClusterConnectionSlots, type ClusterSlot } from './cluster-connection-slots.js';

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
 */
@Injectable()
export class RealtimeConnectionLimits implements OnApplicationShutdown {
  private readonly byUser = new Map<string, LimitedConnection[]>();
  private readonly handshakeBuckets = new Map<string, TokenBucket>();
  private sweeper?: NodeJS.Timeout;
  private readonly clusterSlots?: ClusterConnectionSlots;

  constructor(
    @Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions,
    @Optional() @Inject(PresenceStore) presenceStore?: PresenceStore | null,
  ) {
    const { maxConnectionsPerUser: max, connectionLimitScope } = options.limits;
    if (max !== undefined && connectionLimitScope === 'cluster') {
      // The presence store fell back to memory: Redis was unreachable at boot.
      if (presenceStore instanceof RedisPresenceStore) this.clusterSlots = new ClusterConnectionSlots(presenceStore.sharedHeartbeat(), max);
      else new Logger('RealtimeLimits').error('Redis is unavailable: connections per user are limited per instance, not across instances.');
    }
    const perIp = options.limits.handshakesPerIp;
    // A bucket refilled to the brim is the same as none: drop those now and then.
    if (perIp) this.sweeper = setInterval(() => this.sweepHandshakes(), Math.max(perIp.durationMs, 1000)).unref();
  }

  /** Whether a new connection from `ip` may start its handshake. */
  admitHandshake(ip: string | undefined): boolean {
    const budget = this.options.limits.handshakesPerIp;
    if (!budget || !ip) return true;
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
