import closeWithGrace from 'close-with-grace';
import { createPool, migrate } from '@telemed/db';
import { pino } from 'pino';
import { loadRouterConfig, type RouterConfig } from './config.js';
import { Router } from './router.js';

function configOrExit(): RouterConfig {
  try {
    return loadRouterConfig();
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(1);
  }
}

const config = configOrExit();
const log = pino({ level: config.LOG_LEVEL, name: 'router' });
// the api migrates too, under the same advisory lock: whichever starts first brings the schema up to date
const migrationPool = createPool({
  connectionString: config.DATABASE_URL,
  max: 1,
  applicationName: 'telemed-migrate',
});
try {
  const result = await migrate(migrationPool);
  if (result.applied.length) log.info({ applied: result.applied }, 'database migrated');
} finally {
  await migrationPool.end();
}
const router = Router.start({
  databaseUrl: config.DATABASE_URL,
  pgPoolMax: config.PG_POOL_MAX,
  redisUrl: config.REDIS_URL,
  redisKeyPrefix: config.REDIS_KEY_PREFIX,
  workers: {
    concurrency: config.ROUTER_CONCURRENCY,
    lockDuration: config.ROUTER_LOCK_MS,
    stalledInterval: config.ROUTER_STALLED_CHECK_MS,
  },
  sweepIntervalMs: config.ROUTER_SWEEP_SECONDS * 1000,
  poolRetryMs: config.ROUTER_POOL_RETRY_SECONDS * 1000,
  log,
});
log.info({ concurrency: config.ROUTER_CONCURRENCY }, 'router started');

// SIGTERM: finish the jobs under way, then exit; a second signal or the delay cuts it short
closeWithGrace({ delay: 30_000 }, async ({ signal, err }) => {
  if (err) log.error({ err }, 'shutting down after an error');
  else log.info({ signal }, 'shutting down: finishing the jobs under way');
  await router.close();
});
