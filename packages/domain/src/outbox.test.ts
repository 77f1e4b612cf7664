import { randomBytes } from 'node:crypto';
import { QUEUES, type QueueName } from '@telemed/contracts';
import type { Actor, Database } from '@telemed/db';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { claimCase, openCase, submitCase } from './index.js';
import { relayOutbox } from './outbox-relay.js';
import type { Domain, JobSink } from './context.js';
import { createPartneredWorld, type PartneredWorld } from './test/partnered-world.js';

const REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
const origin = { ip: '127.0.0.1', userAgent: 'test', requestId: 'outbox-test' };
const prefix = `telemed-test:${randomBytes(4).toString('hex')}:bull`;

let world: PartneredWorld;
let db: Database;
let connection: Redis;
let queues: Record<string, Queue>;
let tech: Actor;
let specialist: Actor;

/** The real BullMQ producers, as the api relays to them. */
const bullSink: JobSink = {
  add: async (queue, payload, identity) => {
    await queues[queue]?.add(queue, payload, identity);
  },
};
/** Redis is away: every relay fails. */
const downSink: JobSink = { add: () => Promise.reject(new Error('connection refused')) };
const domainWith = (jobs: JobSink): Domain => ({ db, jobs, onRelayError: () => undefined });

beforeAll(async () => {
  world = await createPartneredWorld();
  db = world.db;
  ({ tech, reader: specialist } = world.people);
  connection = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
  queues = Object.fromEntries(
    Object.values(QUEUES).map((name: QueueName) => [name, new Queue(name, { connection, prefix })]),
  );
});
afterAll(async () => {
  await Promise.all(Object.values(queues).map((q) => q.obliterate({ force: true }).then(() => q.close())));
  await connection.quit();
  await world.close();
});

const pending = async (): Promise<{ queue: string; job_id: string }[]> =>
  (
    await db.pool.query<{ queue: string; job_id: string }>(
      'SELECT queue, job_id FROM outbox WHERE relayed_at IS NULL ORDER BY id',
    )
  ).rows;

async function draft(domain: Domain): Promise<string> {
  const c = await openCase(
    domain,
    { actor: tech, origin },
    {
      patient: { mrn: randomBytes(4).toString('hex'), name: '测试', sex: 'F' },
      urgency: 'stat',
      clinicalQuestion: '胸痛',
    },
  );
  return c.id;
}

describe('the outbox', () => {
  it('keeps the follow-up of a committed change when the queues are away, and the relay queues it later, once', async () => {
    const domain = domainWith(downSink);
    const id = await draft(domain);
    const submitted = await submitCase(domain, { actor: tech, origin }, id);
    expect(submitted.state).toBe('submitted');
    const dueAt = Date.parse(submitted.routingDueAt ?? '');
    // the news of the case entering the pool, and its routing round
    expect(await pending()).toEqual([
      { queue: 'pool', job_id: expect.stringMatching(/^pool-\d+$/) as string },
      { queue: 'route', job_id: `route-${id}-${dueAt}` },
    ]);

    expect(await relayOutbox(domainWith(bullSink), null)).toBe(2);
    expect(await pending()).toEqual([]);
    const job = await queues.route?.getJob(`route-${id}-${dueAt}`);
    expect(job?.data).toEqual({ caseId: id, dueAt: new Date(dueAt).toISOString(), requestId: 'outbox-test' });
    expect(job?.opts.priority).toBe(1);
    // relayed already: nothing more to send
    expect(await relayOutbox(domainWith(bullSink), null)).toBe(0);
  });

  it('relays at once after commit when it can, the SLA timer delayed until it is due', async () => {
    const domain = domainWith(bullSink);
    const id = await draft(domain);
    await submitCase(domain, { actor: tech, origin }, id);
    const claimed = await claimCase(domain, { actor: specialist, origin }, id);
    expect(await pending()).toEqual([]);
    const slaDue = Date.parse(claimed.slaDueAt ?? '');
    const timer = await queues.sla?.getJob(`sla-${id}-${slaDue}`);
    expect(timer?.data).toMatchObject({ caseId: id });
    expect(timer?.opts.delay).toBeGreaterThan(0);
  });

  it('writes nothing when the use case is refused', async () => {
    const domain = domainWith(downSink);
    const id = await draft(domain);
    const before = (await db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0] as { n: number };
    await expect(claimCase(domain, { actor: specialist, origin }, id)).rejects.toThrow(/not found/);
    await expect(submitCase(domain, { actor: specialist, origin }, id)).rejects.toThrow(/not found/);
    const after = (await db.pool.query('SELECT count(*)::int AS n FROM outbox')).rows[0] as { n: number };
    expect(after.n).toBe(before.n);
  });
});
