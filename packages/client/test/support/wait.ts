import type { ConnectionStatus, ReadableStore } from '../../src/index.js';

/** Resolves when the client's status becomes `status` (at once if it is), or rejects after `timeoutMs`. */
export function statusOf(client: { status: ReadableStore<ConnectionStatus> }, status: ConnectionStatus, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    let stop: () => void = () => undefined;
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`status stayed ${client.status.getSnapshot()}, never ${status}`));
    }, timeoutMs);
    stop = client.status.subscribe((value) => {
      if (value !== status) return;
      clearTimeout(timer);
      queueMicrotask(() => stop());
      resolve();
    });
  });
}

/** Every value a store-like source reports, in order. */
export function record<T>(subscribe: (listener: (value: T) => void) => () => void): T[] {
  const values: T[] = [];
  subscribe((value) => values.push(value));
  return values;
}

/** Resolves once `check()` is true, checked whenever `subscribe` reports, or rejects after `timeoutMs`. */
export function when<T>(subscribe: (listener: (value: T) => void) => () => void, check: (value: T) => boolean, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    let stop: () => void = () => undefined;
    const timer = setTimeout(() => {
      stop();
      reject(new Error('the condition never held'));
    }, timeoutMs);
    stop = subscribe((value) => {
      if (!check(value)) return;
      clearTimeout(timer);
      queueMicrotask(() => stop());
      resolve(value);
    });
  });
}

/** Counts calls (of a token provider, a constructor) and lets a test await a count. */
export class Counter {
  private value = 0;
  private readonly listeners = new Set<(value: number) => void>();

  get count(): number {
    return this.value;
  }

  /** Counts one call; returns the count before it (0 for the first). */
  tick(): number {
    this.value += 1;
    for (const listener of [...this.listeners]) listener(this.value);
    return this.value - 1;
  }

  /** Resolves once the count reaches `count`. */
  reached(count: number, timeoutMs = 5000): Promise<number> {
    return when<number>((listener) => {
      this.listeners.add(listener);
      listener(this.value);
      return () => void this.listeners.delete(listener);
    }, (value) => value >= count, timeoutMs);
  }
}
