import { describe, expect, it } from 'vitest';
import { spanContextOf, traceparentOf } from './trace-parent.js';

describe('traceparent', () => {
  const context = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7', traceFlags: 1 };

  it('writes a span context as W3C Trace Context and reads it back as a remote parent', () => {
    const traceparent = traceparentOf(context);
    expect(traceparent).toBe('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01');
    expect(spanContextOf(traceparent)).toEqual({ ...context, isRemote: true });
  });

  it('reads nothing from what is not a traceparent (a broadcast flag anyone could set)', () => {
    for (const value of [undefined, 42, '', '01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01', '00-xyz-00f067aa0ba902b7-01', `00-${'a'.repeat(32)}-${'b'.repeat(16)}-01-extra`]) {
      expect(spanContextOf(value)).toBeUndefined();
    }
  });
});
