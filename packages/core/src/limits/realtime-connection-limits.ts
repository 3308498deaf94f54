import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import { REALTIME_OPTIONS } from '../options/realtime-options.token.js';
import type { ResolvedRealtimeOptions } from '../options/realtime-module-options.interface.js';
import { TokenBucket } from '../rate-limit/token-bucket.js';
import { TOO_MANY_CONNECTIONS } from '../protocol/index.js';

/** A user's connection as the limit sees it: one per Socket.IO namespace socket or native WebSocket. */
export interface LimitedConnection {
  /** Runs `listener` once when the connection closes. */
  onClose(listener: () => void): void;
  /** Disconnects it, telling the client why. */
  evict(reason: string): void;
}

/**
 * Connections per user and handshakes per IP, on this instance, shared by both transports.
 */
@Injectable()
export class RealtimeConnectionLimits implements OnApplicationShutdown {
  private readonly byUser = new Map<string, LimitedConnection[]>();
  private readonly handshakeBuckets = new Map<string, TokenBucket>();
  private sweeper?: NodeJS.Timeout;

  constructor(@Inject(REALTIME_OPTIONS) private readonly options: ResolvedRealtimeOptions) {
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
   * Counts a user's new connection: false when it must be refused; under `close-oldest` the
   * oldest connection is evicted instead.
   */
  admitUser(userId: string, connection: LimitedConnection): boolean {
    const { maxConnectionsPerUser: max, overConnectionLimit } = this.options.limits;
    if (max === undefined) return true;
    const connections = this.byUser.get(userId) ?? [];
    if (connections.length >= max) {
      if (overConnectionLimit === 'refuse-new') return false;
      connections.shift()?.evict(TOO_MANY_CONNECTIONS);
    }
    connections.push(connection);
    this.byUser.set(userId, connections);
    connection.onClose(() => {
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
