/**
 * Runs async tasks one after another per key, in the order they were queued, while tasks of
 * different keys run concurrently; `runAlone` runs a task with no other task running.
 *
 * The Redis presence store queues each write of one connection in one room under one key, so
 * Redis applies them in the order this instance made them whatever each one's latency, and runs
 * a re-sync alone, so no write lands in the middle of it.
 */
export class KeyedSerialQueue {
  // The last task queued per key (settled or not); a key is dropped once its queue drains.
  private readonly tails = new Map<string, Promise<void>>();
  // Settles once the last `runAlone` task (if any) has: every task queued after it waits for it.
  private barrier: Promise<void> = Promise.resolve();

  /** Runs `task` once every task queued before it under `key`, and any earlier `runAlone` task, has settled. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key);
    return this.track(key, (before ? Promise.all([before, this.barrier]) : this.barrier).then(task));
  }

  /** Runs `task` once every task queued before it has settled; tasks queued after it wait for it. */
  runAlone<T>(task: () => Promise<T>): Promise<T> {
    const result = Promise.all([...this.tails.values(), this.barrier]).then(task);
    this.barrier = settled(result);
    return result;
  }

  /** How many keys have a task queued or running. */
  get size(): number {
    return this.tails.size;
  }

  private track<T>(key: string, result: Promise<T>): Promise<T> {
    const tail = settled(result);
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}

function settled(promise: Promise<unknown>): Promise<void> {
  return promise.then(
    () => undefined,
    () => undefined,
  );
}
