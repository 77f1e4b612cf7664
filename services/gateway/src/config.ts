import { resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

const Int = (def: number, min: number, max: number, description?: string): ReturnType<typeof Type.Integer> =>
  Type.Integer({ default: def, minimum: min, maximum: max, ...(description ? { description } : {}) });

// Short keys could be guessed, and with the key anyone holding an original UID could compute its replacement.
const DEIDENTIFY_KEY_MIN_LENGTH = 16;

// PS3.5 6.2: an AE title is 1-16 characters of the default repertoire without backslash or control characters.
const AE_TITLE_PATTERN = '^[\\x20-\\x5b\\x5d-\\x7e]{1,16}$';

const EnvSchema = Type.Object({
  GATEWAY_HOST: Type.String({
    default: '127.0.0.1',
    minLength: 1,
    description: 'address the DIMSE port binds',
  }),
  GATEWAY_DIMSE_PORT: Int(11112, 0, 65535),
  GATEWAY_AE_TITLE: Type.String({
    default: 'TELEMED',
    pattern: AE_TITLE_PATTERN,
    description: 'the called AE title modalities send to, 1-16 characters',
  }),
  GATEWAY_ALLOWED_CALLING_AES: Type.String({
    default: '',
    pattern: '^[^\\\\]*$',
    description: 'comma-separated calling AE titles allowed to store; empty allows any',
  }),
  GATEWAY_SPOOL_DIR: Type.String({
    default: '.data/gateway-spool',
    minLength: 1,
    description: 'directory of the durable queue; relative paths resolve against the working directory',
  }),
  GATEWAY_SPOOL_MIN_FREE_MB: Int(
    512,
    0,
    1_048_576,
    'refuse new instances (status A700) while the spool disk has less free space',
  ),
  GATEWAY_KEEP_SENT_HOURS: Int(0, 0, 24 * 365, 'keep forwarded instances in sent/ this long; 0 removes them'),
  GATEWAY_API_URL: Type.String({
    default: 'http://127.0.0.1:8080',
    pattern: '^https?://[^\\s]+[^/\\s]$',
    description: 'base address of the api, without a trailing slash',
  }),
  GATEWAY_API_USERNAME: Type.String({
    minLength: 1,
    maxLength: 64,
    description: 'the api account the gateway signs in as',
  }),
  GATEWAY_API_PASSWORD: Type.String({
    minLength: 1,
    maxLength: 256,
    description: 'password of that account',
  }),
  GATEWAY_BATCH_MAX_BYTES: Int(64 * 1_048_576, 1024, 4 * 1024 * 1_048_576, 'largest STOW-RS request body'),
  GATEWAY_RETRY_MIN_MS: Int(1000, 10, 3_600_000, 'first retry delay after a failed forward'),
  GATEWAY_RETRY_MAX_MS: Int(300_000, 10, 86_400_000, 'longest retry delay after repeated failures'),
  GATEWAY_DEIDENTIFY: Type.Union([Type.Literal('none'), Type.Literal('basic')], {
    default: 'none',
    description:
      "'none' sends instances as received; 'basic' applies the DICOM PS3.15 Basic Application Level " +
      'Confidentiality Profile to each instance before it leaves the site',
  }),
  GATEWAY_DEIDENTIFY_RETAIN_UIDS: Type.Boolean({
    default: false,
    description: "with 'basic': true keeps the original UIDs (Retain UIDs Option)",
  }),
  GATEWAY_DEIDENTIFY_KEY: Type.Optional(
    Type.String({
      minLength: DEIDENTIFY_KEY_MIN_LENGTH,
      description: `secret of at least ${DEIDENTIFY_KEY_MIN_LENGTH} characters that keys the replacement UIDs and patient pseudonyms`,
    }),
  ),
  GATEWAY_LOG_LEVEL: Type.Union(
    ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].map((l) => Type.Literal(l)),
    { default: 'info' },
  ),
});

type Env = Static<typeof EnvSchema>;

/** The gateway's configuration, read once from the environment at start-up. */
export interface Config extends Omit<Env, 'GATEWAY_ALLOWED_CALLING_AES'> {
  /** Calling AE titles allowed to associate; empty allows any. */
  GATEWAY_ALLOWED_CALLING_AES: string[];
}

/** Thrown with every bad variable named, so one start-up tells the operator everything to fix. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses and validates `env`; unknown variables are ignored, known ones are converted and defaulted. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): Config {
  const known = Object.fromEntries(
    Object.keys(EnvSchema.properties)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const value = Value.Default(EnvSchema, Value.Convert(EnvSchema, known));
  const problems = [...Value.Errors(EnvSchema, value)].map((e) => {
    const key = e.path.replace(/^\//, '') || 'environment';
    const hint = (e.schema as { description?: string }).description;
    return `${key}: ${e.message}${hint ? ` (${hint})` : ''}`;
  });
  const env_ = value as Env;
  const callingAes = splitList(env_.GATEWAY_ALLOWED_CALLING_AES);
  const badAes = callingAes.filter((ae) => !new RegExp(AE_TITLE_PATTERN).test(ae));
  if (badAes.length)
    problems.push(`GATEWAY_ALLOWED_CALLING_AES: not AE titles: ${badAes.map((a) => `'${a}'`).join(', ')}`);
  if (
    Number.isInteger(env_.GATEWAY_RETRY_MIN_MS) &&
    Number.isInteger(env_.GATEWAY_RETRY_MAX_MS) &&
    env_.GATEWAY_RETRY_MIN_MS > env_.GATEWAY_RETRY_MAX_MS
  )
    problems.push('GATEWAY_RETRY_MAX_MS: must not be below GATEWAY_RETRY_MIN_MS');
  if (env_.GATEWAY_DEIDENTIFY === 'basic' && env_.GATEWAY_DEIDENTIFY_KEY === undefined)
    problems.push(
      `GATEWAY_DEIDENTIFY_KEY: required when GATEWAY_DEIDENTIFY is 'basic' (a secret of at least ${DEIDENTIFY_KEY_MIN_LENGTH} characters; keep it the same across restarts so resent instances keep their UIDs)`,
    );
  if (problems.length) throw new ConfigError([...new Set(problems)]);
  return {
    ...env_,
    GATEWAY_AE_TITLE: env_.GATEWAY_AE_TITLE.trim(),
    GATEWAY_ALLOWED_CALLING_AES: callingAes,
    GATEWAY_SPOOL_DIR: resolve(cwd, env_.GATEWAY_SPOOL_DIR),
  };
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
