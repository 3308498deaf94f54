import type { Clock } from '../../src/index.js';

/**
 * The platform's timers, recorded: what a client schedules (and for how long) is asserted
 * instead of slept on, and `pending` says whether anything is still to happen.
 */
export class RecordingClock implements Clock {
  /** Every delay asked for, in order. */
  readonly delays: number[] = [];
  private readonly live = new Set<ReturnType<typeof setTimeout>>();

  /** How many timers are scheduled and have neither fired nor been cleared. */
  get pending(): number {
    return this.live.size;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    this.delays.push(ms);
    const handle = setTimeout(() => {
      this.live.delete(handle);
      callback();
    }, ms);
    this.live.add(handle);
    return handle;
  }

  clearTimeout(handle: unknown): void {
    clearTimeout(handle as ReturnType<typeof setTimeout>);
    this.live.delete(handle as ReturnType<typeof setTimeout>);
  }
}
