import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DicomError } from '../types.js';
import { inflateRawLimited } from './inflate.js';

describe('inflateRawLimited', () => {
  it('inflates raw DEFLATE data within the limit', () => {
    const text = new TextEncoder().encode('张三 '.repeat(1000));
    expect(inflateRawLimited(deflateRawSync(text), text.length)).toEqual(text);
  });

  it('stops a zip bomb at the limit with too_large instead of allocating it', () => {
    const bomb = deflateRawSync(new Uint8Array(50_000_000), { level: 9 });
    expect(bomb.length).toBeLessThan(100_000);
    let caught: unknown;
    try {
      inflateRawLimited(bomb, 1_000_000);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DicomError);
    expect((caught as DicomError).reason).toBe('too_large');
  });

  it('lets corrupt streams fail as zlib errors', () => {
    expect(() => inflateRawLimited(Uint8Array.of(0xff, 0xff, 0xff, 0xff), 100)).toThrow();
  });
});
