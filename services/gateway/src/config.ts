import { resolve } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import {
  ConfigError,
  Int,
  LogLevel,
  NodeEnv,
  loadConfig as loadEnvironment,
  refusedInProduction,
  weakSecretProblem,
  type ConfigProblem,
  type Environment,
} from '@telemed/runtime';

export { ConfigError };

// Short keys could be guessed, and with the key anyone holding an original UID could compute its replacement.
const DEIDENTIFY_KEY_MIN_LENGTH = 16;

// PS3.5 6.2: an AE title is 1-16 characters of the default repertoire without backslash or control characters.
const AE_TITLE_PATTERN = '^[\\x20-\\x5b\\x5d-\\x7e]{1,16}$';

// In production the gateway's api account needs a password nobody could guess.
const PRODUCTION_PASSWORD_MIN_LENGTH = 12;

const EnvSchema = Type.Object({
  NODE_ENV: NodeEnv,
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
  GATEWAY_LOG_LEVEL: LogLevel,
});

type Env = Static<typeof EnvSchema>;

/** The gateway's configuration, read once from the environment at start-up. */
export interface Config extends Omit<Env, 'GATEWAY_ALLOWED_CALLING_AES'> {
  /** Calling AE titles allowed to associate; empty allows any. */
  GATEWAY_ALLOWED_CALLING_AES: string[];
}

/** Parses and validates `env`; throws one `ConfigError` naming every bad or missing variable. */
export function loadConfig(env: Environment = process.env, cwd: string = process.cwd()): Config {
  const value = loadEnvironment(EnvSchema, env, (candidate) => [
    ...crossProblems(candidate),
    ...(candidate.NODE_ENV === 'production' ? productionProblems(candidate) : []),
  ]);
  return {
    ...value,
    GATEWAY_AE_TITLE: value.GATEWAY_AE_TITLE.trim(),
    GATEWAY_ALLOWED_CALLING_AES: splitList(value.GATEWAY_ALLOWED_CALLING_AES),
    GATEWAY_SPOOL_DIR: resolve(cwd, value.GATEWAY_SPOOL_DIR),
  };
}

function crossProblems(env: Env): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const badAes = splitList(env.GATEWAY_ALLOWED_CALLING_AES).filter(
    (ae) => !new RegExp(AE_TITLE_PATTERN).test(ae),
  );
  if (badAes.length)
    problems.push({
      variable: 'GATEWAY_ALLOWED_CALLING_AES',
      message: `not AE titles: ${badAes.map((a) => `'${a}'`).join(', ')}`,
    });
  if (
    Number.isInteger(env.GATEWAY_RETRY_MIN_MS) &&
    Number.isInteger(env.GATEWAY_RETRY_MAX_MS) &&
    env.GATEWAY_RETRY_MIN_MS > env.GATEWAY_RETRY_MAX_MS
  )
    problems.push({ variable: 'GATEWAY_RETRY_MAX_MS', message: 'must not be below GATEWAY_RETRY_MIN_MS' });
  if (env.GATEWAY_DEIDENTIFY === 'basic' && env.GATEWAY_DEIDENTIFY_KEY === undefined)
    problems.push({
      variable: 'GATEWAY_DEIDENTIFY_KEY',
      message: `required when GATEWAY_DEIDENTIFY is 'basic' (a secret of at least ${DEIDENTIFY_KEY_MIN_LENGTH} characters; keep it the same across restarts so resent instances keep their UIDs)`,
    });
  return problems;
}

/** What production refuses: guessable secrets, and a DIMSE port open to the network that takes any sender. */
function productionProblems(env: Env): ConfigProblem[] {
  const problems = [
    weakSecretProblem('GATEWAY_API_PASSWORD', env.GATEWAY_API_PASSWORD, PRODUCTION_PASSWORD_MIN_LENGTH),
    weakSecretProblem('GATEWAY_DEIDENTIFY_KEY', env.GATEWAY_DEIDENTIFY_KEY, DEIDENTIFY_KEY_MIN_LENGTH),
  ];
  const loopback = ['127.0.0.1', '::1', 'localhost'].includes(env.GATEWAY_HOST);
  if (!loopback && splitList(env.GATEWAY_ALLOWED_CALLING_AES).length === 0)
    problems.push(
      refusedInProduction(
        'GATEWAY_ALLOWED_CALLING_AES',
        `is empty while GATEWAY_HOST (${env.GATEWAY_HOST}) is reachable from the network, so any DICOM sender could store into the archive`,
        "list the modalities' calling AE titles, comma-separated",
      ),
    );
  return problems.filter((p) => p !== undefined);
}

function splitList(text: string): string[] {
  return text
    .split(',')
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
