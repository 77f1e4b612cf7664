/**
 * `pnpm bench:routing`: what routing a case costs, against the bare queue it runs on.
 *
 * Starts the api as its own process on a throwaway database (it seeds the demo: hospitals, partnerships,
 * specialists, roster, routing rules) and has the demo's technicians submit BENCH_CASES cases (default 10,000) through
 * it, drawn from the simulator's mix of exams and urgencies. The router runs as its own process too, on a Redis prefix
 * of its own, so the route jobs the api queues on submission never reach it: it sees only what is measured. Then, on
 * the same Redis in the same run:
 *   1. raw BullMQ: as many empty jobs added in bulk and processed by a worker of the same concurrency doing nothing
 *      (empty-worker.ts, a process of its own like the router);
 *   2. the router: a study-stable event per case, as the archive's watcher sends it, through the study-stable, route
 *      and notify queues: each case locked, decided by the rules, roster and workload, assigned with its history,
 *      audit event, decision and notification in one transaction, its SLA timer set, its notification published
 *      to socket.io and stamped delivered;
 *   3. the router again at a steady half of the rate it reached, for the latency a case sees when the router keeps up.
 * It prints cases routed per second, the time from "study stable" to "specialist notified" (p50, p99), and the ratio
 * of the router's rate to the raw rate: the price of everything a routing decision must do.
 *
 * Environment: BENCH_DATABASE_URL, BENCH_REDIS_URL, BENCH_CASES (default 10000), BENCH_PACED_CASES (default 1000),
 * BENCH_CONCURRENCY (default 4, the router's default). Everything it creates is removed at the end, also after an
 * error or Ctrl-C.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  JOB_DEFAULTS,
  QUEUES,
  type Case,
  type Department,
  type StudyStableJob,
  type User,
} from '@telemed/contracts';
import { createPool, createTestDatabase } from '@telemed/db';
import { randomUid } from '@telemed/dicom';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Pool } from 'pg';
import { drawCase, seededRandom } from '../infra/local-dev/case-mix.js';
import {
  ADMIN_URL,
  REDIS_URL,
  cleanRedisOnExit,
  handleSignals,
  onCleanup,
  positiveInt,
  runBench,
  say,
  thousands,
} from './harness.js';
import { ApiUser, startApi, startNode, startRouter } from './platform.js';

const here = dirname(fileURLToPath(import.meta.url));

const CASES = positiveInt('BENCH_CASES', 10_000);
const PACED_CASES = positiveInt('BENCH_PACED_CASES', 1000);
const CONCURRENCY = positiveInt('BENCH_CONCURRENCY', 4, 256);
const CHUNK = 500;
// The most open cases an administrator may give a specialist: the load is far above a day's, and caps would send
// most of it to the pool, which is not what is measured here.
const MAX_OPEN_CASES = 1000;

let stopping = false;
handleSignals(() => {
  stopping = true;
});

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))] ?? NaN;
}

const ms = (n: number): string => `${n >= 100 ? thousands(n) : n.toFixed(1)} ms`;

/** Submitted cases from the mix, sent through the api by the demo technicians of the department each exam comes from. */
async function submitCases(
  base: string,
  n: number,
  seed: number,
): Promise<{ id: string; hospitalId: string }[]> {
  const admin = await ApiUser.signIn(base, 'admin');
  const users = await admin.call<User[]>('GET', '/api/users?role=technician');
  const departments = await admin.call<Department[]>('GET', '/api/departments');
  const techs = await Promise.all(
    users.map(async (u) => ({
      user: await ApiUser.signIn(base, u.username),
      hospitalId: u.hospitalId ?? '',
      department: departments.find((d) => d.id === u.departmentId)?.code ?? '',
    })),
  );
  const random = seededRandom(seed);
  const made: { id: string; hospitalId: string }[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < n && !stopping) {
      next++;
      const drawn = drawCase(random);
      const senders = techs.filter((t) => t.department === drawn.exam.department);
      const tech = senders[Math.floor(random() * senders.length)] ?? techs[0];
      if (!tech) throw new Error('the demo has no technicians');
      const created = await tech.user.call<Case>('POST', '/api/cases', {
        patient: { mrn: `B-${randomBytes(5).toString('hex')}`, name: '测试', sex: 'F' },
        urgency: drawn.urgency,
        clinicalQuestion: drawn.exam.question,
        modality: drawn.exam.modality,
        bodyPart: drawn.exam.bodyPart,
      });
      await tech.user.call<Case>('POST', `/api/cases/${created.id}/submit`, {});
      made.push({ id: created.id, hospitalId: tech.hospitalId });
      if (made.length % 2000 === 0) say(`  ${thousands(made.length)} of ${thousands(n)} cases submitted`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  return made;
}

/** Raises every specialist's cap to MAX_OPEN_CASES, as an administrator would. */
async function raiseCaps(base: string): Promise<void> {
  const admin = await ApiUser.signIn(base, 'admin');
  for (const u of await admin.call<User[]>('GET', '/api/users?role=specialist'))
    await admin.call<User>('PATCH', `/api/users/${u.id}`, { maxOpenCases: MAX_OPEN_CASES });
}

interface RunResult {
  perSecond: number;
  p50: number;
  p99: number;
}

/** Resolves once `queue` has a worker (another process's) listening. */
async function workerListening(queue: Queue): Promise<void> {
  for (let waited = 0; waited < 60_000; waited += 200) {
    if ((await queue.getWorkersCount()) > 0) return;
    await sleep(200);
  }
  throw new Error(`no worker started on ${queue.name} within a minute`);
}

/** Raw BullMQ: empty jobs added in bulk, processed by a worker doing nothing in a process of its own. */
async function rawBullmq(connection: Redis, prefix: string, n: number): Promise<RunResult> {
  const name = 'bench-empty';
  const queue = new Queue(name, { connection, prefix });
  const worker = startNode('empty worker', ['--import', 'tsx', join(here, 'empty-worker.ts')], {
    EMPTY_REDIS_URL: REDIS_URL,
    EMPTY_PREFIX: prefix,
    EMPTY_QUEUE: name,
    EMPTY_CONCURRENCY: String(CONCURRENCY),
  });
  await workerListening(queue);
  const started = Date.now();
  for (let i = 0; i < n; i += CHUNK) {
    await queue.addBulk(
      Array.from({ length: Math.min(CHUNK, n - i) }, (_, k) => ({ name: 'empty', data: { i: i + k } })),
    );
  }
  while ((await queue.getCompletedCount()) < n && !stopping) await sleep(100);
  worker.kill('SIGTERM');
  // the rate and latencies come from the jobs' own timestamps, not from when the polling noticed
  const latencies: number[] = [];
  let last = 0;
  for (let i = 0; i < n; i += CHUNK) {
    for (const job of await queue.getCompleted(i, i + CHUNK - 1)) {
      const finished = job.finishedOn ?? NaN;
      last = Math.max(last, finished);
      latencies.push(finished - job.timestamp);
    }
  }
  await queue.obliterate({ force: true });
  await queue.close();
  latencies.sort((a, b) => a - b);
  return {
    perSecond: (n * 1000) / (last - started),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
  };
}

/**
 * The router on `cases`: a study-stable event each, added in bulk or at `perSecond`, then waits until every case is
 * decided and every notification delivered. Latency: from the event's enqueue to the notification's delivery.
 */
async function routeCases(
  db: Pool,
  queue: Queue<StudyStableJob>,
  cases: { id: string; hospitalId: string }[],
  perSecond: number | null,
): Promise<RunResult & { pooled: number }> {
  const stableAt = new Map<string, number>();
  const started = Date.now();
  const step = perSecond ? Math.max(1, Math.round(perSecond / 10)) : CHUNK;
  for (let i = 0; i < cases.length && !stopping; i += step) {
    const batch = cases.slice(i, i + step);
    const jobs = await queue.addBulk(
      batch.map((c) => ({
        name: QUEUES.studyStable,
        data: {
          studyId: randomUUID(),
          studyInstanceUid: randomUid(),
          hospitalId: c.hospitalId,
          caseId: c.id,
          instanceCount: 1,
          requestId: randomUUID(),
        },
        opts: { jobId: `bench-${c.id}` },
      })),
    );
    for (const [k, job] of jobs.entries()) stableAt.set(batch[k]?.id ?? '', job.timestamp);
    if (perSecond) await sleep(Math.max(0, started + ((i + step) * 1000) / perSecond - Date.now()));
  }
  const ids = cases.map((c) => c.id);
  let decided = 0;
  for (let last = -1; !stopping;) {
    const { rows } = await db.query<{ decided: number; undelivered: number }>(
      `SELECT count(*) FILTER (WHERE routing_decision IS NOT NULL)::int AS decided,
              (SELECT count(*)::int FROM notifications WHERE delivered_at IS NULL) AS undelivered
       FROM cases WHERE id = ANY($1)`,
      [ids],
    );
    decided = rows[0]?.decided ?? 0;
    if (decided === ids.length && rows[0]?.undelivered === 0) break;
    if (!perSecond && Math.floor(decided / 1000) > Math.floor(last / 1000))
      say(`  ${thousands(decided)} decided`);
    last = decided;
    // seldom enough that the watching costs the database little; the rate is taken from its own timestamps
    await sleep(250);
  }
  const { rows } = await db.query<{ case_id: string; delivered_at: Date; assigned_at: Date }>(
    `SELECT n.case_id, n.delivered_at, c.assigned_at FROM notifications n JOIN cases c ON c.id = n.case_id
     WHERE n.kind = 'case.assigned' AND n.case_id = ANY($1)`,
    [ids],
  );
  const latencies = rows
    .map((r) => r.delivered_at.getTime() - (stableAt.get(r.case_id) ?? NaN))
    .sort((a, b) => a - b);
  const lastAssigned = Math.max(...rows.map((r) => r.assigned_at.getTime()));
  return {
    perSecond: (rows.length * 1000) / (lastAssigned - started),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    pooled: ids.length - rows.length,
  };
}

await runBench(async () => {
  say(
    `routing benchmark: ${thousands(CASES)} cases in a burst, then ${thousands(PACED_CASES)} at a steady rate`,
  );
  const database = await createTestDatabase(ADMIN_URL, 'telemed_bench');
  onCleanup(`drop the database ${database.name}`, () => database.drop());
  // The api queues a route job for every case it submits; it does so under a prefix no router reads.
  const apiPrefix = `telemed-bench:${randomBytes(4).toString('hex')}:`;
  cleanRedisOnExit(REDIS_URL, apiPrefix);
  say('starting the api (it migrates the database and seeds the demo)…');
  const base = await startApi({
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    redisKeyPrefix: apiPrefix,
    env: { LOG_LEVEL: 'silent' },
  });
  await raiseCaps(base);

  const prefix = `telemed-bench:${randomBytes(4).toString('hex')}:`;
  cleanRedisOnExit(REDIS_URL, prefix);
  const connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  onCleanup('close the Redis connection', () => connection.quit());
  const stable = new Queue<StudyStableJob>(QUEUES.studyStable, {
    connection,
    prefix: `${prefix}bull`,
    defaultJobOptions: JOB_DEFAULTS[QUEUES.studyStable],
  });
  onCleanup('close the study-stable queue', () => stable.close());
  say('starting the router…');
  // Its sweep runs once at start, before any case exists, and not again during the run: it would route the
  // submitted cases itself, ahead of their study-stable events.
  startRouter({
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    redisKeyPrefix: prefix,
    env: {
      PG_POOL_MAX: '10',
      ROUTER_CONCURRENCY: String(CONCURRENCY),
      ROUTER_SWEEP_SECONDS: '3600',
      ROUTER_POOL_RETRY_SECONDS: '3600',
      LOG_LEVEL: 'warn',
    },
  });
  await workerListening(stable);

  say(`submitting ${thousands(CASES + PACED_CASES)} cases from the simulator's mix through the api…`);
  const all = await submitCases(base, CASES + PACED_CASES, 20261129);
  const burst = all.slice(0, CASES);
  const paced = all.slice(CASES);
  const pool = createPool({ connectionString: database.url, max: 2, applicationName: 'telemed-bench' });
  onCleanup('close the database pool', () => pool.end());

  say(`raw BullMQ: ${thousands(CASES)} empty jobs, concurrency ${CONCURRENCY}…`);
  const raw = await rawBullmq(connection, `${prefix}bull`, CASES);

  say(`router: ${thousands(CASES)} study-stable events at once…`);
  const routed = await routeCases(pool, stable, burst, null);
  const rate = Math.max(1, Math.floor(routed.perSecond / 2));
  say(`router: ${thousands(PACED_CASES)} events at ${thousands(rate)} a second…`);
  const steady = await routeCases(pool, stable, paced, rate);

  say('');
  say(`                                    per second   p50 enqueue→done   p99`);
  say(
    `raw BullMQ, empty job             ${thousands(raw.perSecond).padStart(10)}   ${ms(raw.p50).padStart(16)}   ${ms(raw.p99)}`,
  );
  say(
    `router, ${thousands(CASES)} at once (stable→notified)${thousands(routed.perSecond).padStart(5)}   ${ms(routed.p50).padStart(16)}   ${ms(routed.p99)}`,
  );
  say(
    `router, steady at ${thousands(rate)}/s (stable→notified) ${' '.repeat(Math.max(0, 4 - thousands(rate).length))}       ${ms(steady.p50).padStart(16)}   ${ms(steady.p99)}`,
  );
  say('');
  say(`ratio, routed cases ÷ raw empty jobs per second: ${(routed.perSecond / raw.perSecond).toFixed(3)}`);
  if (routed.pooled + steady.pooled)
    say(`(${routed.pooled + steady.pooled} cases found nobody on duty and wait in the pool)`);
});
