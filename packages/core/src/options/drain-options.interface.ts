import type { ResolvedOptions } from '../config/option-group.js';
import type { drainOptionGroup } from './resolve-drain-options.js';

/** How an instance leaves on `app.close()` / SIGTERM. */
export interface RealtimeDrainOptions {
  /**
   * The deadline for disconnecting every client, in milliseconds; what is still connected then is
   * disconnected at once.
   * @default 10000
   */
  timeoutMs?: number;
  /**
   * Clients disconnected together; batches are spread over the deadline so they do not all
   * reconnect to the other instances at the same moment.
   * @default 500
   */
  batchSize?: number;
  /**
   * Suggested in `server:draining { reconnectDelayMs }`: how long clients should wait before
   * reconnecting (to another instance).
   * @default 1000
   */
  reconnectDelayMs?: number;
}

/** The `drain` options after validation, every default applied. */
export interface ResolvedDrainOptions extends ResolvedOptions<typeof drainOptionGroup.specs> {}
