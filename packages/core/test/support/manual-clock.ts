import type { PresenceClock } from '../../src/presence/presence-clock.js';

interface Timer {
  at: number;
  callback: () => void;
}

/**
 * A clock that moves only when the test says so: timers fire inside `advance()`, never on their
 * own, so a test steps heartbeats and instance deaths one at a time.
 */
export class ManualClock implements PresenceClock {
  private readonly timers = new Set<Timer>();
  private readonly onSchedule = new Set<() => void>();

  constructor(private time = 1_700_000_000_000) {}

  now(): number {
    return this.time;
  }

  schedule(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback };
    this.timers.add(timer);
    for (const notify of [...this.onSchedule]) notify();
    return () => this.timers.delete(timer);
  }

  /** How many timers are waiting. */
  get pending(): number {
    return this.timers.size;
  }

  /** Moves time forward by `ms`, firing every timer that falls due on the way, in time order. */
  advance(ms: number): void {
    const target = this.time + ms;
    for (;;) {
      const due = [...this.timers].filter((timer) => timer.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers.delete(due);
      this.time = due.at;
      due.callback();
    }
    this.time = target;
  }

  /** Resolves once a timer is waiting: a heartbeat loop schedules its next beat when the last one has settled. */
  whenScheduled(): Promise<void> {
    if (this.timers.size > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const notify = () => {
        this.onSchedule.delete(notify);
        resolve();
      };
      this.onSchedule.add(notify);
    });
  }
}
