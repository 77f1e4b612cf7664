import type { ConfigProblem } from './config.js';

/**
 * Secrets that appear in this repository's examples, the demo, MinIO's and Postgres's images: in production each is
 * as good as no secret.
 */
export const KNOWN_DEFAULT_SECRETS: readonly string[] = [
  'demo12345',
  'telemed',
  'telemed-minio',
  'minioadmin',
  'postgres',
  'password',
  'changeme',
  'change-me',
  'secret',
  'admin',
];

// A secret of fewer distinct characters than this ('xxxx…', '1212…') is a placeholder, whatever its length.
const MIN_DISTINCT_CHARACTERS = 8;

/** Why `value` would be a weak secret, or undefined when it is not obviously weak. */
export function secretWeakness(value: string, minLength: number): string | undefined {
  if (KNOWN_DEFAULT_SECRETS.includes(value.toLowerCase())) return 'is a known default';
  if (value.length < minLength) return `is shorter than ${minLength} characters`;
  if (new Set(value).size < MIN_DISTINCT_CHARACTERS) return 'repeats too few characters to be secret';
  return undefined;
}

/** A refusal of production mode, saying what to set instead. */
export function refusedInProduction(variable: string, why: string, whatToSet: string): ConfigProblem {
  return { variable, message: `${why}, which NODE_ENV=production refuses: ${whatToSet}` };
}

/**
 * The production refusal for a secret, if it is weak: `whatToSet` says what a good one looks like. Unset optional
 * secrets are left to the schema.
 */
export function weakSecretProblem(
  variable: string,
  value: string | undefined,
  minLength: number,
  whatToSet = `set it to at least ${minLength} random characters (openssl rand -base64 48)`,
): ConfigProblem | undefined {
  if (value === undefined) return undefined;
  const weakness = secretWeakness(value, minLength);
  return weakness ? refusedInProduction(variable, weakness, whatToSet) : undefined;
}

/** The production refusal for a database URL whose password is a known default. */
export function databasePasswordProblem(
  variable: string,
  url: string | undefined,
): ConfigProblem | undefined {
  if (url === undefined) return undefined;
  let password: string;
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    return undefined;
  }
  return password && KNOWN_DEFAULT_SECRETS.includes(password.toLowerCase())
    ? refusedInProduction(
        variable,
        'carries a known default password',
        'give the database user a random password (openssl rand -hex 24) and put that in the URL',
      )
    : undefined;
}
