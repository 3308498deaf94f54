import { describe, expect, it } from 'vitest';
import { LostCommandsLog } from './lost-commands-log.js';
import { RedisAdapterState } from './redis-adapter-state.js';
import type { AnyRedisClient } from './redis-client.js';

/** A node-redis client as far as readiness goes. */
const client = (isReady: boolean) => ({ isReady, isOpen: true }) as unknown as AnyRedisClient & { isReady: boolean };

describe('RedisAdapterState', () => {
  it('tells its listeners every lost command, while the log writes one line per outage', () => {
    const state = new RedisAdapterState();
    const lines: string[] = [];
    const report = state.reporting(new LostCommandsLog('(your client)', (line) => lines.push(line)));
    const lost: string[] = [];
    state.listen({ reconnected: () => undefined, commandLost: (command) => lost.push(command) });
    for (let i = 0; i < 3; i++) report.failed('publish', new Error('down'));
    report.failed('sSubscribe', new Error('down'));
    expect(lost).toEqual(['publish', 'publish', 'publish', 'sSubscribe']);
    expect(lines).toHaveLength(1);
    report.succeeded();
    report.failed('publish', new Error('down again'));
    expect(lines).toHaveLength(2);
  });

  it('is up while every connection it was given is ready, and reports nothing once closed', () => {
    const state = new RedisAdapterState();
    const publisher = client(true);
    const subscriber = client(true);
    state.add(publisher);
    state.add(subscriber);
    expect(state.up).toBe(true);
    subscriber.isReady = false;
    expect(state.up).toBe(false);
    state.close();
    expect(state.up).toBeUndefined();
  });

  it('keeps going when a listener throws (it runs where a throw would crash the process), and tells no one once closed or unsubscribed', () => {
    const state = new RedisAdapterState();
    const report = state.reporting(new LostCommandsLog('(your client)', () => undefined));
    const told: string[] = [];
    state.listen({
      reconnected: () => {
        throw new Error('listener bug');
      },
      commandLost: () => {
        throw new Error('listener bug');
      },
    });
    const stop = state.listen({ reconnected: () => told.push('reconnected'), commandLost: (command) => told.push(command) });
    expect(() => state.reconnected()).not.toThrow();
    expect(() => report.failed('publish', new Error('down'))).not.toThrow();
    expect(told).toEqual(['reconnected', 'publish']);
    stop();
    state.reconnected();
    expect(told).toHaveLength(2);
    state.listen({ reconnected: () => told.push('late'), commandLost: () => told.push('late') });
    state.close();
    state.reconnected();
    report.failed('publish', new Error('down'));
    expect(told).toHaveLength(2);
  });
});
