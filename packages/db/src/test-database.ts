import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { migrate } from './migrate.js';

/** The server the tests make their databases on: TEST_DATABASE_URL, or the local Postgres. */
export const TEST_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A throwaway database on a real server, migrated, dropped by `drop()`. */
export interface TestDatabase {
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates `telemed_test_<random>` on the server of `adminUrl` and migrates it. For tests and benchmarks, which
 * each get their own database and never touch one they did not make.
 */
export async function createTestDatabase(adminUrl: string, prefix = 'telemed_test'): Promise<TestDatabase> {
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    await migrate(pool);
  } finally {
    await pool.end();
  }
  return {
    url: url.toString(),
    name,
    async drop(): Promise<void> {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/**
 * Row count and content digest of every table: equal snapshots mean nothing was stored or changed. The audit chain's
 * head is left out: it only follows audit_events, whose digest stands for both.
 */
export async function tableDigests(pool: pg.Pool): Promise<Record<string, string>> {
  const { rows: tables } = await pool.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'audit_chain_head' ORDER BY tablename",
  );
  const out: Record<string, string> = {};
  for (const { tablename } of tables) {
    const { rows } = await pool.query<{ n: string; digest: string | null }>(
      `SELECT count(*)::text AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest
       FROM ${pg.escapeIdentifier(tablename)} t`,
    );
    out[tablename] = `${rows[0]?.n ?? '0'}:${rows[0]?.digest ?? ''}`;
  }
  return out;
}

/** Moves a session's last activity back by `idleMs` and its absolute expiry back by `lifeMs`, as if time had passed. */
export async function ageSession(
  pool: pg.Pool,
  sessionId: string,
  by: { idleMs?: number; lifeMs?: number },
): Promise<void> {
  await pool.query(
    `UPDATE auth_sessions
     SET last_seen_at = last_seen_at - make_interval(secs => $2::double precision / 1000),
         absolute_expires_at = absolute_expires_at - make_interval(secs => $3::double precision / 1000)
     WHERE id = $1`,
    [sessionId, by.idleMs ?? 0, by.lifeMs ?? 0],
  );
}

/** Hides a table (renames it) so writes to it fail, for testing what happens then; returns the undo. */
export async function hideTable(pool: pg.Pool, table: string): Promise<() => Promise<void>> {
  const hidden = `${table}_hidden_by_test`;
  await pool.query(`ALTER TABLE ${pg.escapeIdentifier(table)} RENAME TO ${pg.escapeIdentifier(hidden)}`);
  return async () => {
    await pool.query(`ALTER TABLE ${pg.escapeIdentifier(hidden)} RENAME TO ${pg.escapeIdentifier(table)}`);
  };
}
