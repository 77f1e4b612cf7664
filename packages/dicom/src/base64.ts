/**
 * Base64 for InlineBinary (PS3.18 F.2.7) without Buffer or btoa, so the same code runs in Node and the browser and
 * handles arbitrary binary without a detour through strings.
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Map(Array.from(ALPHABET, (char, i) => [char, i]));

/** Standard base64 with padding. */
export function encodeBase64(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i] ?? 0;
    const b = bytes[i + 1] ?? 0;
    const c = bytes[i + 2] ?? 0;
    const remaining = bytes.length - i;
    out += ALPHABET.charAt(a >> 2) + ALPHABET.charAt(((a & 3) << 4) | (b >> 4));
    out += remaining > 1 ? ALPHABET.charAt(((b & 15) << 2) | (c >> 6)) : '=';
    out += remaining > 2 ? ALPHABET.charAt(c & 63) : '=';
  }
  return out;
}

/** Decodes standard base64 (padding optional, whitespace ignored); throws on any other character. */
export function decodeBase64(text: string): Uint8Array {
  const clean = text.replace(/[\s=]/g, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let buffer = 0;
  let o = 0;
  for (const char of clean) {
    const value = LOOKUP.get(char);
    if (value === undefined) throw new SyntaxError(`invalid base64 character '${char}'`);
    buffer = ((buffer << 6) | value) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (buffer >> bits) & 0xff;
    }
  }
  return out.subarray(0, o);
}
