import { describe, expect, it } from 'vitest';
import { TokenBucket } from './token-bucket.js';

describe('TokenBucket', () => {
  it('allows a burst of `points`, then refuses with the wait until the next token', () => {
    const bucket = new TokenBucket({ points: 3, durationMs: 1000 }, 0);
    expect([bucket.take(0), bucket.take(0), bucket.take(0)]).toEqual([0, 0, 0]);
    expect(bucket.take(0)).toBe(334);
    expect(bucket.take(100)).toBe(234);
  });

  it('refills continuously and never above `points`', () => {
    const bucket = new TokenBucket({ points: 2, durationMs: 1000 }, 0);
    bucket.take(0);
    bucket.take(0);
    expect(bucket.take(500)).toBe(0);
    expect(bucket.take(500)).toBe(500);
    // A long pause refills to the cap only.
    expect([bucket.take(60_000), bucket.take(60_000), bucket.take(60_000)]).toEqual([0, 0, 500]);
  });
});
