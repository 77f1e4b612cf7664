import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { Value, ValueErrorType, type ValueError } from '@sinclair/typebox/value';

/** One thing wrong with the environment: the variable, and what is wrong with it (saying what to set). */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown with every bad or missing variable named, so one start-up tells the operator everything to fix. */
export class ConfigError extends Error {
  readonly problems: string[];

  constructor(problems: ConfigProblem[]) {
    const lines = problems.map((p) => `${p.variable}: ${p.message}`);
    super(`invalid configuration:\n${lines.map((line) => `  - ${line}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = lines;
  }
}

/** The environment as Node gives it; only the variables a schema names are read. */
export type Environment = Record<string, string | undefined>;

/**
 * Reads the variables `schema` names from `env`: empty counts as unset, defaults fill the rest, numbers and booleans
 * are converted. `check` adds problems the schema cannot express (one variable requiring another, production rules);
 * it runs even when the schema found problems, so it must not trust a value the schema already refused. Throws one
 * `ConfigError` listing every problem, each with the variable's description as the hint of what to set.
 */
export function loadConfig<T extends TObject>(
  schema: T,
  env: Environment = process.env,
  check?: (config: Static<T>) => ConfigProblem[],
): Static<T> {
  const known = Object.fromEntries(
    Object.keys(schema.properties)
      .filter((key) => env[key] !== undefined && env[key] !== '')
      .map((key) => [key, env[key]]),
  );
  const value = Value.Default(schema, Value.Convert(schema, known)) as Static<T>;
  const problems = new Map<string, ConfigProblem>();
  for (const error of Value.Errors(schema, value)) {
    const variable = error.path.replace(/^\//, '').split('/')[0] || 'environment';
    // a variable breaks several rules at once (missing is also 'not a string'): its first problem says enough
    if (problems.has(variable)) continue;
    const hint = describe(schema.properties[variable]);
    const missing = (value as Record<string, unknown>)[variable] === undefined;
    problems.set(variable, {
      variable,
      message: `${missing ? 'is required' : messageOf(error)}${hint ? ` (${hint})` : ''}`,
    });
  }
  // in the schema's order, so the list reads like the configuration table
  const order = Object.keys(schema.properties);
  const found = [...problems.values()].sort((a, b) => order.indexOf(a.variable) - order.indexOf(b.variable));
  for (const problem of check?.(value) ?? [])
    if (!problems.has(problem.variable)) {
      problems.set(problem.variable, problem);
      found.push(problem);
    }
  if (found.length) throw new ConfigError(found);
  return value;
}

function describe(schema: TSchema | undefined): string | undefined {
  return typeof schema?.description === 'string' ? schema.description : undefined;
}

/** The same words for the same kind of mistake in every service. */
function messageOf(error: ValueError): string {
  const schema = error.schema as Record<string, unknown>;
  switch (error.type) {
    case ValueErrorType.Union: {
      const choices = (schema.anyOf as { const?: unknown }[] | undefined)?.map((s) => s.const);
      return choices?.every((c) => typeof c === 'string')
        ? `must be one of ${choices.join(', ')}`
        : error.message;
    }
    case ValueErrorType.Integer:
      return 'must be a whole number';
    case ValueErrorType.Number:
      return 'must be a number';
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be at least ${String(schema.minimum)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be at most ${String(schema.maximum)}`;
    case ValueErrorType.Boolean:
      return 'must be true or false';
    case ValueErrorType.StringMinLength:
      return `must be at least ${String(schema.minLength)} characters`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${String(schema.maxLength)} characters`;
    case ValueErrorType.StringPattern:
      return `must match ${String(schema.pattern)}`;
    default:
      return error.message;
  }
}
