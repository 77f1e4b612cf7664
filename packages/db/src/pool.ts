import pg from 'pg';

// `date` columns stay 'YYYY-MM-DD' strings: a JS Date would shift a birth date by the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);

export interface PoolOptions {
  connectionString: string;
  max?: number;
  statementTimeoutMs?: number;
  applicationName?: string;
  onError?: (error: Error) => void;
}

/** The one pool of a process: every connection gets a statement timeout so no query can hang a request. */
export function createPool(options: PoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'telemed',
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    idle_in_transaction_session_timeout: 60_000,
    connectionTimeoutMillis: 10_000,
  });
  // An idle client losing its server must not crash the process; the pool replaces it.
  pool.on('error', options.onError ?? (() => undefined));
  return pool;
}

/** Anything that runs a query: the pool or a client inside a transaction. */
export type Queryable = Pick<pg.Pool | pg.PoolClient, 'query'>;

/** Runs `work` in one transaction on its own client, committing on success and rolling back on any error. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
