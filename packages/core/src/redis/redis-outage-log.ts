import { Logger } from '@nestjs/common';
import { logSafe } from '../logging/log-safe.js';

/** Where {@link RedisOutageLog} writes: a Nest `Logger` by default. */
export interface RedisOutageSink {
  warn(line: string): void;
  log(line: string): void;
}

/** What a feature does while Redis is down, and again once it answers, in its own words. */
export interface RedisOutageLines {
  /** Follows `Redis unreachable (<reason>): `, e.g. `presence answers from this instance only until it is back.` */
  whileDown: string;
  /** Follows `Redis is back: `, e.g. `presence is shared again.` */
  back: string;
}

/**
 * The "Redis did not answer: fall back to local behaviour" state of one feature, and its log: one
 * warning when an outage starts, however many calls fail in it, and one line when Redis answers
 * again. Each feature keeps its own state: one of them seeing Redis back says nothing of another's
 * commands.
 */
export class RedisOutageLog {
  private down = false;

  constructor(
    private readonly lines: RedisOutageLines,
    private readonly sink: RedisOutageSink,
  ) {}

  /** A log under the Nest logger context `context` (e.g. `'RealtimePresence'`). */
  static forContext(context: string, lines: RedisOutageLines): RedisOutageLog {
    return new RedisOutageLog(lines, new Logger(context));
  }

  /** Whether the last call to Redis failed: the feature is answering locally. */
  get isDown(): boolean {
    return this.down;
  }

  /** A call to Redis failed with `error`; logs when this starts an outage. Returns whether it did. */
  failed(error: unknown): boolean {
    if (this.down) return false;
    this.down = true;
    // Redis error replies can echo a command's arguments (keys hold user ids): made log-safe.
    this.sink.warn(`Redis unreachable (${logSafe(error instanceof Error ? error.message : error, 200)}): ${this.lines.whileDown}`);
    return true;
  }

  /** Redis answered; logs when this ends an outage. Returns whether it did. */
  answered(): boolean {
    if (!this.down) return false;
    this.down = false;
    this.sink.log(`Redis is back: ${this.lines.back}`);
    return true;
  }
}
