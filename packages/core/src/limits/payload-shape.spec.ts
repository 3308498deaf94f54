import { describe, expect, it } from 'vitest';
import { checkPayloadShape } from './payload-shape.js';

const limits = { maxPayloadDepth: 3, maxPayloadNodes: 10 };

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = [value];
  return value;
}

describe('checkPayloadShape', () => {
  it('admits primitives, binary data and payloads within both limits', () => {
    expect(checkPayloadShape('text', limits)).toBeUndefined();
    expect(checkPayloadShape(null, limits)).toBeUndefined();
    expect(checkPayloadShape(Buffer.alloc(1_000_000), limits)).toBeUndefined();
    expect(checkPayloadShape({ a: { b: [1, 2] } }, limits)).toBeUndefined();
    expect(checkPayloadShape(nested(3), limits)).toBeUndefined();
  });

  it('refuses nesting one level past the limit as BAD_REQUEST too_deep', () => {
    const error = checkPayloadShape(nested(4), limits);
    expect(error?.code).toBe('BAD_REQUEST');
    expect(error?.details).toEqual({ reason: 'too_deep', maxDepth: 3 });
    expect(checkPayloadShape({ a: { b: { c: {} } } }, limits)?.code).toBe('BAD_REQUEST');
  });

  it('counts every value at any depth, refusing one over the limit as PAYLOAD_TOO_LARGE too_many_nodes', () => {
    // The root, four properties and five items below them: exactly ten.
    expect(checkPayloadShape({ a: [1, 2, 3], b: { c: 1, d: 2 }, e: 1, f: 1 }, limits)).toBeUndefined();
    const error = checkPayloadShape({ a: [1, 2, 3], b: { c: 1, d: 2 }, e: 1, f: 1, g: 1 }, limits);
    expect(error?.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error?.details).toEqual({ reason: 'too_many_nodes', maxNodes: 10 });
  });

  it('walks a 100,000-deep array without overflowing the stack', () => {
    expect(checkPayloadShape(nested(100_000), { maxPayloadDepth: 32, maxPayloadNodes: 10_000 })?.details).toEqual({
      reason: 'too_deep',
      maxDepth: 32,
    });
  });
});
