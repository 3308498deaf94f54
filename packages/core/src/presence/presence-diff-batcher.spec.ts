import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/manual-clock.js';
import { netPresenceChange, PresenceDiffBatcher, type PresenceChange } from './presence-diff-batcher.js';

const ada = { userId: 'ada', metas: [{ connectionId: 'c1', joinedAt: 1 }] };

function batcher() {
  const clock = new ManualClock();
  const flushed: { namespace: string; room: string; changes: PresenceChange[] }[] = [];
  const batches = new PresenceDiffBatcher(clock, async (namespace, room, changes) => void flushed.push({ namespace, room, changes }));
  return { clock, flushed, batches };
}

describe('PresenceDiffBatcher', () => {
  it('collects a room\'s changes for one window from the first, then flushes them once, per room', async () => {
    const { clock, flushed, batches } = batcher();
    batches.record('/#a', '/', 'a', { userId: 'ada', before: false, after: ada }, 50);
    clock.advance(30);
    batches.record('/#a', '/', 'a', { userId: 'bob', before: false, after: 'read' }, 50);
    batches.record('/#b', '/', 'b', { userId: 'cy', before: true, after: null }, 50);
    expect(clock.pending).toBe(2);
    clock.advance(19);
    await Promise.resolve();
    expect(flushed).toEqual([]);
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed.map(({ room, changes }) => [room, changes.map((change) => change.userId)])).toEqual([['a', ['ada', 'bob']]]);
    clock.advance(30);
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed.map(({ room }) => room)).toEqual(['a', 'b']);
    expect(clock.pending).toBe(0);
  });

  it('gives each window the length its first change asked for, so rooms of both modes keep their own pace', async () => {
    const { clock, flushed, batches } = batcher();
    batches.record('/#small', '/', 'small', { userId: 'ada', before: false, after: ada }, 50);
    batches.record('/#big', '/', 'big', { userId: 'bob', before: false, after: ada }, 1000);
    // A later change joins the open window, whatever length it would have asked for.
    batches.record('/#big', '/', 'big', { userId: 'cy', before: false, after: ada }, 50);
    clock.advance(50);
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed.map(({ room }) => room)).toEqual(['small']);
    clock.advance(950);
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed.map(({ room, changes }) => [room, changes.length])).toEqual([
      ['small', 1],
      ['big', 2],
    ]);
  });

  it('nets each user\'s changes: presence before the first against after the last', async () => {
    const { clock, flushed, batches } = batcher();
    const record = (change: PresenceChange) => batches.record('/#r', '/', 'r', change, 50);
    record({ userId: 'came-and-went', before: false, after: ada });
    record({ userId: 'came-and-went', before: true, after: null });
    record({ userId: 'went-and-came', before: true, after: null });
    record({ userId: 'went-and-came', before: false, after: ada });
    record({ userId: 'two-tabs', before: false, after: ada });
    record({ userId: 'two-tabs', before: true, after: 'read' });
    clock.advance(50);
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed[0]!.changes).toEqual([
      { userId: 'came-and-went', before: false, after: null },
      { userId: 'went-and-came', before: true, after: ada },
      { userId: 'two-tabs', before: false, after: 'read' },
    ]);
    expect(flushed[0]!.changes.map(({ before, after }) => netPresenceChange(before, after === 'read' ? ada : (after ?? undefined)))).toEqual([
      undefined,
      'updated',
      'joined',
    ]);
    expect(netPresenceChange(true, undefined)).toBe('left');
  });

  it('flushes every open window at stop() without waiting for its timer, and each later change at once', async () => {
    const { clock, flushed, batches } = batcher();
    batches.record('/#r', '/', 'r', { userId: 'ada', before: true, after: null }, 10_000);
    await batches.stop();
    expect(flushed).toHaveLength(1);
    batches.record('/#r', '/', 'r', { userId: 'bob', before: true, after: null }, 50);
    expect(clock.pending).toBe(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(flushed.map(({ changes }) => changes.map((change) => change.userId))).toEqual([['ada'], ['bob']]);
  });

  it('flushes one room\'s windows in order, a slow one before the next', async () => {
    const clock = new ManualClock();
    const order: string[] = [];
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    const batches = new PresenceDiffBatcher(clock, async (_namespace, _room, changes) => {
      if (changes[0]!.userId === 'first') await slow;
      order.push(changes[0]!.userId);
    });
    batches.record('/#r', '/', 'r', { userId: 'first', before: false, after: ada }, 50);
    clock.advance(50);
    batches.record('/#r', '/', 'r', { userId: 'second', before: false, after: ada }, 50);
    clock.advance(50);
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual([]);
    release();
    await batches.stop();
    await new Promise((resolve) => setImmediate(resolve));
    expect(order).toEqual(['first', 'second']);
  });
});
