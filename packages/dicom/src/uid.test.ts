import { describe, expect, it } from 'vitest';
import { isValidUid, randomUid } from './uid.js';

describe('randomUid', () => {
  it('makes valid UIDs under 2.25 that do not repeat', () => {
    const uids = Array.from({ length: 1000 }, () => randomUid());
    for (const uid of uids) {
      expect(uid).toMatch(/^2\.25\.[1-9][0-9]*$/);
      expect(isValidUid(uid)).toBe(true);
    }
    expect(new Set(uids).size).toBe(uids.length);
  });
});
