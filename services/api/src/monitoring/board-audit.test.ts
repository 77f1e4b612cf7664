import type { InjectOptions } from 'fastify';
import { QUEUES } from '@telemed/contracts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_REDIS_URL, type TestApp } from '../test/test-app.js';

let t: TestApp;
let redis: Redis;
let sla: Queue;
const headers: Record<'admin' | 'specialist' | 'nobody', Record<string, string>> = {
  admin: {},
  specialist: {},
  nobody: {},
};

interface StoredEvent {
  action: string;
  resource_type: string;
  resource_id: string | null;
  outcome: string;
  actor_username: string;
  details: Record<string, unknown>;
}

beforeAll(async () => {
  t = await startTestApp();
  headers.admin = { authorization: `Bearer ${await t.login('admin')}` };
  headers.specialist = { authorization: `Bearer ${await t.login('liming')}` };
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  sla = new Queue(QUEUES.sla, { connection: redis, prefix: `${t.config.REDIS_KEY_PREFIX}bull` });
  // Delayed far enough that nothing runs them while the test looks.
  for (const jobId of ['audit-promote', 'audit-clean', 'audit-refused']) {
    await sla.add('check', { caseId: jobId }, { jobId, delay: 3_600_000 });
  }
});
afterAll(async () => {
  await sla.close();
  await redis.quit();
  await t.close();
});

async function eventsOf(
  who: keyof typeof headers,
  request: InjectOptions,
): Promise<{ status: number; events: StoredEvent[] }> {
  const { rows: before } = await t.db.pool.query<{ last: string }>(
    'SELECT coalesce(max(id), 0)::text AS last FROM audit_events',
  );
  const res = await t.app.inject({ ...request, headers: { ...request.headers, ...headers[who] } });
  const { rows: events } = await t.db.pool.query<StoredEvent>(
    `SELECT action, resource_type, resource_id, outcome, actor_username, details
     FROM audit_events WHERE id > $1 ORDER BY id`,
    [before[0]?.last ?? '0'],
  );
  return { status: res.statusCode, events };
}

const board = '/admin/queues/api/queues';

const cases: {
  name: string;
  who: keyof typeof headers;
  request: InjectOptions;
  status: number;
  event: Partial<StoredEvent>;
}[] = [
  {
    name: 'promotes a delayed job',
    who: 'admin',
    request: { method: 'PUT', url: `${board}/sla/audit-promote/promote` },
    status: 204,
    event: {
      action: 'queue.job.promote',
      resource_type: 'job',
      resource_id: 'sla/audit-promote',
      outcome: 'success',
      actor_username: 'admin',
      details: { queue: 'sla', jobId: 'audit-promote' },
    },
  },
  {
    name: 'removes a job',
    who: 'admin',
    request: { method: 'PUT', url: `${board}/sla/audit-clean/clean` },
    status: 204,
    event: { action: 'queue.job.clean', resource_id: 'sla/audit-clean', outcome: 'success' },
  },
  {
    name: 'retries the failed jobs of a queue',
    who: 'admin',
    request: { method: 'PUT', url: `${board}/sla/retry/failed` },
    status: 200,
    event: {
      action: 'queue.retry',
      resource_type: 'queue',
      resource_id: 'sla',
      outcome: 'success',
      details: { queue: 'sla', status: 'failed' },
    },
  },
  {
    name: 'cleans the completed jobs of a queue',
    who: 'admin',
    request: { method: 'PUT', url: `${board}/sla/clean/completed` },
    status: 200,
    event: { action: 'queue.clean', resource_id: 'sla', details: { queue: 'sla', status: 'completed' } },
  },
  {
    name: 'retries a job that does not exist',
    who: 'admin',
    request: { method: 'PUT', url: `${board}/sla/no-such-job/retry` },
    status: 404,
    event: { action: 'queue.job.retry', resource_id: 'sla/no-such-job', outcome: 'not_found' },
  },
  {
    name: 'is refused a job action as a specialist',
    who: 'specialist',
    request: { method: 'PUT', url: `${board}/sla/audit-refused/promote` },
    status: 403,
    event: {
      action: 'queue.job.promote',
      resource_id: 'sla/audit-refused',
      outcome: 'denied',
      actor_username: 'liming',
    },
  },
  {
    name: 'is refused a job action without signing in',
    who: 'nobody',
    request: { method: 'PUT', url: `${board}/sla/audit-refused/clean` },
    status: 401,
    event: { action: 'queue.job.clean', outcome: 'denied', actor_username: '' },
  },
];

describe('Bull Board', () => {
  it.each(cases)('leaves an audit event when one $name', async ({ who, request, status, event }) => {
    const res = await eventsOf(who, request);
    expect(res.status).toBe(status);
    expect(res.events).toEqual([expect.objectContaining(event)]);
  });

  it('leaves the job a refused action aimed at as it was', async () => {
    expect(await (await sla.getJob('audit-refused'))?.getState()).toBe('delayed');
    expect(await (await sla.getJob('audit-promote'))?.getState()).toBe('waiting');
  });

  it('records no event for looking at the queues', async () => {
    const res = await eventsOf('admin', { method: 'GET', url: board });
    expect(res.status).toBe(200);
    expect(res.events).toEqual([]);
  });
});
