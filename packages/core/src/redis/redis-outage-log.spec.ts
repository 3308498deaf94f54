import { describe, expect, it } from 'vitest';
import { RedisOutageLog } from './redis-outage-log.js';

function outageLog() {
  const lines: string[] = [];
  const log = new RedisOutageLog(
    { whileDown: 'counting here until it is back.', back: 'counting everywhere again.' },
    { warn: (line) => void lines.push(`warn ${line}`), log: (line) => void lines.push(`log ${line}`) },
  );
  return { log, lines };
}

describe('RedisOutageLog', () => {
  it('warns once per outage, however many calls fail in it, and logs once when Redis answers again', () => {
    const { log, lines } = outageLog();
    expect(log.answered()).toBe(false);
    expect(log.isDown).toBe(false);
    expect(log.failed(new Error('connect ECONNREFUSED'))).toBe(true);
    expect(log.failed(new Error('connect ECONNREFUSED'))).toBe(false);
    expect(log.isDown).toBe(true);
    expect(log.answered()).toBe(true);
    expect(log.answered()).toBe(false);
    expect(log.failed(new Error('not connected'))).toBe(true);
    expect(lines).toEqual([
      'warn Redis unreachable (connect ECONNREFUSED): counting here until it is back.',
      'log Redis is back: counting everywhere again.',
      'warn Redis unreachable (not connected): counting here until it is back.',
    ]);
  });

  it('never writes an error message raw: control characters are replaced and the reason is cut', () => {
    const { log, lines } = outageLog();
    log.failed(new Error(`ERR bad key user:\nFAKE LINE\u001b[31m${'x'.repeat(300)}`));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/[\n\u001b]/);
    expect(lines[0]).toContain('user:?FAKE LINE?[31m');
    expect(lines[0]).toContain('more)): counting here until it is back.');
  });

  it('takes a rejection that is not an Error', () => {
    const { log, lines } = outageLog();
    log.failed('timeout');
    expect(lines).toEqual(['warn Redis unreachable (timeout): counting here until it is back.']);
  });
});
