import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { QUEUES, type Case } from '@telemed/contracts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { createWorld, eventually, type World } from './test/world.js';

const serverJs = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'server.js');

/** The number of 'assign' history rows of each case: exactly one each means none lost and none routed twice. */
async function assignCounts(w: World, cases: Case[]): Promise<number[]> {
  const { rows } = await w.db.pool.query<{ id: string; n: number }>(
    `SELECT c.id, count(h.id)::int AS n FROM cases c
     LEFT JOIN case_history h ON h.case_id = c.id AND h.action = 'assign'
     WHERE c.id = ANY($1) GROUP BY c.id`,
    [cases.map((c) => c.id)],
  );
  return rows.map((r) => r.n);
}

async function assignedCount(w: World, cases: Case[]): Promise<number> {
  const { rows } = await w.db.pool.query<{ n: number }>(
    "SELECT count(*)::int AS n FROM cases WHERE id = ANY($1) AND state = 'assigned'",
    [cases.map((c) => c.id)],
  );
  return rows[0]?.n ?? 0;
}

async function manyCases(w: World, n: number): Promise<Case[]> {
  await w.db.pool.query('UPDATE users SET max_open_cases = 10000');
  const parts = ['HEAD', 'CHEST', 'ABDOMEN', 'BRAIN', 'LUNG'];
  const cases: Case[] = [];
  for (let i = 0; i < n; i++) cases.push(await w.submitted({ bodyPart: parts[i % parts.length] ?? 'HEAD' }));
  return cases;
}

/** The built router as its own process, on `w`'s database and queues; its first sweep queues every due case. */
function routerProcess(w: World): ChildProcess {
  return spawn(process.execPath, [serverJs], {
    env: {
      ...process.env,
      DATABASE_URL: w.database.url,
      REDIS_URL: w.redisUrl,
      REDIS_KEY_PREFIX: w.prefix,
      ROUTER_CONCURRENCY: '4',
      ROUTER_LOCK_MS: '2000',
      ROUTER_STALLED_CHECK_MS: '1000',
      ROUTER_SWEEP_SECONDS: '3600',
      LOG_LEVEL: 'silent',
    },
    stdio: 'ignore',
  });
}

describe('a router process stopped mid-run', () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  /** `n` cases on a world of their own, and a router process working on them until `first` are assigned. */
  async function runUntil(
    n: number,
    first: number,
  ): Promise<{ w: World; cases: Case[]; route: Queue; child: ChildProcess }> {
    const w = await createWorld();
    cleanups.push(() => w.close());
    const cases = await manyCases(w, n);
    const connection = new Redis(w.redisUrl, { maxRetriesPerRequest: null });
    const route = new Queue(QUEUES.route, { connection, prefix: `${w.prefix}bull` });
    cleanups.push(() => route.close().then(() => connection.quit()));
    const child = routerProcess(w);
    cleanups.push(() => Promise.resolve(child.kill('SIGKILL')));
    await eventually(
      async () => ((await assignedCount(w, cases)) >= first ? true : undefined),
      `${first} assignments`,
    );
    return { w, cases, route, child };
  }

  it('on SIGTERM finishes the jobs under way, leaves the rest queued, and exits cleanly', async () => {
    const { w, cases, route, child } = await runUntil(200, 20);
    child.kill('SIGTERM');
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(code).toBe(0);
    // nothing was cut off: no job is left active, and what was not started still waits
    expect(await route.getActiveCount()).toBe(0);
    const done = await assignedCount(w, cases);
    expect(done).toBeLessThan(200);
    expect(await route.getJobCountByTypes('prioritized', 'waiting')).toBe(200 - done);
    const counts = await assignCounts(w, cases);
    expect(counts.filter((n) => n === 1)).toHaveLength(done);
    expect(counts.filter((n) => n > 1)).toEqual([]);
  }, 60_000);

  it('killed with SIGKILL, loses no case and routes none twice: another worker takes back the stalled jobs', async () => {
    // the child's first sweep queues all 300; kill it once it is well into them
    const { w, cases, route, child } = await runUntil(300, 30);
    child.kill('SIGKILL');
    await once(child, 'exit');
    const activeAtKill = await route.getActiveCount();
    const doneAtKill = await assignedCount(w, cases);
    expect(activeAtKill).toBeGreaterThan(0);
    expect(doneAtKill).toBeLessThan(300);

    // a new router: its stalled-job check puts the dead worker's jobs back, and it works through the rest
    w.router({ workers: { concurrency: 4, lockDuration: 2000, stalledInterval: 1000 } });
    await eventually(
      async () => ((await assignedCount(w, cases)) === 300 ? true : undefined),
      'all 300 assigned',
      60_000,
    );
    expect(new Set(await assignCounts(w, cases))).toEqual(new Set([1]));
    expect(await route.getFailedCount()).toBe(0);
  }, 90_000);
});

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  return port;
}

function startRedis(port: number): ChildProcess {
  return spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
}

async function redisUp(url: string): Promise<void> {
  await eventually(async () => {
    const probe = new Redis(url, { lazyConnect: true, retryStrategy: () => null, maxRetriesPerRequest: 0 });
    probe.on('error', () => undefined);
    try {
      await probe.connect();
      await probe.ping();
      return true;
    } catch {
      return undefined;
    } finally {
      probe.disconnect();
    }
  }, 'redis-server to answer');
}

describe('Redis restarted during a run', () => {
  let w: World;
  let redis: ChildProcess | undefined;
  afterAll(async () => {
    await w.stopRouters();
    await w.close();
    redis?.kill('SIGKILL');
  });

  it('loses nothing: Postgres holds the work, and the sweep queues it again', async () => {
    const port = await freePort();
    const url = `redis://127.0.0.1:${port}`;
    redis = startRedis(port);
    redis.on('error', (error) => {
      throw new Error(`redis-server could not start (is it installed?): ${error.message}`);
    });
    await redisUp(url);
    w = await createWorld(url);
    const cases = await manyCases(w, 200);
    const router = w.router({
      sweepIntervalMs: 500,
      workers: { concurrency: 2, lockDuration: 2000, stalledInterval: 1000 },
    });
    await eventually(
      async () => ((await assignedCount(w, cases)) >= 20 ? true : undefined),
      '20 assignments',
    );

    // a Redis without persistence, killed: every queued job is gone
    redis.kill('SIGKILL');
    await once(redis, 'exit');
    const doneAtCrash = await assignedCount(w, cases);
    expect(doneAtCrash).toBeLessThan(200);
    redis = startRedis(port);
    await redisUp(url);

    await eventually(
      async () => ((await assignedCount(w, cases)) === 200 ? true : undefined),
      'all 200 assigned after the restart',
      60_000,
    );
    expect(new Set(await assignCounts(w, cases))).toEqual(new Set([1]));
    // every assignment's notification is delivered, including those whose delivery job died with Redis
    await eventually(
      async () => {
        const { rows } = await w.db.pool.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM notifications WHERE delivered_at IS NULL',
        );
        return rows[0]?.n === 0 ? true : undefined;
      },
      'every notification delivered',
      30_000,
    );
    const { rows } = await w.db.pool.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM notifications WHERE kind = 'case.assigned'",
    );
    expect(rows[0]?.n).toBe(200);
    expect(router.context.queues.route).toBeDefined();
  }, 120_000);
});
