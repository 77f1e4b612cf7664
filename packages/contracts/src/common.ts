import {
  Type,
  type Static,
  type SchemaOptions,
  type TArray,
  type TLiteral,
  type TNull,
  type TObject,
  type TSchema,
  type TString,
  type TUnion,
} from '@sinclair/typebox';

/** A UUID as the database issues them. */
export const Uuid = Type.String({ format: 'uuid', description: 'UUID' });

/** An instant in RFC 3339 form. */
export const Instant = Type.String({ format: 'date-time' });

/** `{ id }` path parameters. */
export const IdParams = Type.Object({ id: Uuid }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;

/**
 * One of a fixed list of strings. Schema builders are marked free of side effects so that the web app's bundle drops
 * the schemas it never reads (the app takes types and tables from here, not validators).
 */
export const oneOf = /* @__NO_SIDE_EFFECTS__ */ <T extends string>(
  values: readonly T[],
  options?: SchemaOptions,
): TUnion<TLiteral<T>[]> =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    options,
  );

/** Non-blank single-line text of bounded length. */
export const Text = /* @__NO_SIDE_EFFECTS__ */ (maxLength: number, description?: string): TString =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...(description ? { description } : {}) });

/** Cursor pagination query shared by every list. */
export const PageQuery = {
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'the nextCursor of the previous page' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
};

/** A page of items with the cursor of the next page, or null at the end. */
export const Page = /* @__NO_SIDE_EFFECTS__ */ <T extends TSchema>(
  item: T,
): TObject<{ items: TArray<T>; nextCursor: TUnion<[TString, TNull]> }> =>
  Type.Object({ items: Type.Array(item), nextCursor: Type.Union([Type.String(), Type.Null()]) });

/** The values a refusal's message names (a time, a name, the states an action is allowed from). */
const ProblemParams = Type.Record(
  Type.String(),
  Type.Union([Type.String(), Type.Number(), Type.Array(Type.String())]),
  { description: "the values the refusal's message names, to say it in the user's language" },
);

/** RFC 9457 problem details, with the platform's error code and, for bad input, each field at fault. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    reason: Type.Optional(
      Type.String({
        description: "the particular refusal, a stable code to put it into the user's language by",
      }),
    ),
    params: Type.Optional(ProblemParams),
    instance: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          field: Type.String(),
          message: Type.String(),
          reason: Type.Optional(Type.String({ description: 'why the field is refused, a stable code' })),
          params: Type.Optional(ProblemParams),
        }),
        { description: 'each input field at fault and what to change' },
      ),
    ),
  },
  { $id: 'Problem' },
);
export type Problem = Static<typeof Problem>;
