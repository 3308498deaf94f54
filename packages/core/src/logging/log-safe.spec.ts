import { describe, expect, it } from 'vitest';
import { logSafe } from './log-safe.js';
import { LogThrottle } from './log-throttle.js';

describe('logSafe', () => {
  it('replaces characters that could forge or hide log lines', () => {
    expect(logSafe('a\nb\r\u001b[31mc\u2028d\u202ee')).toBe('a?b??[31mc?d?e');
  });

  it('cuts long values and says how much was cut', () => {
    expect(logSafe('x'.repeat(500), 10)).toBe(`${'x'.repeat(10)}…(490 more)`);
  });

  it('turns any value into text, even one whose toString throws', () => {
    expect(logSafe(42)).toBe('42');
    expect(logSafe({ toString: () => { throw new Error('no'); } })).toBe('[object Object]');
  });
});

describe('LogThrottle', () => {
  it('logs a kind once per interval, then says how many were held back', () => {
    let now = 0;
    const throttle = new LogThrottle(1000, () => now);
    const lines: string[] = [];
    const attempt = (kind: string) => throttle.run(kind, (repeats) => lines.push(`${kind}${repeats}`));
    attempt('refused');
    for (let i = 0; i < 499; i++) attempt('refused');
    attempt('other');
    expect(lines).toEqual(['refused', 'other']);
    now = 1000;
    attempt('refused');
    expect(lines).toEqual(['refused', 'other', 'refused (499 more like it were not logged in the last 1 s)']);
    now = 5000;
    attempt('refused');
    expect(lines[3]).toBe('refused');
  });
});
