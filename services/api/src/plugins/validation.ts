import { Ajv, type ErrorObject } from 'ajv';
import formats from 'ajv-formats';
import type { FastifyInstance, FastifySchema, FastifySchemaCompiler } from 'fastify';
import type { FieldError, FieldRefusal } from '@telemed/contracts';

function makeAjv(coerceTypes: false | 'array'): Ajv {
  const ajv = new Ajv({
    coerceTypes,
    useDefaults: true,
    removeAdditional: false,
    allErrors: true,
    // parentSchema on each error lets a failed union of literals name its choices
    verbose: true,
    strict: false,
  });
  // ajv-formats is CommonJS: its plugin is the module's `default` export.
  formats.default(ajv);
  return ajv;
}

/**
 * Query strings, path parameters and headers are text, so they are coerced to the schema's types; JSON bodies are
 * not: `{"limit": "5"}` where a number is expected is an error the client should hear about.
 */
export function installValidators(app: FastifyInstance): void {
  const coercing = makeAjv('array');
  const strict = makeAjv(false);
  const compiler: FastifySchemaCompiler<FastifySchema> = ({ schema, httpPart }) =>
    (httpPart === 'body' ? strict : coercing).compile(schema as object);
  app.setValidatorCompiler(compiler);
}

/** Ajv errors as the fields a user has to fix, named like the domain errors name them. */
export function fieldErrors(errors: ErrorObject[], part: string): FieldError[] {
  // A union of literals fails once per branch and once as a whole; the whole says it best.
  const unions = new Set(errors.filter((e) => e.keyword === 'anyOf').map((e) => e.instancePath));
  const seen = new Set<string>();
  return errors
    .filter((e) => !(e.keyword === 'const' && unions.has(e.instancePath)))
    .map((e) => {
      const path = e.instancePath.replace(/^\//, '').replaceAll('/', '.');
      const missing =
        e.keyword === 'required' ? (e.params as { missingProperty: string }).missingProperty : '';
      const extra =
        e.keyword === 'additionalProperties'
          ? (e.params as { additionalProperty: string }).additionalProperty
          : '';
      // body fields are named as in the body; others carry their part: querystring.limit, params.id
      const field = [part === 'body' ? '' : part, path, missing || extra].filter(Boolean).join('.');
      let message = e.message ?? 'is not valid';
      if (missing) message = 'is required';
      if (extra) message = 'is not a known field; remove it';
      const choices = e.keyword === 'enum' || e.keyword === 'anyOf' ? choicesOf(e) : undefined;
      if (choices) message = `must be one of: ${choices.join(', ')}`;
      return { field, message, ...why(e, choices) };
    })
    .filter((f) => {
      const key = `${f.field}:${f.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}

function choicesOf(e: ErrorObject): string[] | undefined {
  const schema = e.parentSchema as { anyOf?: { const?: unknown }[] } | undefined;
  const consts = schema?.anyOf
    ?.map((s) => s.const)
    .filter((c) => typeof c === 'string' || typeof c === 'number');
  return consts?.length ? consts.map(String) : undefined;
}

// Ajv's keywords as the field refusals a client translates, with the limit each names.
const LIMITS: Partial<Record<string, FieldRefusal>> = {
  minLength: 'too_short',
  maxLength: 'too_long',
  minimum: 'too_small',
  exclusiveMinimum: 'too_small',
  maximum: 'too_large',
  exclusiveMaximum: 'too_large',
  minItems: 'too_few',
  maxItems: 'too_many',
};

/** The stable code and values of an Ajv error, for a client to say it in its user's language. */
function why(e: ErrorObject, choices: string[] | undefined): Pick<FieldError, 'reason' | 'params'> {
  const params = e.params as { limit?: number; type?: string | string[]; format?: string };
  if (e.keyword === 'required') return { reason: 'required' };
  if (e.keyword === 'additionalProperties') return { reason: 'unknown_field' };
  if (choices) return { reason: 'one_of', params: { choices } };
  const limit = LIMITS[e.keyword];
  if (limit && typeof params.limit === 'number') return { reason: limit, params: { limit: params.limit } };
  if (e.keyword === 'type' && params.type !== undefined) {
    return { reason: 'wrong_type', params: { type: [params.type].flat().join(',') } };
  }
  if (e.keyword === 'format' && params.format)
    return { reason: 'bad_format', params: { format: params.format } };
  if (e.keyword === 'pattern') return { reason: 'bad_pattern' };
  return { reason: 'invalid' };
}
