import { SampleBuffer } from '../lib/stats.js';

/** What a generator measured between `mark()` and `collect()`. */
export interface LoadWindow {
  elapsedMs: number;
  /** Completed operations: round-trips, deliveries, handshakes, presence ops… */
  count: number;
  /** Operations that failed (refused, error acks, lost messages). */
  errors: number;
  /** Per-operation latencies, when the pattern measures them. */
  latenciesMs?: Float64Array;
  /** CPU the generator itself used in the window, in microseconds (a saturated generator caps throughput). */
  cpuUs: number;
  extra?: Record<string, number>;
}

/**
 * The generator side of a workload: sets up clients, runs load until paused, and counts what
 * completes inside the measured window. Methods are called by the orchestrator over IPC; one
 * setup serves several rounds (start → mark → collect → pause, again and again).
 */
export interface LoadPattern {
  setup(params: unknown): Promise<unknown>;
  /** Starts (or resumes) the load. */
  start(): void | Promise<void>;
  mark(): void;
  collect(): LoadWindow;
  /** Stops generating and waits for what is in flight; connections stay open for the next round. */
  pause(): Promise<void>;
  /** Pauses and closes every connection. */
  stop(): Promise<void>;
}

/** Counting shared by every pattern: only what completes between mark() and collect() counts. */
export class WindowCounter {
  count = 0;
  errors = 0;
  readonly latencies = new SampleBuffer();
  readonly extra: Record<string, number> = {};
  private recording = false;
  private startedAt = 0;
  private cpuAtStart = process.cpuUsage();

  mark(): void {
    this.count = 0;
    this.errors = 0;
    this.latencies.clear();
    for (const key of Object.keys(this.extra)) this.extra[key] = 0;
    this.recording = true;
    this.startedAt = performance.now();
    this.cpuAtStart = process.cpuUsage();
  }

  /** One operation completed; `latencyMs` when measured. */
  done(latencyMs?: number, n = 1): void {
    if (!this.recording) return;
    this.count += n;
    if (latencyMs !== undefined) this.latencies.push(latencyMs);
  }

  /** A latency sample without counting an operation. */
  sample(latencyMs: number): void {
    if (this.recording) this.latencies.push(latencyMs);
  }

  failed(n = 1): void {
    if (this.recording) this.errors += n;
  }

  add(key: string, n = 1): void {
    if (this.recording) this.extra[key] = (this.extra[key] ?? 0) + n;
  }

  collect(withLatencies = true): LoadWindow {
    this.recording = false;
    const cpu = process.cpuUsage(this.cpuAtStart);
    return {
      elapsedMs: performance.now() - this.startedAt,
      count: this.count,
      errors: this.errors,
      ...(withLatencies ? { latenciesMs: this.latencies.toArray() } : {}),
      cpuUs: cpu.user + cpu.system,
      extra: { ...this.extra },
    };
  }
}

/** A pattern that counts with a `WindowCounter`: the measured window is the counter's. */
export abstract class CountingLoad implements LoadPattern {
  protected readonly counter = new WindowCounter();
  /** Whether the window reports per-operation latencies. */
  protected readonly measuresLatency: boolean = true;

  abstract setup(params: unknown): Promise<unknown>;
  abstract start(): void | Promise<void>;
  abstract pause(): Promise<void>;
  abstract stop(): Promise<void>;

  mark(): void {
    this.counter.mark();
  }

  collect(): LoadWindow {
    return this.counter.collect(this.measuresLatency);
  }
}

/** Resolves when `isDone()` holds, checking every 10 ms, or after `timeoutMs` anyway. */
export async function drain(isDone: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isDone() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
}
