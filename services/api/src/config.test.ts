import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const minimal = {
  DATABASE_URL: 'postgres://localhost/telemed',
  REDIS_URL: 'redis://localhost:6379',
  JWT_SECRET: 'x'.repeat(32),
};

function problemsOf(env: Record<string, string>): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

// What an operator of a real deployment sets: secrets nobody could guess, no demo.
const production = {
  NODE_ENV: 'production',
  DATABASE_URL: 'postgres://telemed:Qm9vK2h1dGx5c2VjcmV0@db:5432/telemed',
  REDIS_URL: 'redis://cache:6379',
  JWT_SECRET: 'kP3vX9qL2mN8rT5wY7zA1bC4dE6fG0hJ',
  ARCHIVE_S3_ENDPOINT: 'http://minio:9000',
  ARCHIVE_S3_BUCKET: 'telemed-archive',
  ARCHIVE_S3_ACCESS_KEY_ID: 'telemed-api',
  ARCHIVE_S3_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI7K7MDENGbPxRfiCYEXAMPLE',
};

describe('configuration', () => {
  it('fills defaults and converts numbers', () => {
    const config = loadConfig({ ...minimal, PORT: '9090' });
    expect(config.PORT).toBe(9090);
    expect(config.ACCESS_TOKEN_TTL_SECONDS).toBe(300);
    expect(config.SEED_DEMO).toBe('never');
    expect(config.NODE_ENV).toBe('development');
  });

  it('names every bad variable in one error', () => {
    const text = problemsOf({
      DATABASE_URL: 'mysql://nope',
      PORT: 'eighty',
      JWT_SECRET: 'short',
      SEED_DEMO: 'always',
    }).join('\n');
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'JWT_SECRET', 'SEED_DEMO'])
      expect(text).toContain(name);
    expect(text).toContain('REDIS_URL: is required (redis://host:6379)');
    expect(text).toContain('SEED_DEMO: must be one of never, if-empty');
  });

  it('asks for the bucket and keys when an S3 endpoint is set', () => {
    expect(problemsOf({ ...minimal, ARCHIVE_S3_ENDPOINT: 'http://minio:9000' })).toEqual([
      'ARCHIVE_S3_BUCKET: is required when ARCHIVE_S3_ENDPOINT is set',
      'ARCHIVE_S3_ACCESS_KEY_ID: is required when ARCHIVE_S3_ENDPOINT is set',
      'ARCHIVE_S3_SECRET_ACCESS_KEY: is required when ARCHIVE_S3_ENDPOINT is set',
    ]);
  });
});

describe('production mode', () => {
  it('starts with real secrets and no demo', () => {
    expect(loadConfig(production).NODE_ENV).toBe('production');
  });

  it('refuses to seed the demo', () => {
    expect(problemsOf({ ...production, SEED_DEMO: 'if-empty' })).toEqual([
      'SEED_DEMO: seeds the demo accounts, which NODE_ENV=production refuses: unset it; to try the demo, run with NODE_ENV=development',
    ]);
  });

  it('refuses a demo password, the default or any other', () => {
    for (const password of ['demo12345', 'another-demo-password'])
      expect(problemsOf({ ...production, DEMO_PASSWORD: password })).toEqual([
        'DEMO_PASSWORD: is set, which NODE_ENV=production refuses: unset it; production has no demo accounts (create users through /api/users)',
      ]);
  });

  it('refuses a JWT secret that is a placeholder or known', () => {
    expect(problemsOf({ ...production, JWT_SECRET: 'x'.repeat(48) })).toEqual([
      'JWT_SECRET: repeats too few characters to be secret, which NODE_ENV=production refuses: set it to at least 32 random characters (openssl rand -base64 48)',
    ]);
    // shorter than 32 is refused in every mode
    expect(problemsOf({ ...production, JWT_SECRET: 'changeme' })).toEqual([
      'JWT_SECRET: must be at least 32 characters (at least 32 random characters)',
    ]);
  });

  it("refuses the object store's default keys", () => {
    expect(
      problemsOf({
        ...production,
        ARCHIVE_S3_ACCESS_KEY_ID: 'telemed',
        ARCHIVE_S3_SECRET_ACCESS_KEY: 'telemed-minio',
      }),
    ).toEqual([
      'ARCHIVE_S3_SECRET_ACCESS_KEY: is a known default, which NODE_ENV=production refuses: set it to at least 16 random characters (openssl rand -base64 48)',
      'ARCHIVE_S3_ACCESS_KEY_ID: is a known default, which NODE_ENV=production refuses: create an access key for the api in the object store and set it here',
    ]);
    expect(
      problemsOf({
        ...production,
        ARCHIVE_S3_ACCESS_KEY_ID: 'minioadmin',
        ARCHIVE_S3_SECRET_ACCESS_KEY: 'minioadmin',
      }),
    ).toHaveLength(2);
  });

  it("refuses the database's default password", () => {
    expect(
      problemsOf({ ...production, DATABASE_URL: 'postgres://telemed:telemed@postgres:5432/telemed' }),
    ).toEqual([
      'DATABASE_URL: carries a known default password, which NODE_ENV=production refuses: give the database user a random password (openssl rand -hex 24) and put that in the URL',
    ]);
  });

  it('lists every refusal at once, and none of the secrets themselves', () => {
    const problems = problemsOf({
      ...production,
      SEED_DEMO: 'if-empty',
      DEMO_PASSWORD: 'demo12345',
      ARCHIVE_S3_SECRET_ACCESS_KEY: 'telemed-minio',
    });
    expect(problems.map((p) => p.split(':')[0])).toEqual([
      'ARCHIVE_S3_SECRET_ACCESS_KEY',
      'SEED_DEMO',
      'DEMO_PASSWORD',
    ]);
    expect(problems.join('\n')).not.toContain('telemed-minio');
  });

  it('refuses nothing of this in development and test', () => {
    for (const NODE_ENV of ['development', 'test'])
      expect(
        loadConfig({ ...minimal, NODE_ENV, SEED_DEMO: 'if-empty', DEMO_PASSWORD: 'demo12345' }).SEED_DEMO,
      ).toBe('if-empty');
  });
});
