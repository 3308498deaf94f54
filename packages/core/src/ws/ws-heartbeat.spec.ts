import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../test/support/manual-clock.js';
import { WsHeartbeat, type PingedClient } from './ws-heartbeat.js';

/** A client as the heartbeat sees it, answering (or not) by the test's hand. */
class FakeClient implements PingedClient {
  readyState = 1;
  pings = 0;
  terminated = false;

  ping(): void {
    this.pings += 1;
  }

  terminate(): void {
    this.terminated = true;
    this.readyState = 3;
  }
}

function heartbeat(times = { pingInterval: 100, pingTimeout: 50 }) {
  const clock = new ManualClock();
  const clients = new Set<FakeClient>();
  const beat = new WsHeartbeat(() => clients, times, clock);
  beat.start();
  return { clock, clients, beat };
}

describe('WsHeartbeat', () => {
  it('pings every client each pingInterval and keeps those that answer', () => {
    const { clock, clients, beat } = heartbeat();
    const client = new FakeClient();
    clients.add(client);

    for (let round = 1; round <= 3; round++) {
      clock.advance(100);
      expect(client.pings).toBe(round);
      beat.settle(client);
    }
    // Past the last round's deadline.
    clock.advance(50);
    expect(client.terminated).toBe(false);
  });

  it('terminates a client pingTimeout after a ping it left unanswered, not before', () => {
    const { clock, clients, beat } = heartbeat();
    const silent = new FakeClient();
    const answering = new FakeClient();
    clients.add(silent).add(answering);

    clock.advance(100);
    beat.settle(answering);
    clock.advance(49);
    expect(silent.terminated).toBe(false);
    clock.advance(1);
    expect(silent.terminated).toBe(true);
    expect(answering.terminated).toBe(false);
  });

  it('keeps the first deadline when pingTimeout outlasts pingInterval, without pinging a closed client', () => {
    const { clock, clients } = heartbeat({ pingInterval: 100, pingTimeout: 250 });
    const silent = new FakeClient();
    const closed = new FakeClient();
    closed.readyState = 2;
    clients.add(silent).add(closed);

    clock.advance(100 + 249);
    expect(silent.terminated).toBe(false);
    expect(silent.pings).toBe(1);
    clock.advance(1);
    expect(silent.terminated).toBe(true);
    expect(closed.pings).toBe(0);
  });

  it('forgets a client that closed before its deadline', () => {
    const { clock, clients, beat } = heartbeat();
    const leaving = new FakeClient();
    clients.add(leaving);

    clock.advance(100);
    clients.delete(leaving);
    beat.settle(leaving);
    clock.advance(50);
    expect(leaving.terminated).toBe(false);
  });

  it('schedules a deadline only for a round that pinged, and leaves no timer after stop()', () => {
    const { clock, clients, beat } = heartbeat();
    clock.advance(100);
    expect(clock.pending).toBe(1);
    clients.add(new FakeClient());
    clock.advance(100);
    expect(clock.pending).toBe(2);

    beat.stop();
    expect(clock.pending).toBe(0);
  });
});
