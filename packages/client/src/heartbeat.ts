import type { Clock } from './clock.js';
import { checkDelayOption, optionalDelay } from './delay-option.js';

/** How long a connection may stay silent before a ping, and how long the ping's answer may take. */
export interface HeartbeatTiming {
  intervalMs: number;
  timeoutMs: number;
}

/** What the heartbeat does to the connection: send a ping; give the connection up. */
export interface HeartbeatHooks {
  ping(): void;
  dead(): void;
}

const DEFAULT_INTERVAL_MS = 25_000;
const DEFAULT_TIMEOUT_MS = 15_000;

/**
 * The timing of `heartbeatIntervalMs` / `heartbeatTimeoutMs`, or `undefined` when the heartbeat is
 * off (`0` or `false`). Throws on a value that is no number of milliseconds a timer can wait.
 */
export function heartbeatTiming(options: { heartbeatIntervalMs?: number | false; heartbeatTimeoutMs?: number }): HeartbeatTiming | undefined {
  const intervalMs = optionalDelay('heartbeatIntervalMs', options.heartbeatIntervalMs, DEFAULT_INTERVAL_MS, '0 or false turns the heartbeat off');
  const { heartbeatTimeoutMs: timeoutMs = DEFAULT_TIMEOUT_MS } = options;
  checkDelayOption('heartbeatTimeoutMs', timeoutMs, 1, 'more than 0');
  return intervalMs === undefined ? undefined : { intervalMs, timeoutMs };
}

/**
 * Notices a connection that died without closing (a laptop that slept, a Wi-Fi switch, a NAT that
 * forgot the mapping): the socket stays open, and nothing arrives any more. A browser answers the
 * server's WebSocket pings itself and never shows them to scripts, so the client asks on its own:
 * after `intervalMs` with no frame, `ping()`; if still no frame `timeoutMs` later, `dead()`. Any
 * frame counts as an answer, so a connection that receives pays for no ping. One timer at a time.
 */
export class Heartbeat {
  private timer?: unknown;
  private running = false;

  constructor(
    private readonly clock: Clock,
    private readonly timing: HeartbeatTiming,
    private readonly hooks: HeartbeatHooks,
  ) {}

  /** A connection opened: watch it. */
  start(): void {
    this.running = true;
    this.waitForSilence();
  }

  /** A frame arrived: the connection is alive, and the next ping waits for a new silence. */
  heard(): void {
    if (this.running) this.waitForSilence();
  }

  /** The connection is gone (or the client closed it): nothing more to watch. */
  stop(): void {
    this.running = false;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
  }

  private waitForSilence(): void {
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => this.silent(), this.timing.intervalMs);
  }

  private silent(): void {
    this.timer = this.clock.setTimeout(() => {
      this.stop();
      this.hooks.dead();
    }, this.timing.timeoutMs);
    this.hooks.ping();
  }
}
