import { migrate } from '../migrate.js';
import { createPool } from '../pool.js';

/**
 * `pnpm db:migrate`: applies the migrations to the database at DATABASE_URL and exits, for deployments where the
 * owner role migrates and the services run as a role that may not (infra/postgres/roles.sql).
 */
async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write(
      'DATABASE_URL is required: the database to migrate, as the role that owns its tables\n',
    );
    return 2;
  }
  const pool = createPool({ connectionString: url, max: 1, applicationName: 'telemed-migrate' });
  try {
    const result = await migrate(pool);
    process.stdout.write(
      result.applied.length
        ? `applied ${result.applied.join(', ')}\n`
        : `nothing to apply: ${result.alreadyApplied} migrations already applied\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main();
