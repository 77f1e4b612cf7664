import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type pg from 'pg';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyAuditChain } from './audit-chain.js';
import { MIGRATIONS_DIR, migrate } from './migrate.js';
import { createPool } from './pool.js';
import { AuditRepository, type AuditRecord } from './repositories/audit-repository.js';
import { createTestDatabase, TEST_ADMIN_URL, type TestDatabase } from './test-database.js';

const ROLES_SQL = new URL('../../../infra/postgres/roles.sql', import.meta.url);
const VERIFY_CLI = fileURLToPath(new URL('../dist/cli/audit-verify.js', import.meta.url));

function event(n: number, extra: Partial<AuditRecord> = {}): AuditRecord {
  return {
    actor: { userId: '6f1f3c1e-8a55-4a53-9a0e-5a4c2d1b7e01', username: 'admin', role: 'admin' },
    action: 'user.update',
    resourceType: 'user',
    resourceId: `user-${n}`,
    outcome: 'success',
    origin: { ip: '10.0.0.7', userAgent: 'test', requestId: `req-${n}` },
    details: { n, changes: { displayName: { from: 'a', to: 'b' } } },
    ...extra,
  };
}

const databases: TestDatabase[] = [];
const pools: pg.Pool[] = [];

async function freshDatabase(): Promise<pg.Pool> {
  const database = await createTestDatabase(TEST_ADMIN_URL, 'telemed_test_audit');
  databases.push(database);
  const pool = createPool({ connectionString: database.url, max: 10 });
  pools.push(pool);
  return pool;
}

async function chainOf(pool: pg.Pool, n: number): Promise<pg.Pool> {
  const audit = new AuditRepository(pool);
  for (let i = 1; i <= n; i++) await audit.record(event(i));
  return pool;
}

afterEach(async () => {
  await Promise.all(pools.splice(0).map((pool) => pool.end()));
});
afterAll(async () => {
  await Promise.all(databases.splice(0).map((database) => database.drop()));
});

describe('the audit chain', () => {
  it('links every event to the one before it, and reports an intact chain with its head', async () => {
    const pool = await chainOf(await freshDatabase(), 5);
    const { rows } = await pool.query<{ id: string; prev_hash: Buffer; hash: Buffer }>(
      'SELECT id, prev_hash, hash FROM audit_events ORDER BY id',
    );
    expect(rows.map((r) => r.id)).toEqual(['1', '2', '3', '4', '5']);
    expect(rows[0]?.prev_hash.equals(Buffer.alloc(32))).toBe(true);
    for (let i = 1; i < rows.length; i++) expect(rows[i]?.prev_hash).toEqual(rows[i - 1]?.hash);
    expect(await verifyAuditChain(pool)).toEqual({
      events: 5,
      firstBreak: null,
      lastId: '5',
      lastHash: rows[4]?.hash.toString('hex'),
    });
  });

  it('ignores an id or hash the writer supplies: the chain decides both', async () => {
    const pool = await chainOf(await freshDatabase(), 2);
    await pool.query(
      `INSERT INTO audit_events (id, action, resource_type, outcome, prev_hash, hash)
       VALUES (1000, 'forged', 'user', 'success', '\\x00', '\\x00')`,
    );
    const { rows } = await pool.query<{ id: string }>("SELECT id FROM audit_events WHERE action = 'forged'");
    expect(rows).toEqual([{ id: '3' }]);
    expect((await verifyAuditChain(pool)).firstBreak).toBeNull();
  });

  // Each way of tampering, on its own chain of 6 events, and the event where the walk must stop.
  const tampering: { name: string; sql: string; brokenAt: string; says: RegExp }[] = [
    {
      name: "altering an event's content",
      sql: `UPDATE audit_events SET details = details || '{"n": 99}' WHERE id = 3`,
      brokenAt: '3',
      says: /content no longer matches its hash/,
    },
    {
      name: "altering an event's time",
      sql: `UPDATE audit_events SET at = at - interval '1 day' WHERE id = 4`,
      brokenAt: '4',
      says: /content no longer matches/,
    },
    {
      name: 'altering an event and recomputing its hash',
      sql: `UPDATE audit_events e SET outcome = 'denied' WHERE id = 2;
            UPDATE audit_events e SET hash = sha256(prev_hash || audit_event_content(e)) WHERE id = 2`,
      brokenAt: '3',
      says: /previous hash does not match event 2/,
    },
    {
      name: 'deleting an event',
      sql: 'DELETE FROM audit_events WHERE id = 3',
      brokenAt: '4',
      says: /previous hash does not match event 2: an event between them was removed/,
    },
    {
      name: 'deleting the first event',
      sql: 'DELETE FROM audit_events WHERE id = 1',
      brokenAt: '2',
      says: /does not match the start of the chain/,
    },
    {
      name: 'deleting the newest events',
      sql: 'DELETE FROM audit_events WHERE id >= 5',
      brokenAt: '6',
      says: /records event 6 as the newest, but the walk ends at event 4/,
    },
    {
      name: 're-ordering two events (swapping their ids)',
      sql: `UPDATE audit_events SET id = -2 WHERE id = 2;
            UPDATE audit_events SET id = 2 WHERE id = 5;
            UPDATE audit_events SET id = 5 WHERE id = -2`,
      brokenAt: '2',
      says: /previous hash does not match event 1/,
    },
    {
      name: 're-ordering two events (swapping their times and contents, keeping ids and hashes)',
      sql: `UPDATE audit_events a SET at = b.at, details = b.details, resource_id = b.resource_id,
              request_id = b.request_id
            FROM audit_events b WHERE (a.id, b.id) IN ((3, 4), (4, 3))`,
      brokenAt: '3',
      says: /content no longer matches/,
    },
  ];

  it.each(tampering)('detects $name at event $brokenAt', async ({ sql, brokenAt, says }) => {
    const pool = await chainOf(await freshDatabase(), 6);
    expect((await verifyAuditChain(pool)).firstBreak).toBeNull();
    await pool.query(sql);
    const report = await verifyAuditChain(pool, { batchSize: 2 });
    expect(report.firstBreak?.id).toBe(brokenAt);
    expect(report.firstBreak?.problem).toMatch(says);
  });

  it('keeps one unbroken chain when many connections append at once, inside transactions and outside', async () => {
    const pool = await freshDatabase();
    const writers = 8;
    const each = 15;
    await Promise.all(
      Array.from({ length: writers }, async (_, w) => {
        const client = await pool.connect();
        try {
          for (let i = 0; i < each; i++) {
            const n = w * 1000 + i;
            if (i % 3 === 0) {
              await new AuditRepository(client).record(event(n));
              continue;
            }
            await client.query('BEGIN');
            await new AuditRepository(client).record(event(n));
            // other work of the transaction after its event, so transactions overlap
            await client.query('SELECT pg_sleep($1)', [Math.random() / 200]);
            await client.query('COMMIT');
          }
        } finally {
          client.release();
        }
      }),
    );
    const report = await verifyAuditChain(pool);
    expect(report.firstBreak).toBeNull();
    expect(report.events).toBe(writers * each);
    const { rows } = await pool.query<{ n: string }>(
      'SELECT count(DISTINCT prev_hash)::text AS n FROM audit_events',
    );
    expect(rows[0]?.n).toBe(String(writers * each));
  });

  it('holds the chain only while a transaction commits, so a writer that goes on to lock rows blocks nobody', async () => {
    const pool = await freshDatabase();
    await pool.query('CREATE TABLE lock_probe (id int PRIMARY KEY); INSERT INTO lock_probe VALUES (1)');
    const [first, second] = [await pool.connect(), await pool.connect()];
    try {
      await second.query('BEGIN');
      await second.query('SELECT id FROM lock_probe WHERE id = 1 FOR UPDATE');
      await first.query('BEGIN');
      await new AuditRepository(first).record(event(1));
      // waits for `second`, which appends and commits meanwhile: with the chain held from the insert on, each
      // would wait for the other
      const blocked = first.query('SELECT id FROM lock_probe WHERE id = 1 FOR UPDATE');
      await new AuditRepository(second).record(event(2));
      await second.query('COMMIT');
      await blocked;
      await first.query('COMMIT');
    } finally {
      first.release();
      second.release();
    }
    const { rows } = await pool.query<{ id: string; resource_id: string }>(
      'SELECT id, resource_id FROM audit_events ORDER BY id',
    );
    // ids in the order of commit
    expect(rows).toEqual([
      { id: '1', resource_id: 'user-2' },
      { id: '2', resource_id: 'user-1' },
    ]);
    expect(await verifyAuditChain(pool)).toMatchObject({ events: 2, firstBreak: null });
  });

  it('chains the events stored before the chain existed, oldest first', async () => {
    const database = await createTestDatabase(TEST_ADMIN_URL, 'telemed_test_audit');
    databases.push(database);
    const pool = createPool({ connectionString: database.url });
    pools.push(pool);
    // the database as it was before 0006: only the earlier migrations
    const before = await mkdtemp(join(tmpdir(), 'telemed-migrations-'));
    try {
      await pool.query('DROP SCHEMA public CASCADE; CREATE SCHEMA public');
      for (const file of (await readdir(MIGRATIONS_DIR)).filter((f) => f < '0006')) {
        await symlink(join(MIGRATIONS_DIR, file), join(before, file));
      }
      await migrate(pool, before);
    } finally {
      await rm(before, { recursive: true, force: true });
    }
    await pool.query(
      `INSERT INTO audit_events (at, action, resource_type, resource_id, outcome, details) VALUES
         ('2026-05-01T08:00:00Z', 'auth.login', 'session', NULL, 'success', '{"username": "admin"}'),
         ('2026-05-01T08:01:00Z', 'case.read', 'case', 'c1', 'success', '{}'),
         ('2026-05-01T08:02:00Z', 'case.read', 'case', 'c2', 'denied', '{}')`,
    );
    await migrate(pool);
    expect(await verifyAuditChain(pool)).toMatchObject({ events: 3, firstBreak: null, lastId: '3' });
    await new AuditRepository(pool).record(event(4));
    expect(await verifyAuditChain(pool)).toMatchObject({ events: 4, firstBreak: null, lastId: '4' });
    await pool.query("UPDATE audit_events SET resource_id = 'c9' WHERE id = 2");
    expect((await verifyAuditChain(pool)).firstBreak?.id).toBe('2');
  });
});

describe('pnpm audit:verify', () => {
  async function run(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, [VERIFY_CLI], {
        env: { PATH: process.env.PATH ?? '', ...env },
      });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('says how many events form an intact chain, or where it breaks, in its exit code too', async () => {
    const database = await createTestDatabase(TEST_ADMIN_URL, 'telemed_test_audit');
    databases.push(database);
    const pool = createPool({ connectionString: database.url });
    pools.push(pool);
    await chainOf(pool, 3);
    const intact = await run({ DATABASE_URL: database.url });
    expect(intact.code).toBe(0);
    expect(intact.stdout).toMatch(/^3 events, chain intact; newest event 3, hash [0-9a-f]{64}\n$/);
    await pool.query("UPDATE audit_events SET actor_username = 'someone else' WHERE id = 2");
    const broken = await run({ DATABASE_URL: database.url });
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/^audit chain broken at event 2: its content no longer matches its hash/);
    const unset = await run({});
    expect(unset.code).toBe(2);
    expect(unset.stderr).toMatch(/DATABASE_URL is required/);
  });
});

describe('archiving old events', () => {
  /** Six events, the first four from a year ago. */
  async function oldChain(): Promise<pg.Pool> {
    const pool = await freshDatabase();
    await pool.query(
      `INSERT INTO audit_events (at, action, resource_type, outcome)
       SELECT now() - interval '1 year' + n * interval '1 minute', 'auth.login', 'session', 'success'
       FROM generate_series(1, 4) n`,
    );
    const audit = new AuditRepository(pool);
    for (let i = 5; i <= 6; i++) await audit.record(event(i));
    expect((await verifyAuditChain(pool)).firstBreak).toBeNull();
    return pool;
  }

  it('re-anchors the chain on the last archived event, so the events that stay still verify', async () => {
    const pool = await oldChain();
    const { rows } = await pool.query<{ removed: string }>(
      'SELECT audit_archive_through(3)::text AS removed',
    );
    expect(rows[0]?.removed).toBe('3');
    expect(await verifyAuditChain(pool)).toMatchObject({ events: 3, firstBreak: null, lastId: '6' });
    await new AuditRepository(pool).record(event(7));
    expect(await verifyAuditChain(pool)).toMatchObject({ events: 4, firstBreak: null, lastId: '7' });
    await pool.query('DELETE FROM audit_events WHERE id = 4');
    const report = await verifyAuditChain(pool);
    expect(report.firstBreak?.id).toBe('5');
    expect(report.firstBreak?.problem).toMatch(/does not match the anchor \(archived event 3\)/);
  });

  it('keeps the events of the last six months', async () => {
    const pool = await oldChain();
    await expect(pool.query('SELECT audit_archive_through(5)')).rejects.toThrow(/less than six months ago/);
    expect(await verifyAuditChain(pool)).toMatchObject({ events: 6, firstBreak: null });
  });

  it('is refused to the writer role', async () => {
    const pool = await oldChain();
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE telemed_audit_writer');
      await expect(client.query('SELECT audit_archive_through(3)')).rejects.toThrow(/permission denied/);
    } finally {
      await client.query('ROLLBACK');
      client.release();
    }
  });
});

describe('who may write the audit trail', () => {
  let client: pg.PoolClient;

  beforeEach(async () => {
    const pool = await chainOf(await freshDatabase(), 3);
    client = await pool.connect();
    await client.query('BEGIN');
  });
  afterEach(async () => {
    await client.query('ROLLBACK');
    client.release();
  });

  /** The SQLSTATE `sql` fails with, as the role in effect (the transaction goes on). */
  async function refusal(sql: string): Promise<string | undefined> {
    await client.query('SAVEPOINT attempt');
    try {
      await client.query(sql);
      return undefined;
    } catch (error) {
      return (error as { code?: string }).code;
    } finally {
      await client.query('ROLLBACK TO SAVEPOINT attempt');
    }
  }

  async function expectAppendOnly(): Promise<void> {
    await new AuditRepository(client).record(event(4));
    // what happens at commit, now, as this role
    await client.query('SET CONSTRAINTS audit_events_append IMMEDIATE');
    const { rows } = await client.query<{ id: string; chained: boolean }>(
      'SELECT id, hash IS NOT NULL AS chained FROM audit_events ORDER BY id',
    );
    expect(rows).toEqual(['1', '2', '3', '4'].map((id) => ({ id, chained: true })));
    const denied = '42501';
    expect(await refusal("UPDATE audit_events SET outcome = 'denied' WHERE id = 2")).toBe(denied);
    expect(await refusal('DELETE FROM audit_events WHERE id = 2')).toBe(denied);
    expect(await refusal('TRUNCATE audit_events')).toBe(denied);
    expect(await refusal("UPDATE audit_chain_head SET last_hash = '\\x00'")).toBe(denied);
    expect(await refusal('ALTER TABLE audit_events DISABLE TRIGGER audit_events_append')).toBe(denied);
    expect(await refusal("SELECT setval('audit_events_id_seq', 1)")).toBe(denied);
  }

  it('lets telemed_audit_writer append and read events, and Postgres refuses it any change or removal', async () => {
    await client.query('SET LOCAL ROLE telemed_audit_writer');
    await expectAppendOnly();
  });

  it("gives the production application role (infra/postgres/roles.sql) the writer's rights and no more on the trail", async () => {
    await client.query(await readFile(ROLES_SQL, 'utf8'));
    await client.query('SET LOCAL ROLE telemed_app');
    await expectAppendOnly();
    // the rest of the platform's tables it reads and writes as before
    expect(
      await refusal(
        "INSERT INTO hospitals (code, name, kind, region) VALUES ('ROLE-TEST', '测试医院', 'county', '测试')",
      ),
    ).toBeUndefined();
    expect(await refusal('UPDATE users SET display_name = display_name')).toBeUndefined();
  });
});
