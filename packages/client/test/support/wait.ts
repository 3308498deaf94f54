import type { ConnectionStatus, RealtimeClient, RealtimeContract } from '../../src/index.js';

/** Resolves when the client's status becomes `status` (at once if it is), or rejects after `timeoutMs`. */
export function statusOf<C extends RealtimeContract>(client: RealtimeClient<C>, status: ConnectionStatus, timeoutMs = 5000): Promise<void> {
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
