import { describe, expect, it } from 'vitest';
import type { Clock } from './clock.js';
import { Heartbeat, heartbeatTiming, type HeartbeatTiming } from './heartbeat.js';

/** Virtual time: timers fire when `advance()` moves the clock past them, in order. */
class VirtualClock implements Clock {
  now = 0;
  private readonly timers = new Map<number, { at: number; callback: () => void }>();
  private next = 0;

  setTimeout(callback: () => void, ms: number): unknown {
    this.timers.set(++this.next, { at: this.now + ms, callback });
    return this.next;
  }

  clearTimeout(handle: unknown): void {
    this.timers.delete(handle as number);
  }

  get pending(): number {
    return this.timers.size;
  }

  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const due = [...this.timers].filter(([, timer]) => timer.at <= end).sort(([, a], [, b]) => a.at - b.at)[0];
      if (!due) break;
      this.timers.delete(due[0]);
      this.now = due[1].at;
      due[1].callback();
    }
    this.now = end;
  }
}

const TIMING: HeartbeatTiming = { intervalMs: 1000, timeoutMs: 400 };

/** A heartbeat on virtual time that records when it pinged and when it gave the connection up. */
function watched(timing = TIMING) {
  const clock = new VirtualClock();
  const pings: number[] = [];
  const deaths: number[] = [];
  const heartbeat = new Heartbeat(clock, timing, { ping: () => pings.push(clock.now), dead: () => deaths.push(clock.now) });
  return { clock, heartbeat, pings, deaths };
}

describe('Heartbeat', () => {
  it('pings after intervalMs of silence, and gives up timeoutMs later when nothing answers', () => {
    const { clock, heartbeat, pings, deaths } = watched();
    heartbeat.start();
    clock.advance(999);
    expect(pings).toEqual([]);
    clock.advance(1);
    expect(pings).toEqual([1000]);
    clock.advance(399);
    expect(deaths).toEqual([]);
    clock.advance(1);
    expect(deaths).toEqual([1400]);
    // Given up once: nothing more scheduled, even if a late frame comes in.
    heartbeat.heard();
    clock.advance(10_000);
    expect(pings).toEqual([1000]);
    expect(deaths).toEqual([1400]);
    expect(clock.pending).toBe(0);
  });

  it('sends no ping while frames keep arriving more often than intervalMs', () => {
    const { clock, heartbeat, pings, deaths } = watched();
    heartbeat.start();
    for (let i = 0; i < 50; i++) {
      clock.advance(900);
      heartbeat.heard();
    }
    expect(pings).toEqual([]);
    expect(deaths).toEqual([]);
    // One timer at a time, however many frames came.
    expect(clock.pending).toBe(1);
  });

  it('takes any frame after a ping as the answer, and waits for a new silence before the next ping', () => {
    const { clock, heartbeat, pings, deaths } = watched();
    heartbeat.start();
    clock.advance(1000);
    clock.advance(300);
    heartbeat.heard();
    clock.advance(999);
    expect(pings).toEqual([1000]);
    clock.advance(1);
    expect(pings).toEqual([1000, 2300]);
    clock.advance(400);
    expect(deaths).toEqual([2700]);
  });

  it('keeps pinging an idle connection that answers, once per silence', () => {
    const { clock, heartbeat, pings, deaths } = watched();
    heartbeat.start();
    for (let round = 0; round < 3; round++) {
      clock.advance(1000);
      clock.advance(50);
      heartbeat.heard();
    }
    expect(pings).toEqual([1000, 2050, 3100]);
    expect(deaths).toEqual([]);
  });

  it('stops watching on stop(), whether waiting for silence or for an answer', () => {
    const idle = watched();
    idle.heartbeat.start();
    idle.heartbeat.stop();
    idle.heartbeat.heard();
    idle.clock.advance(10_000);
    expect([idle.pings, idle.deaths, idle.clock.pending]).toEqual([[], [], 0]);

    const pinged = watched();
    pinged.heartbeat.start();
    pinged.clock.advance(1000);
    pinged.heartbeat.stop();
    pinged.clock.advance(10_000);
    expect([pinged.pings, pinged.deaths, pinged.clock.pending]).toEqual([[1000], [], 0]);
  });

  it('starts afresh for the next connection after giving one up', () => {
    const { clock, heartbeat, pings, deaths } = watched();
    heartbeat.start();
    clock.advance(1400);
    heartbeat.start();
    clock.advance(1000);
    expect(pings).toEqual([1000, 2400]);
    clock.advance(400);
    expect(deaths).toEqual([1400, 2800]);
  });
});

describe('heartbeatTiming', () => {
  it('defaults to a ping after 25 s of silence, given up 15 s later', () => {
    expect(heartbeatTiming({})).toEqual({ intervalMs: 25_000, timeoutMs: 15_000 });
    expect(heartbeatTiming({ heartbeatIntervalMs: 5000, heartbeatTimeoutMs: 2000 })).toEqual({ intervalMs: 5000, timeoutMs: 2000 });
  });

  it('is off with an interval of 0 or false', () => {
    expect(heartbeatTiming({ heartbeatIntervalMs: 0 })).toBeUndefined();
    expect(heartbeatTiming({ heartbeatIntervalMs: false })).toBeUndefined();
  });

  it.each([
    ['heartbeatIntervalMs', { heartbeatIntervalMs: -1 }],
    ['heartbeatIntervalMs', { heartbeatIntervalMs: Number.NaN }],
    ['heartbeatIntervalMs', { heartbeatIntervalMs: Number.POSITIVE_INFINITY }],
    ['heartbeatIntervalMs', { heartbeatIntervalMs: '25000' }],
    ['heartbeatIntervalMs', { heartbeatIntervalMs: true }],
    ['heartbeatIntervalMs', { heartbeatIntervalMs: 2 ** 31 }],
    ['heartbeatTimeoutMs', { heartbeatTimeoutMs: 0 }],
    ['heartbeatTimeoutMs', { heartbeatTimeoutMs: -5 }],
    ['heartbeatTimeoutMs', { heartbeatTimeoutMs: '10s' }],
    ['heartbeatTimeoutMs', { heartbeatIntervalMs: false, heartbeatTimeoutMs: Number.NaN }],
  ])('refuses a %s that is no delay: %j', (name, options) => {
    expect(() => heartbeatTiming(options as never)).toThrow(new RegExp(`^RealtimeWsClient: ${name} must be a number of milliseconds`));
  });
});
