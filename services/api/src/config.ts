import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Int = (def: number, min: number, max: number): ReturnType<typeof Type.Integer> =>
  Type.Integer({ default: def, minimum: min, maximum: max });

const EnvSchema = Type.Object({
  NODE_ENV: Type.Union([Type.Literal('development'), Type.Literal('production'), Type.Literal('test')], {
    default: 'development',
  }),
  HOST: Type.String({ default: '127.0.0.1', minLength: 1 }),
  PORT: Int(8080, 0, 65535),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'postgres://user@host:5432/db' }),
  PG_POOL_MAX: Int(10, 1, 200),
  REDIS_URL: Type.String({ pattern: '^rediss?://', description: 'redis://host:6379' }),
  REDIS_KEY_PREFIX: Type.String({ default: 'telemed:', pattern: '^[A-Za-z0-9:_-]+$' }),
  JWT_SECRET: Type.String({ minLength: 32, description: 'at least 32 random characters' }),
  ACCESS_TOKEN_TTL_SECONDS: Int(300, 30, 3600),
  SESSION_IDLE_MINUTES: Int(30, 1, 24 * 60),
  SESSION_ABSOLUTE_HOURS: Int(12, 1, 24 * 30),
  LOGIN_MAX_FAILURES: Int(5, 1, 100),
  LOGIN_LOCKOUT_MINUTES: Int(15, 1, 24 * 60),
  LOGIN_RATE_LIMIT_PER_MINUTE: Int(30, 1, 100_000),
  BODY_LIMIT_BYTES: Int(1_048_576, 1024, 64 * 1_048_576),
  LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
  TRUST_PROXY: Type.Boolean({
    default: false,
    description: 'true behind a load balancer that sets X-Forwarded-For',
  }),
  ARCHIVE_DIR: Type.String({
    default: '.data/archive',
    minLength: 1,
    description: 'folder of the DICOM blob store',
  }),
  ARCHIVE_S3_ENDPOINT: Type.Optional(
    Type.String({
      pattern: '^https?://',
      description: 'an S3-compatible store (MinIO...); unset: files on disk',
    }),
  ),
  ARCHIVE_S3_BUCKET: Type.Optional(Type.String({ minLength: 3 })),
  ARCHIVE_S3_REGION: Type.String({ default: 'us-east-1' }),
  ARCHIVE_S3_ACCESS_KEY_ID: Type.Optional(Type.String({ minLength: 1 })),
  ARCHIVE_S3_SECRET_ACCESS_KEY: Type.Optional(Type.String({ minLength: 1 })),
  ARCHIVE_S3_FORCE_PATH_STYLE: Type.Boolean({ default: true }),
  ARCHIVE_S3_PREFIX: Type.String({ default: 'dicom/' }),
  ARCHIVE_MAX_INSTANCE_BYTES: Int(512 * 1_048_576, 1024, 4 * 1024 * 1_048_576),
  ARCHIVE_MAX_UPLOAD_BYTES: Int(4 * 1024 * 1_048_576, 1024, 64 * 1024 * 1_048_576),
  STUDY_STABLE_SECONDS: Int(30, 1, 24 * 3600),
  QUEUE_FIGURES_BROADCAST_SECONDS: Int(5, 1, 3600),
  SEED_DEMO: Type.Union([Type.Literal('never'), Type.Literal('if-empty')], { default: 'never' }),
  DEMO_PASSWORD: Type.String({ default: 'demo12345', minLength: 8 }),
});

/** The api's configuration, read once from the environment at start-up. */
export type Config = Static<typeof EnvSchema>;

/** Thrown with every bad variable named, so one start-up tells the operator everything to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates `env`; unknown variables are ignored, known ones are converted and defaulted. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const value = Value.Default(EnvSchema, Value.Convert(EnvSchema, known));
  const problems = [...Value.Errors(EnvSchema, value)].map((e) => {
    const key = e.path.replace(/^\//, '') || e.schema.description || 'environment';
    const hint = (e.schema as { description?: string }).description;
    return `${key}: ${e.message}${hint ? ` (${hint})` : ''}`;
  });
  const config = value as Config;
  if (config.ARCHIVE_S3_ENDPOINT) {
    for (const key of [
      'ARCHIVE_S3_BUCKET',
      'ARCHIVE_S3_ACCESS_KEY_ID',
      'ARCHIVE_S3_SECRET_ACCESS_KEY',
    ] as const) {
      if (!config[key]) problems.push(`${key}: is required when ARCHIVE_S3_ENDPOINT is set`);
    }
  }
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  return config;
}
