import { verifyAuditChain } from '../audit-chain.js';
import { createPool } from '../pool.js';

/**
 * `pnpm audit:verify`: walks the audit chain of the database at DATABASE_URL. Exit 0 and "N events, chain intact",
 * 1 and the first broken link, 2 when it cannot check at all.
 */
async function main(): Promise<number> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    process.stderr.write('DATABASE_URL is required: the database whose audit trail to verify\n');
    return 2;
  }
  const pool = createPool({ connectionString: url, max: 1, applicationName: 'telemed-audit-verify' });
  const progress = process.stderr.isTTY
    ? (checked: number): void => {
        process.stderr.write(`\rchecked ${checked} events`);
      }
    : undefined;
  try {
    const report = await verifyAuditChain(pool, progress ? { onProgress: progress } : {});
    if (progress) process.stderr.write('\n');
    if (report.firstBreak) {
      process.stdout.write(
        `audit chain broken at event ${report.firstBreak.id}: ${report.firstBreak.problem}\n` +
          (report.events
            ? `the ${report.events} events before it are intact, up to event ${report.lastId}\n`
            : ''),
      );
      return 1;
    }
    process.stdout.write(
      `${report.events} events, chain intact; newest event ${report.lastId}, hash ${report.lastHash}\n`,
    );
    return 0;
  } catch (error) {
    process.stderr.write(`could not verify the audit chain: ${(error as Error).message}\n`);
    return 2;
  } finally {
    await pool.end();
  }
}

process.exitCode = await main();
