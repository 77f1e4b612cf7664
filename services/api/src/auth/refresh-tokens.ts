import { createHash, randomBytes } from 'node:crypto';

/** A new opaque refresh token: 256 random bits. */
export function newRefreshToken(): string {
  return randomBytes(32).toString('base64url');
}

/** What the database stores of a refresh token: only its SHA-256, so a leaked table leaks no tokens. */
export function hashRefreshToken(token: string): Buffer {
  return createHash('sha256').update(token, 'utf8').digest();
}
