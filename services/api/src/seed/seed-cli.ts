import { createDatabase, createPool, migrate } from '@telemed/db';
import { seedDemo } from './demo-seed.js';

// Seeds the database of DATABASE_URL with the demo, migrating it first. Safe to run again.
const url = process.env.DATABASE_URL;
if (!url) {
  process.stderr.write(
    'DATABASE_URL is not set: point it at the database to seed, e.g. postgres://localhost/telemed\n',
  );
  process.exit(1);
}
const pool = createPool({ connectionString: url, max: 2, applicationName: 'telemed-seed' });
try {
  await migrate(pool);
  const report = await seedDemo(createDatabase(pool), process.env.DEMO_PASSWORD ?? 'demo12345');
  process.stdout.write(`demo seed: created ${JSON.stringify(report)}\n`);
} finally {
  await pool.end();
}
