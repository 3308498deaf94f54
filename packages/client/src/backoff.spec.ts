import { describe, expect, it } from 'vitest';
import { backoffDelay, jittered } from './backoff.js';

describe('backoff', () => {
  it('spreads a delay over half to one and a half times itself', () => {
    expect(jittered(400, () => 0)).toBe(200);
    expect(jittered(400, () => 0.5)).toBe(400);
    expect(jittered(400, () => 1)).toBe(600);
  });

  it('doubles from the first delay and never goes past the longest, jitter included', () => {
    const steady = () => 0.5;
    expect([0, 1, 2, 3, 4, 50].map((attempt) => backoffDelay(attempt, 100, 1000, steady))).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(backoffDelay(10, 100, 1000, () => 1)).toBe(1000);
    expect(backoffDelay(10, 100, 1000, () => 0)).toBe(500);
    // Thousands of failed attempts: still a number, still the longest delay.
    expect(backoffDelay(5000, 100, 1000, steady)).toBe(1000);
  });
});
