import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Int = (def: number, min: number, max: number, description?: string): ReturnType<typeof Type.Integer> =>
  Type.Integer({ default: def, minimum: min, maximum: max, ...(description ? { description } : {}) });

const EnvSchema = Type.Object({
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
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
});

/** The router's configuration, read once from the environment at start-up. */
export type RouterConfig = Static<typeof EnvSchema>;

/** Parses and validates `env`; throws one error naming every bad variable. */
export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): RouterConfig {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const value = Value.Default(EnvSchema, Value.Convert(EnvSchema, known)) as Record<string, unknown>;
  const problems = [...Value.Errors(EnvSchema, value)].map((e) => {
    const key = e.path.replace(/^\//, '') || 'environment';
    const hint = (e.schema as { description?: string }).description;
    const message = value[key] === undefined ? 'is required' : e.message;
    return `${key}: ${message}${hint ? ` (${hint})` : ''}`;
  });
  if (problems.length) {
    throw new Error(`invalid configuration:\n${[...new Set(problems)].map((p) => `  - ${p}`).join('\n')}`);
  }
  return value as RouterConfig;
}
