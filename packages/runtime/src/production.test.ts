import { describe, expect, it } from 'vitest';
import { databasePasswordProblem, secretWeakness, weakSecretProblem } from './production.js';

describe('production secrets', () => {
  it('calls a known default, a short secret and a placeholder weak, and a random one not', () => {
    expect(secretWeakness('telemed-minio', 8)).toBe('is a known default');
    expect(secretWeakness('MinioAdmin', 8)).toBe('is a known default');
    expect(secretWeakness('q7Lp2x', 8)).toBe('is shorter than 8 characters');
    expect(secretWeakness('abababababababababababababababab', 32)).toBe(
      'repeats too few characters to be secret',
    );
    expect(secretWeakness('9fK2pL7qRw3xZ8vB1nM4cT6yH0jD5sGe', 32)).toBeUndefined();
  });

  it('leaves an unset secret to the schema', () => {
    expect(weakSecretProblem('KEY', undefined, 16)).toBeUndefined();
  });

  it('finds a default password in a database URL, and leaves a URL without one alone', () => {
    expect(databasePasswordProblem('DATABASE_URL', 'postgres://telemed:postgres@db/telemed')?.variable).toBe(
      'DATABASE_URL',
    );
    expect(databasePasswordProblem('DATABASE_URL', 'postgres://telemed@db/telemed')).toBeUndefined();
    expect(
      databasePasswordProblem('DATABASE_URL', 'postgres://telemed:x9%40Lk2pQ@db/telemed'),
    ).toBeUndefined();
  });
});
