import { describe, expect, it } from 'vitest';
import { decodeBase64, encodeBase64 } from './base64.js';

describe('base64', () => {
  it('matches the RFC 4648 test vectors', () => {
    const vectors = ['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'];
    const expected = ['', 'Zg==', 'Zm8=', 'Zm9v', 'Zm9vYg==', 'Zm9vYmE=', 'Zm9vYmFy'];
    vectors.forEach((text, i) => {
      const bytes = new TextEncoder().encode(text);
      expect(encodeBase64(bytes)).toBe(expected[i]);
      expect(decodeBase64(expected[i] ?? '')).toEqual(bytes);
    });
  });

  it('round-trips every byte value the same way Node does', () => {
    const bytes = Uint8Array.from({ length: 1000 }, (_, i) => (i * 37) % 256);
    const encoded = encodeBase64(bytes);
    expect(encoded).toBe(Buffer.from(bytes).toString('base64'));
    expect(decodeBase64(encoded)).toEqual(bytes);
  });

  it('rejects characters outside the alphabet', () => {
    expect(() => decodeBase64('Zm9v*')).toThrow(/invalid base64/);
  });
});
