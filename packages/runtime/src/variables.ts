import { Type, type TInteger, type TLiteral, type TUnion } from '@sinclair/typebox';

type Literals<T extends readonly string[]> = TUnion<TLiteral<T[number]>[]>;

function oneOf<const T extends readonly string[]>(
  values: T,
  options: { default: T[number]; description: string },
): Literals<T> {
  return Type.Union(
    values.map((v): TLiteral<T[number]> => Type.Literal(v)),
    options,
  );
}

/** `NODE_ENV`, the same in every service: 'production' refuses demo data and default secrets at start-up. */
export const NodeEnv = oneOf(['development', 'production', 'test'] as const, {
  default: 'development',
  description: "'production' refuses demo data and default secrets",
});

/** A pino log level. */
export const LogLevel = oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const, {
  default: 'info',
  description: 'pino log level',
});

/** A whole number with a default and bounds; `description` says what it means. */
export function Int(def: number, min: number, max: number, description?: string): TInteger {
  return Type.Integer({ default: def, minimum: min, maximum: max, ...(description ? { description } : {}) });
}
