import type { AddressInfo } from 'node:net';
import { Emitter } from '@socket.io/redis-emitter';
import {
  QUEUES,
  SOCKET_EVENTS,
  userRoom,
  type Case,
  type CasePage,
  type ClientToServerEvents,
  type Hospital,
  type Notification,
  type QueueFigures,
  type RouteJob,
  type ServerToClientEvents,
  type SlaJob,
  type SpecialistChoice,
  type User,
} from '@telemed/contracts';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApp, TEST_REDIS_URL, type TestApp } from '../test/test-app.js';

let t: TestApp;
let tech: string;
let admin: string;
let liming: string;
let chenjing: string;
let redis: Redis;
let route: Queue<RouteJob>;
let sla: Queue<SlaJob>;
let base: string;

beforeAll(async () => {
  t = await startTestApp();
  [tech, admin, liming, chenjing] = (await Promise.all(
    ['wangjianguo', 'admin', 'liming', 'chenjing'].map((u) => t.login(u)),
  )) as [string, string, string, string];
  redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
  const prefix = `${t.config.REDIS_KEY_PREFIX}bull`;
  route = new Queue(QUEUES.route, { connection: redis, prefix });
  sla = new Queue(QUEUES.sla, { connection: redis, prefix });
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  base = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await Promise.all([route.close(), sla.close()]);
  await redis.quit();
  await t.close();
});

async function submitted(urgency = 'routine', bodyPart = 'HEAD'): Promise<Case> {
  const created = await t.as(tech, {
    method: 'POST',
    url: '/api/cases',
    payload: {
      patient: { mrn: `QC-Q-${Math.random()}`, name: '张三', sex: 'M' },
      urgency,
      clinicalQuestion: '头痛三天',
      modality: 'CT',
      bodyPart,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const res = await t.as(tech, { method: 'POST', url: `/api/cases/${created.json<Case>().id}/submit` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Case>();
}

type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

function socketFor(token: string): ClientSocket {
  return connect(base, { auth: { token }, transports: ['websocket'], reconnection: false });
}

describe('the api feeds the router', () => {
  it('queues the routing round of a submitted case, STAT first', async () => {
    const routine = await submitted('routine');
    const stat = await submitted('stat');
    expect(routine.routingDueAt).not.toBeNull();
    const job = await route.getJob(`route-${stat.id}-${Date.parse(stat.routingDueAt ?? '')}`);
    expect(job?.data).toMatchObject({ caseId: stat.id, dueAt: stat.routingDueAt });
    expect(job?.opts.priority).toBe(1);
    const other = await route.getJob(`route-${routine.id}-${Date.parse(routine.routingDueAt ?? '')}`);
    expect(other?.opts.priority).toBe(10);
  });

  it('sets the SLA timer of a claimed case from the hospital’s agreement, which an admin can change', async () => {
    const hospital = (await t.as(admin, { method: 'GET', url: '/api/hospitals' }))
      .json<Hospital[]>()
      .find((h) => h.code === 'QINGCHUAN');
    expect(hospital?.slaMinutes).toEqual({ stat: 30, urgent: 120, routine: 1440 });
    const patched = await t.as(admin, {
      method: 'PATCH',
      url: `/api/hospitals/${hospital?.id ?? ''}`,
      payload: { slaMinutes: { urgent: 90 } },
    });
    expect(patched.json<Hospital>().slaMinutes).toEqual({ stat: 30, urgent: 90, routine: 1440 });
    const bad = await t.as(admin, {
      method: 'PATCH',
      url: `/api/hospitals/${hospital?.id ?? ''}`,
      payload: { slaMinutes: { urgent: 0 } },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: unknown[] }>().errors).toEqual([
      { field: 'slaMinutes.urgent', message: 'must be >= 1', reason: 'too_small', params: { limit: 1 } },
    ]);

    const c = await submitted('urgent');
    const claimed = await t.as(liming, { method: 'POST', url: `/api/cases/${c.id}/claim` });
    const held = claimed.json<Case>();
    expect(Date.parse(held.slaDueAt ?? '') - Date.parse(held.assignedAt ?? '')).toBe(90 * 60_000);
    expect(held.routingDueAt).toBeNull();
    const timer = await sla.getJob(`sla-${c.id}-${Date.parse(held.slaDueAt ?? '')}`);
    expect(await timer?.getState()).toBe('delayed');

    // released to the pool: the router tries again after the colleagues' grace period, no SLA clock runs
    const released = await t.as(liming, {
      method: 'POST',
      url: `/api/cases/${c.id}/reassign`,
      payload: { reason: '需要神经外科会诊' },
    });
    const pooled = released.json<Case>();
    expect(pooled.slaDueAt).toBeNull();
    expect(Date.parse(pooled.routingDueAt ?? '') - Date.parse(pooled.updatedAt)).toBeGreaterThanOrEqual(
      5 * 60_000 - 1000,
    );
    const again = await route.getJob(`route-${c.id}-${Date.parse(pooled.routingDueAt ?? '')}`);
    expect(await again?.getState()).toBe('delayed');
  });

  it('orders a worklist STAT first, then by the SLA closest to running out, then oldest first', async () => {
    const routine = await submitted('routine', 'CHEST');
    const urgent = await submitted('urgent', 'CHEST');
    const stat = await submitted('stat', 'CHEST');
    const routineClaimed = await submitted('routine', 'CHEST');
    await t.as(chenjing, { method: 'POST', url: `/api/cases/${routineClaimed.id}/claim` });
    const list = await t.as(chenjing, {
      method: 'GET',
      url: '/api/cases?sort=worklist&state=submitted&state=assigned&urgency=routine&urgency=urgent&urgency=stat&limit=200',
    });
    const ids = list.json<CasePage>().items.map((c) => c.id);
    const mine = [stat.id, urgent.id, routineClaimed.id, routine.id];
    // the claimed routine case has an SLA clock, the pooled one none yet: the clock comes first
    expect(ids.filter((id) => mine.includes(id))).toEqual(mine);
    const paged = await t.as(chenjing, { method: 'GET', url: '/api/cases?sort=worklist&cursor=abc' });
    expect(paged.statusCode).toBe(400);
    expect(paged.json<{ detail: string }>().detail).toBe(
      'the worklist comes as one page: leave out cursor and raise limit (up to 200) to see more',
    );
  });

  it('lets an administrator set how many open cases the router gives a specialist', async () => {
    const id = await t.userId('liming');
    const set = await t.as(admin, { method: 'PATCH', url: `/api/users/${id}`, payload: { maxOpenCases: 3 } });
    expect(set.json<User>().maxOpenCases).toBe(3);
    const bad = await t.as(admin, { method: 'PATCH', url: `/api/users/${id}`, payload: { maxOpenCases: 0 } });
    expect(bad.json<{ errors: unknown[] }>().errors).toEqual([
      { field: 'maxOpenCases', message: 'must be >= 1', reason: 'too_small', params: { limit: 1 } },
    ]);
    const users = await t.as(admin, { method: 'GET', url: '/api/users' });
    expect(users.json<User[]>().find((u) => u.id === id)?.maxOpenCases).toBe(3);
  });
});

describe('notifications', () => {
  it('arrive live on the user’s socket from any process, and stay listed until read', async () => {
    const limingId = await t.userId('liming');
    const socket = socketFor(liming);
    let written: { id: string } | undefined;
    try {
      await new Promise<void>((resolve, reject) => {
        socket.on('connect', resolve);
        socket.on('connect_error', reject);
      });
      const received = new Promise<Notification>((r) => socket.on(SOCKET_EVENTS.notification, r));
      [written] = await t.db.notifications.add([
        {
          userId: limingId,
          caseId: null,
          kind: 'case.assigned',
          page: true,
          title: '新病例 急诊 STAT · CT HEAD',
          body: '头痛',
        },
      ]);
      // as the router does: publish on the adapter's channel from another process
      const publisher = new Redis(TEST_REDIS_URL);
      const note = await t.db.notifications.get(written?.id ?? '');
      if (!note) throw new Error('the notification was not written');
      new Emitter<ServerToClientEvents>(publisher, { key: `${t.config.REDIS_KEY_PREFIX}socket.io` })
        .to(userRoom(limingId))
        .emit(SOCKET_EVENTS.notification, note);
      expect(await received).toMatchObject({
        id: written?.id,
        page: true,
        title: '新病例 急诊 STAT · CT HEAD',
      });
      await publisher.quit();
    } finally {
      socket.close();
    }

    const unread = await t.as(liming, { method: 'GET', url: '/api/notifications?unread=true' });
    expect(unread.json<Notification[]>().map((n) => n.id)).toContain(written?.id);
    // someone else's notification is not found, and stays unread
    const other = await t.as(chenjing, {
      method: 'POST',
      url: `/api/notifications/${written?.id ?? ''}/read`,
    });
    expect(other.statusCode).toBe(404);
    const read = await t.as(liming, { method: 'POST', url: `/api/notifications/${written?.id ?? ''}/read` });
    expect(read.json<Notification>().readAt).not.toBeNull();
    const after = await t.as(liming, { method: 'GET', url: '/api/notifications?unread=true' });
    expect(after.json<Notification[]>().map((n) => n.id)).not.toContain(written?.id);
  });

  it('refuse a socket without a valid token, saying what to send', async () => {
    for (const [auth, message] of [
      [{}, /send auth: \{ token/],
      [{ token: 'not-a-jwt' }, /invalid or expired/],
    ] as const) {
      const socket: ClientSocket = connect(base, { auth, transports: ['websocket'], reconnection: false });
      const error = await new Promise<Error>((r) => socket.on('connect_error', r));
      expect(error.message).toMatch(message);
      socket.close();
    }
  });
});

describe('the admin queue view', () => {
  it('answers queue depth, backlog, SLA breaches and turnaround, to administrators only', async () => {
    const late = await submitted('stat', 'CHEST');
    await t.as(chenjing, { method: 'POST', url: `/api/cases/${late.id}/claim` });
    await t.db.pool.query("UPDATE cases SET sla_due_at = now() - interval '5 minutes' WHERE id = $1", [
      late.id,
    ]);

    expect((await t.as(liming, { method: 'GET', url: '/api/admin/queue' })).statusCode).toBe(403);
    const res = await t.as(admin, { method: 'GET', url: '/api/admin/queue' });
    expect(res.statusCode, res.body).toBe(200);
    const figures = res.json<QueueFigures>();
    expect(figures.queues.map((q) => q.queue).sort()).toEqual([
      'critical',
      'notify',
      'pool',
      'route',
      'sla',
      'study-stable',
    ]);
    // every queue's depth as BullMQ counts it (no router runs here: what the api queued is still there)
    for (const depth of figures.queues) {
      const queue = depth.queue === 'route' ? route : depth.queue === 'sla' ? sla : null;
      if (!queue) continue;
      const counts = await queue.getJobCounts();
      expect(depth).toEqual({
        queue: depth.queue,
        waiting: counts.waiting,
        prioritized: counts.prioritized,
        active: counts.active,
        delayed: counts.delayed,
        failed: counts.failed,
        completed: counts.completed,
      });
    }
    const routeDepth = figures.queues.find((q) => q.queue === 'route');
    expect((routeDepth?.prioritized ?? 0) + (routeDepth?.delayed ?? 0)).toBe(await route.count());
    // the case counts are the database's
    const { rows: states } = await t.db.pool.query<{ state: string; n: number }>(
      'SELECT state::text, count(*)::int AS n FROM cases GROUP BY state',
    );
    expect(figures.casesByState).toEqual(Object.fromEntries(states.map((r) => [r.state, r.n])));
    const qingchuan = figures.backlog.find((b) => b.hospitalName === '青川县人民医院');
    expect(qingchuan?.breached).toBe(1);
    expect(figures.breached).toEqual([
      expect.objectContaining({ caseId: late.id, urgency: 'stat', specialistName: '陈静', minutesLeft: -5 }),
    ]);
    // today's turnaround of 陈静's department: every case sent there today, the claimed ones with a time to assignment
    const { rows: sent } = await t.db.pool.query<{ department_id: string; n: number; assigned: number }>(
      `SELECT target_department_id AS department_id, count(*)::int AS n, count(assigned_at)::int AS assigned
       FROM cases WHERE target_department_id = (SELECT department_id FROM users WHERE username = 'chenjing')
       GROUP BY 1`,
    );
    const dept = figures.turnaround.find((d) => d.departmentId === sent[0]?.department_id);
    expect(dept?.cases).toBe(sent[0]?.n);
    expect(sent[0]?.assigned).toBeGreaterThan(0);
    expect(dept?.toAssignedP50).toBeGreaterThanOrEqual(0);
    expect(dept?.toFinalP50).toBeNull();
    expect(dept?.hospitalName).toBe('南州市中心医院');
    // throughput of the same department today: what it received, none of it reported yet
    const done = figures.throughput.find((d) => d.departmentId === sent[0]?.department_id);
    expect(done).toMatchObject({
      hospitalName: '南州市中心医院',
      received: sent[0]?.n,
      reported: 0,
      finalized: 0,
    });
    expect(done?.day).toBe(dept?.day);
  });

  it('names whom a case could go to now, and the administrator hands it to one of them', async () => {
    const c = await submitted('stat', 'CHEST');
    const held = (await t.as(chenjing, { method: 'POST', url: `/api/cases/${c.id}/claim` })).json<Case>();
    const url = `/api/admin/queue/cases/${c.id}/specialists`;
    expect((await t.as(liming, { method: 'GET', url })).statusCode).toBe(403);
    const unknown = await t.as(admin, {
      method: 'GET',
      url: '/api/admin/queue/cases/00000000-0000-4000-8000-000000000000/specialists',
    });
    expect(unknown.statusCode).toBe(404);
    const res = await t.as(admin, { method: 'GET', url });
    expect(res.statusCode, res.body).toBe(200);
    const choices = res.json<SpecialistChoice[]>();
    // the demo roster keeps someone on duty in each city radiology department, day and night
    expect(choices.length).toBeGreaterThan(0);
    expect(choices.map((s) => s.userId)).not.toContain(held.assignedSpecialistId);
    const departments = [...new Set(choices.map((s) => s.departmentName))];
    // the case's own department first, then the partnered one
    expect(departments).toEqual(['放射科', '医学影像科'].filter((d) => departments.includes(d)));
    for (const s of choices) expect(s.openCases).toBeLessThan(s.cap);
    // off the roster now: not offered
    await t.db.pool.query(
      "UPDATE roster_entries SET ends_at = now() - interval '1 minute' WHERE user_id = $1 AND starts_at <= now() AND ends_at > now()",
      [choices[0]?.userId],
    );
    const after = (await t.as(admin, { method: 'GET', url })).json<SpecialistChoice[]>();
    expect(after.map((s) => s.userId)).not.toContain(choices[0]?.userId);

    // handing on is the administrator's call, on duty or not
    const to = choices[0]?.userId ?? '';
    const moved = await t.as(admin, {
      method: 'POST',
      url: `/api/cases/${c.id}/reassign`,
      payload: { reason: '超时，管理员改派', specialistId: to },
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json<Case>().assignedSpecialistId).toBe(to);
  });

  it('reach connected administrators over socket.io', async () => {
    const socket = socketFor(admin);
    try {
      const figures = await new Promise<QueueFigures>((r) => socket.on(SOCKET_EVENTS.queueFigures, r));
      expect(figures.queues).toHaveLength(6);
    } finally {
      socket.close();
    }
  }, 15_000);

  it('mounts Bull Board under /admin/queues for administrators only', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/admin/queues' })).statusCode).toBe(401);
    const forbidden = await t.app.inject({ method: 'GET', url: `/admin/queues?access_token=${liming}` });
    expect(forbidden.statusCode).toBe(403);
    const page = await t.app.inject({ method: 'GET', url: `/admin/queues?access_token=${admin}` });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const cookie = String(page.headers['set-cookie']).split(';')[0] ?? '';
    expect(cookie).toMatch(/^telemed_board=/);
    // the board's own requests carry the cookie
    const api = await t.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: { cookie } });
    expect(api.statusCode).toBe(200);
    expect(
      api
        .json<{ queues: { name: string }[] }>()
        .queues.map((q) => q.name)
        .sort(),
    ).toEqual(['critical', 'notify', 'pool', 'route', 'sla', 'study-stable']);
  });
});
