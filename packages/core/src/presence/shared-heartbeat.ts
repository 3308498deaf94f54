import type { AnyRedisClient } from '../redis/redis-client.js';

/**
 * The Redis presence store's instance heartbeat, as another feature counting per-instance state in
 * Redis shares it (`limits.connectionLimitScope: 'cluster'`): one heartbeat per instance, one ttl,
 * keys in the slot of the heartbeats so a script may read them together on Redis Cluster.
 */
export interface SharedHeartbeat {
  readonly client: AnyRedisClient;
  /** This instance, as it is listed in the heartbeats. */
  readonly instanceId: string;
  /** The sorted set of instance heartbeats (score: the time of the last beat). */
  readonly instancesKey: string;
  /** How long an instance may miss heartbeats before it counts as dead. */
  readonly ttlMs: number;
  /** A key for `kind` and `id` in the hash slot of the heartbeats. */
  key(kind: 'user-connections', id: string): string;
  now(): number;
  /** Runs `listener` after each heartbeat that re-synced this instance's presence (Redis lost it, or it was reaped during an outage). */
  onResync(listener: () => Promise<void>): void;
  /** Asks for a re-sync at the next heartbeat that reaches Redis (a write of the listener's missed it). */
  requestResync(): void;
}
