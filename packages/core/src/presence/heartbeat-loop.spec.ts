import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/manual-clock.js';
import { HeartbeatLoop } from './heartbeat-loop.js';

/** A beat the test finishes by hand, as a heartbeat waiting on a slow Redis. */
function controlledBeats() {
  const finishers: ((error?: Error) => void)[] = [];
  let running = 0;
  let maxRunning = 0;
  const beat = () =>
    new Promise<void>((resolve, reject) => {
      running++;
      maxRunning = Math.max(maxRunning, running);
      finishers.push((error) => {
        running--;
        if (error) reject(error);
        else resolve();
      });
    });
  return {
    beat,
    get started() {
      return finishers.length;
    },
    get maxRunning() {
      return maxRunning;
    },
    finish(error?: Error) {
      finishers[finishers.length - 1]!(error);
    },
  };
}

describe('HeartbeatLoop', () => {
  it('beats at once, and never starts a beat while the last one is still running', async () => {
    const clock = new ManualClock();
    const beats = controlledBeats();
    new HeartbeatLoop(beats.beat, 100, clock).start();
    expect(beats.started).toBe(1);

    // Ten intervals pass while the first beat waits (a slow Redis): no second beat piles on.
    clock.advance(1000);
    expect(beats.started).toBe(1);
    expect(clock.pending).toBe(0);

    beats.finish();
    await clock.whenScheduled();
    clock.advance(99);
    expect(beats.started).toBe(1);
    clock.advance(1);
    expect(beats.started).toBe(2);
    expect(beats.maxRunning).toBe(1);
  });

  it('keeps beating after a beat fails', async () => {
    const clock = new ManualClock();
    const beats = controlledBeats();
    new HeartbeatLoop(beats.beat, 100, clock).start();
    beats.finish(new Error('Redis went away'));
    await clock.whenScheduled();
    clock.advance(100);
    expect(beats.started).toBe(2);
  });

  it('starts no beat after stop(), which resolves once the beat in flight has settled', async () => {
    const clock = new ManualClock();
    const beats = controlledBeats();
    const loop = new HeartbeatLoop(beats.beat, 100, clock);
    loop.start();
    let stopped = false;
    const stopping = loop.stop().then(() => (stopped = true));
    await Promise.resolve();
    expect(stopped).toBe(false);

    beats.finish();
    await stopping;
    expect(clock.pending).toBe(0);
    clock.advance(1000);
    expect(beats.started).toBe(1);
  });
});
