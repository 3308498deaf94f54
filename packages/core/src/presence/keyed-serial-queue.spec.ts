import { describe, expect, it } from 'vitest';
import { KeyedSerialQueue } from './keyed-serial-queue.js';

/** A task the test finishes by hand, recording when it started. */
function task(log: string[], name: string) {
  let finish!: () => void;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
      return name;
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('KeyedSerialQueue', () => {
  it("runs one key's tasks in order, one at a time, and other keys' tasks alongside", async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    const [a1, a2, b1] = [task(log, 'a1'), task(log, 'a2'), task(log, 'b1')];
    const results = [queue.run('a', a1.run), queue.run('a', a2.run), queue.run('b', b1.run)];
    await settle();
    expect(log).toEqual(['start a1', 'start b1']);

    a1.finish();
    await settle();
    expect(log).toEqual(['start a1', 'start b1', 'end a1', 'start a2']);
    a2.finish();
    b1.finish();
    expect(await Promise.all(results)).toEqual(['a1', 'a2', 'b1']);
    expect(queue.size).toBe(0); // drained keys cost nothing
  });

  it('runs the next task of a key after one that failed', async () => {
    const queue = new KeyedSerialQueue();
    const failed = queue.run('a', () => Promise.reject(new Error('boom')));
    await expect(failed).rejects.toThrow('boom');
    expect(await queue.run('a', async () => 'next')).toBe('next');
  });

  it('runAlone waits for every task queued before it, and every task queued after it waits for it', async () => {
    const queue = new KeyedSerialQueue();
    const log: string[] = [];
    const [before, alone, after] = [task(log, 'before'), task(log, 'alone'), task(log, 'after')];
    const done = [queue.run('a', before.run), queue.runAlone(alone.run), queue.run('b', after.run)];
    await settle();
    expect(log).toEqual(['start before']);

    before.finish();
    await settle();
    expect(log).toEqual(['start before', 'end before', 'start alone']);
    alone.finish();
    await settle();
    expect(log.slice(-2)).toEqual(['end alone', 'start after']);
    after.finish();
    await Promise.all(done);
  });
});
