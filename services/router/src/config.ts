import { Type, type Static } from '@sinclair/typebox';
import {
  Int,
  LogLevel,
  NodeEnv,
  databasePasswordProblem,
  loadConfig,
  type ConfigProblem,
  type Environment,
} from '@telemed/runtime';

const EnvSchema = Type.Object({
  NODE_ENV: NodeEnv,
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'postgres://user@host:5432/db' }),
  PG_POOL_MAX: Int(10, 1, 200),
  REDIS_URL: Type.String({ pattern: '^rediss?://', description: 'redis://host:6379' }),
  REDIS_KEY_PREFIX: Type.String({
    default: 'telemed:',
    pattern: '^[A-Za-z0-9:_-]+$',
    description: 'the same prefix as the api',
  }),
  ROUTER_CONCURRENCY: Int(4, 1, 256, 'jobs each queue works on at once in this process'),
  ROUTER_SWEEP_SECONDS: Int(15, 1, 3600, 'how often Postgres is swept for work whose job was lost'),
  ROUTER_POOL_RETRY_SECONDS: Int(60, 1, 86_400, 'how soon a case nobody could take is tried again'),
  ROUTER_LOCK_MS: Int(
    30_000,
    1000,
    600_000,
    'a job whose worker stops renewing its lock this long is stalled',
  ),
  ROUTER_STALLED_CHECK_MS: Int(30_000, 500, 600_000, 'how often stalled jobs are looked for and retried'),
  LOG_LEVEL: LogLevel,
});

/** The router's configuration, read once from the environment at start-up. */
export type RouterConfig = Static<typeof EnvSchema>;

/** Parses and validates `env`; throws one `ConfigError` naming every bad or missing variable. */
export function loadRouterConfig(env: Environment = process.env): RouterConfig {
  return loadConfig(EnvSchema, env, (config) =>
    config.NODE_ENV === 'production' ? productionProblems(config) : [],
  );
}

/** What production refuses: the router holds no secret of its own but the database password it shares. */
function productionProblems(config: RouterConfig): ConfigProblem[] {
  const problem = databasePasswordProblem('DATABASE_URL', config.DATABASE_URL);
  return problem ? [problem] : [];
}
