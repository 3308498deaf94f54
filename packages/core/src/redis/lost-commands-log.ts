import { Logger } from '@nestjs/common';
import { logSafe } from '../logging/log-safe.js';

/** Where a guarded adapter client reports how its fire-and-forget commands ended (see `guardAdapterClient`). */
export interface LostCommandsReport {
  /** Redis did not carry out `command`. */
  failed(command: string, error: unknown): void;
  /** A command succeeded: Redis answers again. */
  succeeded(): void;
}

/** Where {@link LostCommandsLog} writes its line; a Nest `Logger` by default. */
export type LostCommandsSink = (line: string) => void;

/**
 * Reports the commands a Socket.IO Redis adapter sent and never checked (a publish, a subscribe,
 * a session SET) that Redis did not carry out: one line when the first one fails, then nothing
 * until one succeeds again, so an outage costs one line however many events were lost in it.
 *
 * An outage ends at the first such command that succeeds, not at a client's `ready` event: that
 * needs no listener on a client the user passed in, and holds when several clients share the log.
 */
export class LostCommandsLog implements LostCommandsReport {
  private lost = 0;

  constructor(
    /** The Redis URL with its password hidden, or `'(your client)'`: configuration, never client input. */
    private readonly label: string,
    private readonly sink: LostCommandsSink = (line) => new Logger('RealtimeRedis').error(line),
  ) {}

  /** A fire-and-forget `command` was rejected with `error`; logs if it is the first of this outage. */
  failed(command: string, error: unknown): void {
    if (this.lost++ > 0) return;
    // Redis error replies can echo a command's arguments, and channel names carry room names
    // that clients choose: the message is made log-safe.
    try {
      const reason = error instanceof Error ? `${error.name}: ${error.message}` : error;
      this.sink(
        `Redis ${this.label}: the Socket.IO adapter's ${command} failed (${logSafe(reason, 200)}); ` +
          'events for other instances are lost until Redis answers again. Logged once per outage.',
      );
    } catch {
      // Runs in a promise reaction: a throwing logger (or error getter) must not become the
      // unhandled rejection this class exists to prevent.
    }
  }

  /** A fire-and-forget command succeeded: Redis answers again, and the next failure is a new outage. */
  succeeded(): void {
    this.lost = 0;
  }
}
