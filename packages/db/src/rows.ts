/** An instant from Postgres as RFC 3339 text, or null. */
export function iso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

/** An instant that the schema says is never null. */
export function isoNotNull(value: Date): string {
  return value.toISOString();
}

/** Opaque cursor for keyset pagination on (instant, id). */
export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`, 'utf8').toString('base64url');
}

/** The (instant, id) inside a cursor, or null when it is not one of ours. */
export function decodeCursor(cursor: string): { at: Date; id: string } | null {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const bar = text.indexOf('|');
  if (bar < 0) return null;
  const at = new Date(text.slice(0, bar));
  const id = text.slice(bar + 1);
  if (Number.isNaN(at.getTime()) || !/^[0-9a-f-]{36}$|^\d+$/.test(id)) return null;
  return { at, id };
}

/** The first row of a result that must have one (INSERT ... RETURNING, a row just locked); a missing row is a bug. */
export function firstRow<T>(rows: T[]): T {
  const row = rows[0];
  if (row === undefined) throw new Error('expected a row, got none');
  return row;
}

/** Postgres error codes the repositories turn into user errors. */
export const PG = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
} as const;

/** The SQLSTATE of a pg error, if it is one. */
export function pgCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error && typeof error.code === 'string'
    ? error.code
    : undefined;
}

/**
 * `SET a = $2, b = $3, updated_at = now()` for the given columns, skipping undefined values; the row id is $1.
 * Column names come from code, never from input.
 */
export function setClause(columns: Record<string, unknown>, params: unknown[], touch = true): string {
  const sets: string[] = [];
  for (const [column, value] of Object.entries(columns)) {
    if (value === undefined) continue;
    params.push(value);
    sets.push(`${column} = $${params.length}`);
  }
  if (touch) sets.push('updated_at = now()');
  return sets.join(', ');
}
