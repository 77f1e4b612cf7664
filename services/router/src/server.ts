import { createPool, migrate } from '@telemed/db';
import { runService } from '@telemed/runtime';
import { loadRouterConfig } from './config.js';
import { Router } from './router.js';

await runService({
  name: 'router',
  loadConfig: () => loadRouterConfig(),
  logLevel: (config) => config.LOG_LEVEL,
  // SIGTERM: finish the jobs under way, then exit; a second signal or the delay cuts it short
  closeDelayMs: 30_000,
  start: async (config, log) => {
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
    return Router.start({
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
  },
  listening: (_router, config) => ({
    message: 'router started',
    details: { concurrency: config.ROUTER_CONCURRENCY, nodeEnv: config.NODE_ENV },
  }),
});
