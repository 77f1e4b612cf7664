import { describe, expect, it } from 'vitest';
import { loadRouterConfig } from './config.js';

const minimal = { DATABASE_URL: 'postgres://telemed@db:5432/telemed', REDIS_URL: 'redis://cache:6379' };

describe('router configuration', () => {
  it('fills the defaults and converts numbers', () => {
    expect(loadRouterConfig({ ...minimal, ROUTER_CONCURRENCY: '8' })).toEqual({
      ...minimal,
      NODE_ENV: 'development',
      PG_POOL_MAX: 10,
      REDIS_KEY_PREFIX: 'telemed:',
      ROUTER_CONCURRENCY: 8,
      ROUTER_SWEEP_SECONDS: 15,
      ROUTER_POOL_RETRY_SECONDS: 60,
      ROUTER_LOCK_MS: 30_000,
      ROUTER_STALLED_CHECK_MS: 30_000,
      LOG_LEVEL: 'info',
    });
  });

  it('names every bad variable at once, with what it should be', () => {
    expect(() =>
      loadRouterConfig({ REDIS_URL: 'http://cache', ROUTER_CONCURRENCY: '0', ROUTER_SWEEP_SECONDS: 'often' }),
    ).toThrow(
      [
        'invalid configuration:',
        '  - DATABASE_URL: is required (postgres://user@host:5432/db)',
        '  - REDIS_URL: must match ^rediss?:// (redis://host:6379)',
        '  - ROUTER_CONCURRENCY: must be at least 1 (jobs each queue works on at once in this process)',
        '  - ROUTER_SWEEP_SECONDS: must be a whole number (how often Postgres is swept for work whose job was lost)',
      ].join('\n'),
    );
  });

  it("refuses the database's default password in production", () => {
    expect(() =>
      loadRouterConfig({
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://telemed:telemed@postgres:5432/telemed',
        REDIS_URL: 'redis://redis:6379',
      }),
    ).toThrow(
      'DATABASE_URL: carries a known default password, which NODE_ENV=production refuses: give the database user a random password (openssl rand -hex 24) and put that in the URL',
    );
    expect(
      loadRouterConfig({
        ...minimal,
        NODE_ENV: 'production',
        DATABASE_URL: 'postgres://telemed:Zk2pQw9xVb@db/telemed',
      }).NODE_ENV,
    ).toBe('production');
  });
});
