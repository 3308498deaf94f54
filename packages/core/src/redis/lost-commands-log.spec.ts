import { describe, expect, it } from 'vitest';
import { LostCommandsLog } from './lost-commands-log.js';

describe('LostCommandsLog', () => {
  it('writes one line per outage: the first failure, then nothing until a command succeeds', () => {
    const lines: string[] = [];
    const log = new LostCommandsLog('redis://127.0.0.1:6379', (line) => lines.push(line));
    for (let i = 0; i < 100; i++) log.failed('publish', new Error('The client is closed'));
    expect(lines).toEqual([
      "Redis redis://127.0.0.1:6379: the Socket.IO adapter's publish failed (Error: The client is closed); " +
        'events for other instances are lost until Redis answers again. Logged once per outage.',
    ]);
    log.succeeded();
    log.succeeded();
    log.failed('sSubscribe', 'not an Error');
    log.failed('publish', new Error('again'));
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain("the Socket.IO adapter's sSubscribe failed (not an Error)");
  });

  it('makes the error safe for one log line: Redis replies can echo channel names, which carry room names clients chose', () => {
    const lines: string[] = [];
    const log = new LostCommandsLog('(your client)', (line) => lines.push(line));
    log.failed('publish', new Error(`ERR unknown channel 'room\n[Nest] 1  - LOG forged line ${'x'.repeat(500)}'`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).toContain("'room?[Nest] 1  - LOG forged line");
    expect(lines[0]!.length).toBeLessThan(450);
  });

  it('never throws, even when the logger or the error does: it runs where a throw would be an unhandled rejection', () => {
    const log = new LostCommandsLog('(your client)', () => {
      throw new Error('logger down');
    });
    expect(() => log.failed('publish', new Error('x'))).not.toThrow();
    const hostile = new Error('x');
    Object.defineProperty(hostile, 'message', {
      get() {
        throw new Error('getter');
      },
    });
    expect(() => new LostCommandsLog('(your client)', () => undefined).failed('publish', hostile)).not.toThrow();
  });
});
