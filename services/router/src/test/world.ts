import { randomBytes } from 'node:crypto';
import type { Case, CaseCreate } from '@telemed/contracts';
import {
  createDatabase,
  createPool,
  createTestDatabase,
  TEST_ADMIN_URL,
  type Actor,
  type Database,
  type TestDatabase,
  seedRadiologyHospitals,
  seedTestPerson,
} from '@telemed/db';
import { openCase, submitCase, type Domain } from '@telemed/domain';
import { Redis } from 'ioredis';
import { pino } from 'pino';
import { Router, type RouterOptions } from '../router.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const origin = { ip: '127.0.0.1', userAgent: 'test', requestId: 'test' };
const HOUR = 3_600_000;

/**
 * A small world for the router on its own database and Redis prefix: one county hospital whose radiology sends to
 * a city radiology department (fallback: a second city hospital), specialists on duty now with subspecialties, a
 * department head, and two rules (head → neuro, chest → chest).
 */
export interface World {
  db: Database;
  /**
   * The use cases as the api runs them, except that it relays nothing to the queues: the outbox rows stay for the
   * router's sweep to find, as after an api that stopped right after committing.
   */
  domain: Domain;
  database: TestDatabase;
  prefix: string;
  redisUrl: string;
  ids: Record<string, string>;
  tech: Actor;
  admin: Actor;
  /** a submitted case (no study: ready to route at once) */
  submitted(fields?: Partial<CaseCreate>): Promise<Case>;
  /** a router on this world; `options` override the defaults */
  router(options?: Partial<RouterOptions>): Router;
  /** closes every router started so far */
  stopRouters(): Promise<void>;
  close(): Promise<void>;
}

export async function createWorld(redisUrl = TEST_REDIS_URL): Promise<World> {
  const database = await createTestDatabase(TEST_ADMIN_URL);
  const db = createDatabase(createPool({ connectionString: database.url, max: 6 }));
  const prefix = `telemed-test:${randomBytes(4).toString('hex')}:`;
  const ids = await seedRadiologyHospitals(db, [
    ['COUNTY', 'county'],
    ['CITY1', 'city'],
    ['CITY2', 'city'],
  ]);
  await db.seed.ensurePartnership(ids['COUNTY/RAD'] ?? '', ids['CITY1/RAD'] ?? '', 0);
  await db.seed.ensurePartnership(ids['COUNTY/RAD'] ?? '', ids['CITY2/RAD'] ?? '', 10);
  const people: Record<string, Actor> = {};
  const person = async (
    username: string,
    role: Actor['role'],
    hospital: string | null,
    subspecialties: string[] = [],
    isDepartmentHead = false,
  ): Promise<void> => {
    const made = await seedTestPerson(db, ids, username, role, hospital, {
      subspecialties,
      isDepartmentHead,
    });
    people[username] = made;
    ids[username] = made.userId;
  };
  await person('tech', 'technician', 'COUNTY');
  await person('admin', 'admin', null);
  await person('neuro1', 'specialist', 'CITY1', ['neuro']);
  await person('neuro2', 'specialist', 'CITY1', ['neuro']);
  await person('chest1', 'specialist', 'CITY1', ['chest']);
  await person('head1', 'specialist', 'CITY1', ['neuro', 'chest'], true);
  await person('fallback', 'specialist', 'CITY2', ['neuro', 'chest']);
  const now = Date.now();
  for (const [u, dept] of [
    ['neuro1', 'CITY1/RAD'],
    ['neuro2', 'CITY1/RAD'],
    ['chest1', 'CITY1/RAD'],
    ['fallback', 'CITY2/RAD'],
  ] as const) {
    await db.seed.ensureShift({
      userId: ids[u] ?? '',
      departmentId: ids[dept] ?? '',
      startsAt: new Date(now - 12 * HOUR),
      endsAt: new Date(now + 12 * HOUR),
      modalities: [],
      note: '',
    });
  }
  await db.pool.query(
    `INSERT INTO routing_rules (name, priority, body_parts, subspecialty) VALUES
       ('头颈部 → 神经', 10, '{HEAD,BRAIN,NECK}', 'neuro'),
       ('胸部 → 胸部组', 20, '{CHEST,LUNG}', 'chest')`,
  );
  const tech = people.tech as Actor;
  const admin = people.admin as Actor;
  const routers: Router[] = [];

  const routerOptions = (options: Partial<RouterOptions> = {}): RouterOptions => ({
    databaseUrl: database.url,
    pgPoolMax: 4,
    redisUrl,
    redisKeyPrefix: prefix,
    workers: { concurrency: 2, lockDuration: 30_000, stalledInterval: 30_000 },
    sweepIntervalMs: 60_000,
    poolRetryMs: 60_000,
    log: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
    ...options,
  });

  const domain: Domain = {
    db,
    jobs: {
      add: () => Promise.reject(new Error('this api relays nothing: the router sweep finds the work')),
    },
  };

  return {
    db,
    domain,
    database,
    prefix,
    redisUrl,
    ids,
    tech,
    admin,
    async submitted(fields = {}) {
      const caller = { actor: tech, origin };
      const c = await openCase(domain, caller, {
        patient: { mrn: `M${randomBytes(6).toString('hex')}`, name: '测试', sex: 'M' },
        urgency: 'routine',
        clinicalQuestion: '复查',
        ...fields,
      });
      return submitCase(domain, caller, c.id);
    },
    router(options = {}) {
      const router = Router.start(routerOptions(options));
      routers.push(router);
      return router;
    },
    async stopRouters() {
      await Promise.all(routers.splice(0).map((r) => r.close()));
    },
    async close() {
      await Promise.all(routers.map((r) => r.close()));
      await db.pool.end();
      const redis = new Redis(redisUrl);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
      await database.drop();
    },
  };
}

/** Polls `check` until it answers something other than undefined, or fails after `timeoutMs`. */
export async function eventually<T>(
  check: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
