import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from './migrate.js';

/** A throwaway database on a real server, migrated, dropped by `drop()`. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates `telemed_test_<random>` on the server of `adminUrl` and migrates it. For tests and benchmarks, which
 * each get their own database and never touch one they did not make.
 */
export async function createTestDatabase(adminUrl: string, prefix = 'telemed_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return {
    url: url.toString(),
    name,
    async drop(): Promise<void> {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
