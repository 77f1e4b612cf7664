import { describe, expect, it } from 'vitest';
import { Backoff } from './backoff.js';

describe('retry backoff', () => {
  it('doubles from the minimum up to the maximum, drawing each delay from the upper half', () => {
    const highest = new Backoff({ minMs: 1000, maxMs: 300_000, random: () => 0.999999 });
    const lowest = new Backoff({ minMs: 1000, maxMs: 300_000, random: () => 0 });
    const high = Array.from({ length: 12 }, () => highest.next());
    const low = Array.from({ length: 12 }, () => lowest.next());
    expect(high.slice(0, 4)).toEqual([1000, 2000, 4000, 8000]);
    expect(low.slice(0, 4)).toEqual([500, 1000, 2000, 4000]);
    expect(Math.max(...high)).toBe(300_000);
    expect(low.at(-1)).toBe(150_000);
  });

  it('starts over after a success', () => {
    const backoff = new Backoff({ minMs: 100, maxMs: 10_000, random: () => 0.999999 });
    backoff.next();
    backoff.next();
    expect(backoff.failures).toBe(2);
    backoff.reset();
    expect(backoff.next()).toBe(100);
  });
});
