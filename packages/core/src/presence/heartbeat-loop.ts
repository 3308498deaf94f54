import type { PresenceClock } from './presence-clock.js';

/**
 * Runs an async `beat` now and then `intervalMs` after each one settles, so two beats never
 * overlap: a beat stuck on a slow Redis delays the next one instead of piling more onto it (with
 * an interval timer, each tick would start another heartbeat, re-sync and reap on top of the one
 * still waiting).
 */
export class HeartbeatLoop {
  private cancelNext?: () => void;
  private running?: Promise<void>;
  private stopped = false;

  constructor(
    private readonly beat: () => Promise<void>,
    private readonly intervalMs: number,
    private readonly clock: PresenceClock,
  ) {}

  /** Beats at once, then keeps beating until `stop()`. */
  start(): void {
    this.stopped = false;
    this.run();
  }

  /** No beat starts after this; resolves once the one in flight (if any) has settled. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.cancelNext?.();
    this.cancelNext = undefined;
    await this.running;
  }

  private run(): void {
    this.cancelNext = undefined;
    if (this.stopped) return;
    // A throwing beat must not end the loop: the next one may find Redis back.
    this.running = new Promise<void>((resolve) => resolve(this.beat()))
      .catch(() => undefined)
      .finally(() => {
        this.running = undefined;
        if (!this.stopped) this.cancelNext = this.clock.schedule(() => this.run(), this.intervalMs);
      });
  }
}
