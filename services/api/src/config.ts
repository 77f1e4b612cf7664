import { Type, type Static } from '@sinclair/typebox';
import {
  ConfigError,
  Int,
  KNOWN_DEFAULT_SECRETS,
  LogLevel,
  NodeEnv,
  databasePasswordProblem,
  loadConfig as loadEnvironment,
  refusedInProduction,
  weakSecretProblem,
  type ConfigProblem,
  type Environment,
} from '@telemed/runtime';

export { ConfigError };

/** The password of every demo account unless DEMO_PASSWORD says otherwise; production refuses accounts that have it. */
export const DEFAULT_DEMO_PASSWORD = 'demo12345';

const EnvSchema = Type.Object({
  NODE_ENV: NodeEnv,
  HOST: Type.String({
    default: '127.0.0.1',
    minLength: 1,
    description: 'address the api binds; 0.0.0.0 only inside a container or behind a proxy',
  }),
  PORT: Int(8080, 0, 65535, 'the port the api listens on'),
  DATABASE_URL: Type.String({ pattern: '^postgres(ql)?://', description: 'postgres://user@host:5432/db' }),
  PG_POOL_MAX: Int(10, 1, 200),
  REDIS_URL: Type.String({ pattern: '^rediss?://', description: 'redis://host:6379' }),
  REDIS_KEY_PREFIX: Type.String({
    default: 'telemed:',
    pattern: '^[A-Za-z0-9:_-]+$',
    description: 'prefix of every Redis key, the same for the api and the router',
  }),
  JWT_SECRET: Type.String({ minLength: 32, description: 'at least 32 random characters' }),
  ACCESS_TOKEN_TTL_SECONDS: Int(300, 30, 3600),
  SESSION_IDLE_MINUTES: Int(30, 1, 24 * 60),
  SESSION_ABSOLUTE_HOURS: Int(12, 1, 24 * 30),
  LOGIN_MAX_FAILURES: Int(5, 1, 100),
  LOGIN_LOCKOUT_MINUTES: Int(15, 1, 24 * 60),
  LOGIN_RATE_LIMIT_PER_MINUTE: Int(30, 1, 100_000),
  BODY_LIMIT_BYTES: Int(1_048_576, 1024, 64 * 1_048_576),
  LOG_LEVEL: LogLevel,
  TRUST_PROXY: Type.Boolean({
    default: false,
    description: 'true behind a load balancer that sets X-Forwarded-For',
  }),
  VIDEO_URL: Type.Optional(
    Type.String({
      pattern: '^https?://[^\\s/]+$',
      description:
        "the video service's address (http://host:port): browsers reach its signalling at /consult/",
    }),
  ),
  WEB_DIR: Type.Optional(
    Type.String({
      minLength: 1,
      description: "folder of the built web app served at /; unset: the workspace's web/dist",
    }),
  ),
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
  SEED_DEMO: Type.Union([Type.Literal('never'), Type.Literal('if-empty')], {
    default: 'never',
    description: "'if-empty' seeds the demo into an empty database at start-up",
  }),
  DEMO_PASSWORD: Type.String({
    default: DEFAULT_DEMO_PASSWORD,
    minLength: 8,
    description: 'password of every demo account',
  }),
});

/** The api's configuration, read once from the environment at start-up. */
export type Config = Static<typeof EnvSchema>;

/** Parses and validates `env`; throws one `ConfigError` naming every bad or missing variable. */
export function loadConfig(env: Environment = process.env): Config {
  return loadEnvironment(EnvSchema, env, (config) => [
    ...s3Problems(config),
    ...(config.NODE_ENV === 'production' ? productionProblems(config, env) : []),
  ]);
}

function s3Problems(config: Config): ConfigProblem[] {
  if (!config.ARCHIVE_S3_ENDPOINT) return [];
  return (['ARCHIVE_S3_BUCKET', 'ARCHIVE_S3_ACCESS_KEY_ID', 'ARCHIVE_S3_SECRET_ACCESS_KEY'] as const)
    .filter((key) => !config[key])
    .map((variable) => ({ variable, message: 'is required when ARCHIVE_S3_ENDPOINT is set' }));
}

/** What production refuses: demo data, demo passwords and secrets anyone could guess. */
function productionProblems(config: Config, env: Environment): ConfigProblem[] {
  const problems = [
    weakSecretProblem('JWT_SECRET', config.JWT_SECRET, 32),
    weakSecretProblem('ARCHIVE_S3_SECRET_ACCESS_KEY', config.ARCHIVE_S3_SECRET_ACCESS_KEY, 16),
    databasePasswordProblem('DATABASE_URL', config.DATABASE_URL),
  ];
  const accessKey = config.ARCHIVE_S3_ACCESS_KEY_ID;
  if (accessKey && KNOWN_DEFAULT_SECRETS.includes(accessKey.toLowerCase()))
    problems.push(
      refusedInProduction(
        'ARCHIVE_S3_ACCESS_KEY_ID',
        'is a known default',
        'create an access key for the api in the object store and set it here',
      ),
    );
  if (config.SEED_DEMO !== 'never')
    problems.push(
      refusedInProduction(
        'SEED_DEMO',
        'seeds the demo accounts',
        'unset it; to try the demo, run with NODE_ENV=development',
      ),
    );
  if (env.DEMO_PASSWORD)
    problems.push(
      refusedInProduction(
        'DEMO_PASSWORD',
        'is set',
        'unset it; production has no demo accounts (create users through /api/users)',
      ),
    );
  return problems.filter((p) => p !== undefined);
}
