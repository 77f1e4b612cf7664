import { createDatabase, createPool, migrate } from '@telemed/db';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { demoAccountsWithDefaultPassword } from './seed/demo-accounts.js';
import { seedDemo } from './seed/demo-seed.js';

/**
 * Brings the database up to date and, when asked and the database is empty, lays down the demo. In production it
 * refuses a database whose demo accounts still sign in with the demo password.
 */
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
    if (config.NODE_ENV === 'production') {
      const exposed = await demoAccountsWithDefaultPassword(db);
      if (exposed.length)
        throw new Error(
          `the database holds demo accounts that sign in with the demo password (${exposed.join(', ')}), which ` +
            'NODE_ENV=production refuses: start once with NODE_ENV=development and give each a new password or ' +
            'deactivate it (PATCH /api/users/{id}), or use a database without the demo',
        );
    }
    if (config.SEED_DEMO === 'if-empty' && !(await db.users.any())) {
      const report = await seedDemo(db, config.DEMO_PASSWORD);
      log.info({ created: report }, 'empty database: demo data seeded');
    }
  } finally {
    await pool.end();
  }
}
