import { describe, expect, it } from 'vitest';
import { MemoryPresenceStore } from './memory-presence.store.js';
import type { PresenceStoreOperation } from './timed-presence.store.js';
import { TimedPresenceStore } from './timed-presence.store.js';

const entry = (connectionId: string) => ({ room: '/#lobby', userId: 'ada', meta: { connectionId, joinedAt: 1 } });

describe('TimedPresenceStore', () => {
  it('answers as the store it wraps, and records each call by operation, in seconds', async () => {
    const recorded: [PresenceStoreOperation, number][] = [];
    const store = new TimedPresenceStore(new MemoryPresenceStore(), (operation, seconds) => recorded.push([operation, seconds]));
    expect(await store.join(entry('c1'))).toBe(true);
    expect(await store.count('/#lobby')).toEqual({ users: 1, connections: 1 });
    expect((await store.userIn('/#lobby', 'ada'))?.metas).toHaveLength(1);
    expect((await store.page('/#lobby', undefined, 10)).users.map((user) => user.userId)).toEqual(['ada']);
    expect(await store.leave('/#lobby', 'ada', 'c1')).toBe(true);
    expect(recorded.map(([operation]) => operation)).toEqual(['join', 'count', 'user_in', 'page', 'leave']);
    for (const [, seconds] of recorded) expect(seconds).toBeGreaterThanOrEqual(0);
    for (const [, seconds] of recorded) expect(seconds).toBeLessThan(1);
  });

  it('reaches the wrapped store in the caller\'s synchronous step (the Redis store queues its write there), and records a call that fails', async () => {
    const recorded: PresenceStoreOperation[] = [];
    const inner = new MemoryPresenceStore();
    const store = new TimedPresenceStore(inner, (operation) => recorded.push(operation));
    const joining = store.join(entry('c1'));
    // Not awaited yet: the entry is already there.
    expect(inner.entries()).toHaveLength(1);
    await joining;
    inner.list = () => Promise.reject(new Error('store down'));
    await expect(store.list('/#lobby')).rejects.toThrow('store down');
    expect(recorded).toEqual(['join', 'list']);
  });
});
