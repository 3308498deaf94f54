import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { RealtimeError, notConnectedError } from './realtime-error.js';
import { ReplyQueue } from './reply-queue.js';

/** Timers that fire only when told to. */
class ManualClock implements Clock {
  private readonly timers = new Map<number, () => void>();
  private next = 0;

  setTimeout(callback: () => void, _ms: number): unknown {
    this.timers.set(++this.next, callback);
    return this.next;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  fireAll(): void {
    for (const [handle, callback] of [...this.timers]) {
      this.timers.delete(handle);
      callback();
    }
  }
}

const failure = (code: string, event: string) => ({ status: 'error', code, message: code, event, requestId: 'r1' });

describe('ReplyQueue', () => {
  it('gives each frame to the oldest request waiting for its name, first in first out', async () => {
    const queue = new ReplyQueue(new ManualClock());
    const first = queue.wait('echo', 'echoed', 1000);
    const other = queue.wait('whoami', 'whoami', 1000);
    const second = queue.wait('echo', 'echoed', 1000);
    expect(queue.settle('echoed', 1)).toBe(true);
    expect(queue.settle('whoami', 'me')).toBe(true);
    expect(queue.settle('echoed', 2)).toBe(true);
    expect(queue.settle('echoed', 3)).toBe(false);
    expect(await Promise.all([first.reply, other.reply, second.reply])).toEqual([1, 'me', 2]);
  });

  it('fails the oldest request of the event an exception names, and leaves the others', async () => {
    const queue = new ReplyQueue(new ManualClock());
    const echo = queue.wait('echo', 'echoed', 1000);
    const whoami = queue.wait('whoami', 'whoami', 1000);
    expect(queue.settle('exception', failure('BAD_REQUEST', 'echo'))).toBe(true);
    const error = await echo.reply.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RealtimeError);
    expect(error).toMatchObject({ code: 'BAD_REQUEST', event: 'echo', requestId: 'r1' });
    // About no waiting request, or not the error contract: not ours.
    expect(queue.settle('exception', failure('NOT_FOUND', 'nope'))).toBe(false);
    expect(queue.settle('exception', { event: 'whoami' })).toBe(false);
    queue.settle('whoami', 'me');
    expect(await whoami.reply).toBe('me');
  });

  it('times a request out, and a late answer then goes to no one', async () => {
    const clock = new ManualClock();
    const queue = new ReplyQueue(clock);
    const slow = queue.wait('slow', 'slow', 300);
    clock.fireAll();
    await expect(slow.reply).rejects.toMatchObject({ code: 'TIMEOUT', event: 'slow', message: 'No answer to "slow" within 300 ms' });
    expect(slow.settled).toBe(true);
    expect(queue.settle('slow', 'late')).toBe(false);
  });

  it('stops the timer of an answered request', async () => {
    const clock = new ManualClock();
    const queue = new ReplyQueue(clock);
    const request = queue.wait('whoami', 'whoami', 300);
    expect(clock.pending).toBe(1);
    queue.settle('whoami', 'me');
    await request.reply;
    expect(clock.pending).toBe(0);
  });

  it('fails what was sent on a lost connection, and keeps what was not sent yet', async () => {
    const queue = new ReplyQueue(new ManualClock());
    const connection = {};
    const sent = queue.wait('echo', 'echoed', 1000);
    sent.sentOn = connection;
    const unsent = queue.wait('echo', 'echoed', 1000);
    queue.failSentOn(connection, notConnectedError);
    await expect(sent.reply).rejects.toMatchObject({ code: 'DISCONNECTED', event: 'echo' });
    expect(unsent.settled).toBe(false);
    queue.failAll(notConnectedError);
    await expect(unsent.reply).rejects.toMatchObject({ code: 'DISCONNECTED' });
  });
});
