import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const minimal = {
  DATABASE_URL: 'postgres://localhost/telemed',
  REDIS_URL: 'redis://localhost:6379',
  JWT_SECRET: 'x'.repeat(32),
};

describe('configuration', () => {
  it('fills defaults and converts numbers', () => {
    const config = loadConfig({ ...minimal, PORT: '9090' });
    expect(config.PORT).toBe(9090);
    expect(config.ACCESS_TOKEN_TTL_SECONDS).toBe(300);
    expect(config.SEED_DEMO).toBe('never');
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({ DATABASE_URL: 'mysql://nope', PORT: 'eighty', JWT_SECRET: 'short', SEED_DEMO: 'always' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const text = (error as ConfigError).problems.join('\n');
    for (const name of ['DATABASE_URL', 'REDIS_URL', 'PORT', 'JWT_SECRET', 'SEED_DEMO'])
      expect(text).toContain(name);
  });
});
