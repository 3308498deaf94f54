import type { LostCommandsReport } from './lost-commands-log.js';
import { isClientReady, type AnyRedisClient } from './redis-client.js';

/** What a listener of {@link RedisAdapterState} is told. */
export interface RedisAdapterListener {
  /** A connection the library opened is ready again after it failed (one call per connection). */
  reconnected(): void;
  /** Redis did not carry out a command the adapter sent and never checked, named as the client spells it (`publish`, `sSubscribe`…). */
  commandLost(command: string): void;
}

/**
 * The state of the Redis connections behind one adapter, for whoever watches it: the module's
 * metrics attach at init, while the adapter itself is made without Nest (`createRedisAdapter`,
 * also behind the standalone `RealtimeEmitter`). Without a listener it costs a loop over an empty
 * set when something fails, and nothing otherwise.
 */
export class RedisAdapterState {
  private readonly connections: AnyRedisClient[] = [];
  private readonly listeners = new Set<RedisAdapterListener>();
  private closed = false;

  /** A connection the adapter works with: the client it publishes with, its subscriber. */
  add(connection: AnyRedisClient): void {
    this.connections.push(connection);
  }

  /** Whether every connection the adapter works with is ready for commands; `undefined` once the adapter is closed. */
  get up(): boolean | undefined {
    return this.closed ? undefined : this.connections.every(isClientReady);
  }

  /** Tells `listener` what happens until the adapter closes or the returned function is called. */
  listen(listener: RedisAdapterListener): () => void {
    if (this.closed) return () => undefined;
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  reconnected(): void {
    for (const listener of this.listeners) tell(() => listener.reconnected());
  }

  /** A report for the adapter's guarded clients: every failure is told to the listeners, then to `log` (one line per outage). */
  reporting(log: LostCommandsReport): LostCommandsReport {
    return {
      failed: (command, error) => {
        for (const listener of this.listeners) tell(() => listener.commandLost(command));
        log.failed(command, error);
      },
      succeeded: () => log.succeeded(),
    };
  }

  /** The adapter closed: nothing more to report. */
  close(): void {
    this.closed = true;
    this.listeners.clear();
  }
}

// Listeners run in promise reactions and client event handlers, where a throw would be an
// unhandled rejection or an uncaught exception: a failing listener is ignored.
function tell(call: () => void): void {
  try {
    call();
  } catch {
    // ignored (see above)
  }
}
