import { createDatabase, createPool, migrate } from '@telemed/db';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { seedDemo } from './seed/demo-seed.js';

/** Brings the database up to date and, when asked and the database is empty, lays down the demo. */
export async function prepareDatabase(config: Config, log: Logger): Promise<void> {
  const pool = createPool({
    connectionString: config.DATABASE_URL,
    max: 2,
    applicationName: 'telemed-migrate',
  });
  try {
    const result = await migrate(pool);
    if (result.applied.length) log.info({ applied: result.applied }, 'database migrated');
    const db = createDatabase(pool);
    if (config.SEED_DEMO === 'if-empty' && !(await db.users.any())) {
      const report = await seedDemo(db, config.DEMO_PASSWORD);
      log.info({ created: report }, 'empty database: demo data seeded');
    }
  } finally {
    await pool.end();
  }
}
