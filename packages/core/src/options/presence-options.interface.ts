import type { ResolvedOptions } from '../config/option-group.js';
import type { presenceOptionGroup } from './resolve-presence-options.js';

/** Where presence lives. */
export type PresenceStoreKind = 'memory' | 'redis';

/** `presence` options of the module. */
export interface RealtimePresenceOptions {
  /**
   * `memory` keeps presence in this process (one instance); `redis` shares it between instances.
   * @default 'redis' when `redis` is configured, else 'memory'
   */
  store?: PresenceStoreKind;
  /**
   * Redis store: how long an instance may miss heartbeats before the others remove its
   * connections and announce their `presence:leave`, in milliseconds. Instances heartbeat every
   * third of it.
   * @default 15000
   */
  ttlMs?: number;
}

/** The `presence` options after validation, every default applied. */
export interface ResolvedPresenceOptions extends ResolvedOptions<typeof presenceOptionGroup.specs> {}
