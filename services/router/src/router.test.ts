import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import {
  QUEUES,
  SOCKET_EVENTS,
  departmentRoom,
  userRoom,
  type PoolChange,
  type Case,
  type ClientToServerEvents,
  type InterServerEvents,
  type Notification,
  type RouteJob,
  type ServerToClientEvents,
  type SocketData,
} from '@telemed/contracts';
import { ROUTER_ACTOR } from '@telemed/db';
import { caseHistory, claimCase, getCase } from '@telemed/domain';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Server } from 'socket.io';
import { io as connect, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { execRouteJob } from './queues/route.js';
import { createWorld, eventually, type World } from './test/world.js';

let w: World;

beforeAll(async () => {
  w = await createWorld();
});
afterAll(async () => {
  await w.close();
});
beforeEach(async () => {
  await w.stopRouters();
  // every test starts with nobody holding open work
  await w.db.pool.query(
    "UPDATE cases SET state = 'final', sla_due_at = NULL, routing_due_at = NULL WHERE state <> 'final'",
  );
  await w.db.pool.query('UPDATE users SET max_open_cases = 20');
});

async function caseRow(id: string): Promise<{
  state: string;
  assigned_specialist_id: string | null;
  assigned_at: Date | null;
  sla_due_at: Date | null;
  routing_due_at: Date | null;
}> {
  const { rows } = await w.db.pool.query(
    'SELECT state, assigned_specialist_id, assigned_at, sla_due_at, routing_due_at FROM cases WHERE id = $1',
    [id],
  );
  return rows[0] as never;
}

const assignedTo = async (id: string): Promise<string | undefined> =>
  (await caseRow(id)).assigned_specialist_id ?? undefined;

describe('the route queue', () => {
  it('assigns a submitted head CT to an on-duty neuro specialist, keeps the decision, pages nobody, sets the SLA timer', async () => {
    const router = w.router();
    const c = await w.submitted({ modality: 'CT', bodyPart: 'HEAD', clinicalQuestion: '头痛三天' });
    expect(await router.sweep()).toMatchObject({ routing: 1 });
    const specialist = await eventually(() => assignedTo(c.id), 'the assignment');
    // both neuro readers hold nothing: the tie goes by username
    expect(specialist).toBe(w.ids.neuro1);

    const seen = await getCase(w.domain, w.admin, c.id);
    expect(seen).toMatchObject({
      state: 'assigned',
      assignedSpecialistId: specialist,
      routingDueAt: null,
      routingDecision: { outcome: 'assigned', ruleName: '头颈部 → 神经', specialistId: specialist },
    });
    expect(seen.routingDecision?.reason).toMatch(/least open work .* reading neuro/);
    // routine: 24 h from assignment by the hospital's default agreement
    expect(Date.parse(seen.slaDueAt ?? '') - Date.parse(seen.assignedAt ?? '')).toBe(24 * 3_600_000);

    const history = await caseHistory(w.domain, w.admin, c.id);
    expect(history.at(-1)).toMatchObject({ action: 'assign', actorId: null, toState: 'assigned' });
    expect(history.at(-1)?.reason).toMatch(/^头颈部 → 神经: /);

    const [note] = await eventually(async () => {
      const list = await w.db.notifications.list(specialist, {});
      return list[0]?.deliveredAt ? list : undefined;
    }, 'the delivered notification');
    expect(note).toMatchObject({ kind: 'case.assigned', caseId: c.id, page: false, body: '头痛三天' });
    expect(note?.title).toBe('新病例 常规 · CT HEAD · COUNTY 医院');

    const sla = await router.context.queues.sla.getJob(`sla-${c.id}-${Date.parse(seen.slaDueAt ?? '')}`);
    expect(await sla?.getState()).toBe('delayed');
    const { rows } = await w.db.pool.query<{ actor_username: string; actor_role: string }>(
      "SELECT actor_username, actor_role FROM audit_events WHERE resource_id = $1 AND action = 'case.assign'",
      [c.id],
    );
    expect(rows).toEqual([{ actor_username: ROUTER_ACTOR.username, actor_role: 'system' }]);
  });

  it('spreads work by least open load, and never past a specialist’s cap, however many decide at once', async () => {
    await w.db.pool.query('UPDATE users SET max_open_cases = 2 WHERE id = ANY($1)', [
      [w.ids.neuro1, w.ids.neuro2, w.ids.chest1, w.ids.fallback],
    ]);
    const router = w.router({ workers: { concurrency: 8, lockDuration: 30_000, stalledInterval: 30_000 } });
    const cases: Case[] = [];
    for (let i = 0; i < 12; i++) cases.push(await w.submitted({ bodyPart: 'BRAIN' }));
    await router.sweep();
    const decided = await eventually(async () => {
      const all = await Promise.all(cases.map((c) => getCase(w.domain, w.admin, c.id)));
      return all.every((c) => c.routingDecision) ? all : undefined;
    }, 'twelve decisions');
    const count = (id: string | undefined): number =>
      decided.filter((c) => c.assignedSpecialistId === id).length;
    // eight places in all: the neuro readers first, then the fallback department, then anyone (chest1); the rest wait
    expect([count(w.ids.neuro1), count(w.ids.neuro2), count(w.ids.fallback), count(w.ids.chest1)]).toEqual([
      2, 2, 2, 2,
    ]);
    expect(decided.filter((c) => c.state === 'submitted')).toHaveLength(4);
  });

  it('takes STAT work first, whatever came before it', async () => {
    const queue = new Queue<RouteJob>(QUEUES.route, {
      connection: new Redis(w.redisUrl, { maxRetriesPerRequest: null }),
      prefix: `${w.prefix}bull`,
    });
    const routine: Case[] = [];
    for (let i = 0; i < 8; i++) routine.push(await w.submitted({ bodyPart: 'CHEST' }));
    const stat = await w.submitted({ bodyPart: 'CHEST', urgency: 'stat' });
    // queued in arrival order, the STAT case last, before any worker runs
    const { addRouteJob } = await import('./queues/route.js');
    for (const c of [...routine, stat]) {
      const [due] = await w.db.dispatch.dueForRouting(1, c.id);
      if (due) await addRouteJob(queue, due, 'test');
    }
    expect(await queue.getJobCountByTypes('prioritized', 'waiting')).toBe(9);
    w.router({ workers: { concurrency: 1, lockDuration: 30_000, stalledInterval: 30_000 } });
    await eventually(async () => {
      const rows = await Promise.all([...routine, stat].map((c) => caseRow(c.id)));
      return rows.every((r) => r.assigned_at) ? rows : undefined;
    }, 'nine assignments');
    const { rows } = await w.db.pool.query<{ id: string }>(
      'SELECT id FROM cases WHERE id = ANY($1) ORDER BY assigned_at, id',
      [[...routine, stat].map((c) => c.id)],
    );
    expect(rows[0]?.id).toBe(stat.id);
    const notes = await w.db.notifications.list((await assignedTo(stat.id)) ?? '', {});
    const page = notes.find((n) => n.caseId === stat.id);
    expect(page).toMatchObject({ kind: 'case.assigned', page: true });
    expect(notes.filter((n) => n.page).map((n) => n.caseId)).toEqual([stat.id]);
    expect(page?.title).toMatch(/^新病例 急诊 STAT · CHEST/);
    await queue.close();
    await (queue.opts.connection as Redis).quit();
  });

  it('routes a case once however many times its round is run at once', async () => {
    const router = w.router();
    const c = await w.submitted({ bodyPart: 'CHEST' });
    const [due] = await w.db.dispatch.dueForRouting(1, c.id);
    const job = { caseId: c.id, dueAt: due?.routingDueAt.toISOString() ?? '', requestId: 'test' };
    const outcomes = await Promise.all([1, 2, 3, 4].map(() => execRouteJob(router.context, job)));
    expect(outcomes.map((o) => o.outcome).sort()).toEqual(['assigned', 'skipped', 'skipped', 'skipped']);
    const history = await caseHistory(w.domain, w.admin, c.id);
    expect(history.filter((h) => h.action === 'assign')).toHaveLength(1);
  });

  it('never gives one case both to the router’s choice and to a specialist claiming it at that moment', async () => {
    const router = w.router();
    const claimer = { ...w.tech, userId: w.ids.chest1 ?? '', role: 'specialist' as const };
    claimer.departmentId = (await w.db.users.get(claimer.userId)).departmentId;
    for (let i = 0; i < 5; i++) {
      const c = await w.submitted({ bodyPart: 'HEAD' });
      const [due] = await w.db.dispatch.dueForRouting(1, c.id);
      const job = { caseId: c.id, dueAt: due?.routingDueAt.toISOString() ?? '', requestId: 'test' };
      const [routed, claimed] = await Promise.allSettled([
        execRouteJob(router.context, job),
        claimCase(
          w.domain,
          { actor: claimer, origin: { ip: '', userAgent: 'test', requestId: 'test' } },
          c.id,
        ),
      ]);
      const history = await caseHistory(w.domain, w.admin, c.id);
      expect(history.filter((h) => h.action === 'assign' || h.action === 'claim')).toHaveLength(1);
      const holder = await assignedTo(c.id);
      if (claimed.status === 'fulfilled') {
        expect(holder).toBe(w.ids.chest1);
        expect(routed).toMatchObject({ status: 'fulfilled', value: { outcome: 'skipped' } });
      } else {
        expect(String(claimed.reason)).toMatch(/cannot claim a case that is assigned/);
        expect(routed).toMatchObject({
          status: 'fulfilled',
          value: { outcome: 'assigned', specialistId: holder },
        });
      }
    }
  });

  it('leaves a case nobody can take in the pool, tells the department head once, and tries again', async () => {
    const router = w.router({ poolRetryMs: 300 });
    // everyone on duty has room for one case, and four cases fill them all
    await w.db.pool.query('UPDATE users SET max_open_cases = 1 WHERE id = ANY($1)', [
      [w.ids.neuro1, w.ids.neuro2, w.ids.chest1, w.ids.fallback],
    ]);
    const blockers: Case[] = [];
    for (let i = 0; i < 4; i++) blockers.push(await w.submitted({ bodyPart: 'HEAD' }));
    await router.sweep();
    await eventually(async () => {
      const all = await Promise.all(blockers.map((b) => assignedTo(b.id)));
      return all.every(Boolean) ? all : undefined;
    }, 'the four to fill every place');
    const c = await w.submitted({ bodyPart: 'HEAD', urgency: 'urgent' });
    await router.sweep();
    const pooled = await eventually(async () => {
      const seen = await getCase(w.domain, w.admin, c.id);
      return seen.routingDecision?.outcome === 'pool' ? seen : undefined;
    }, 'the pool decision');
    expect(pooled.state).toBe('submitted');
    // the neuro rule (partner, fallback), then the last resort (partner, fallback): nobody anywhere
    expect(pooled.routingDecision?.tried.map((t) => t.candidates.length)).toEqual([0, 0, 0, 0]);
    const headNotes = await w.db.notifications.list(w.ids.head1 ?? '', {});
    expect(headNotes.filter((n) => n.caseId === c.id).map((n) => n.kind)).toEqual(['case.pool']);

    // a place frees up; the next round (the sweep after the retry delay) assigns the case
    await w.db.pool.query("UPDATE cases SET state = 'final' WHERE id = $1", [blockers[0]?.id]);
    await new Promise((r) => setTimeout(r, 400));
    await router.sweep();
    expect(await eventually(() => assignedTo(c.id), 'the retry')).toBe(
      await assignedTo(blockers[0]?.id ?? ''),
    );
    // the head heard once, not on every retry
    const after = await w.db.notifications.list(w.ids.head1 ?? '', {});
    expect(after.filter((n) => n.caseId === c.id)).toHaveLength(1);
  });

  it('keeps a job with an invalid payload as failed, with its reason, without retrying it', async () => {
    const router = w.router();
    const job = await router.context.queues.route.add(
      QUEUES.route,
      { caseId: 'nope', dueAt: new Date().toISOString(), requestId: 'test' },
      { jobId: 'route-invalid' },
    );
    const failed = await eventually(async () => {
      const found = await router.context.queues.route.getJob(job.id ?? '');
      return (await found?.getState()) === 'failed' ? found : undefined;
    }, 'the failure');
    expect(failed.failedReason).toBe("invalid route job: /caseId Expected string to match 'uuid' format");
    expect(failed.attemptsMade).toBe(1);
  });
});

describe('the sla queue', () => {
  it('on a breach: records it, pages the head, reassigns to someone who never held the case', async () => {
    const router = w.router();
    const c = await w.submitted({ bodyPart: 'HEAD', urgency: 'stat' });
    await router.sweep();
    const first = await eventually(() => assignedTo(c.id), 'the assignment');
    const seen = await getCase(w.domain, w.admin, c.id);
    // STAT: 30 minutes by default
    expect(Date.parse(seen.slaDueAt ?? '') - Date.parse(seen.assignedAt ?? '')).toBe(30 * 60_000);

    await w.db.pool.query("UPDATE cases SET sla_due_at = date_trunc('milliseconds', now()) WHERE id = $1", [
      c.id,
    ]);
    expect(await router.sweep()).toMatchObject({ overdue: 1 });
    const second = await eventually(async () => {
      const now = await assignedTo(c.id);
      return now && now !== first ? now : undefined;
    }, 'the reassignment');
    expect([first, second]).toEqual([w.ids.neuro1, w.ids.neuro2]);

    const history = await caseHistory(w.domain, w.admin, c.id);
    expect(history.map((h) => h.action)).toEqual([
      'create',
      'submit',
      'assign',
      'sla_breach',
      'reassign',
      'assign',
    ]);
    expect(history[3]?.reason).toMatch(/^SLA breached: no report by /);
    const head = await w.db.notifications.list(w.ids.head1 ?? '', {});
    expect(head.find((n) => n.caseId === c.id)).toMatchObject({ kind: 'case.sla_breached', page: true });
    const away = await w.db.notifications.list(first, {});
    expect(away.find((n) => n.caseId === c.id && n.kind === 'case.reassigned_away')).toBeDefined();
    // the new assignment has its own 30 minutes
    const after = await getCase(w.domain, w.admin, c.id);
    expect(Date.parse(after.slaDueAt ?? '') - Date.parse(after.assignedAt ?? '')).toBe(30 * 60_000);
    expect(after.routingDecision?.excluded).toEqual([first]);
  });

  it('pages the administrators when the department has no head', async () => {
    await w.db.pool.query('UPDATE users SET is_department_head = false WHERE id = $1', [w.ids.head1]);
    try {
      const router = w.router();
      const c = await w.submitted({ bodyPart: 'CHEST', urgency: 'urgent' });
      await router.sweep();
      await eventually(() => assignedTo(c.id), 'the assignment');
      await w.db.pool.query("UPDATE cases SET sla_due_at = date_trunc('milliseconds', now()) WHERE id = $1", [
        c.id,
      ]);
      await router.sweep();
      const note = await eventually(
        async () =>
          (await w.db.notifications.list(w.ids.admin ?? '', {})).find(
            (n) => n.caseId === c.id && n.kind === 'case.sla_breached',
          ),
        'the administrator’s page',
      );
      expect(note.page).toBe(true);
    } finally {
      await w.db.pool.query('UPDATE users SET is_department_head = true WHERE id = $1', [w.ids.head1]);
    }
  });

  it('leaves alone a case reported in time, and a timer of an earlier assignment', async () => {
    const router = w.router();
    const c = await w.submitted({ bodyPart: 'CHEST' });
    await router.sweep();
    await eventually(() => assignedTo(c.id), 'the assignment');
    const { slaDueAt } = await getCase(w.domain, w.admin, c.id);
    const { execSlaJob } = await import('./queues/sla.js');
    const stale = await execSlaJob(router.context, {
      caseId: c.id,
      dueAt: new Date(Date.parse(slaDueAt ?? '') - 1000).toISOString(),
      requestId: 't',
    });
    expect(stale).toMatchObject({ outcome: 'skipped', reason: 'the case was assigned again since' });
    await w.db.pool.query(
      "UPDATE cases SET state = 'preliminary', sla_due_at = now() - interval '1 s' WHERE id = $1",
      [c.id],
    );
    expect(await router.sweep()).toMatchObject({ overdue: 0 });
    const history = await caseHistory(w.domain, w.admin, c.id);
    expect(history.map((h) => h.action)).not.toContain('sla_breach');
  });
});

describe('the notify queue', () => {
  it('reaches the user’s socket through the Redis adapter, whichever process holds the socket', async () => {
    const pub = new Redis(w.redisUrl);
    const sub = new Redis(w.redisUrl);
    const http = createServer();
    const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(http, {
      adapter: createAdapter(pub, sub, { key: `${w.prefix}socket.io` }),
    });
    io.on('connection', (socket) => {
      void socket.join(userRoom(String(socket.handshake.auth.userId)));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const { port } = http.address() as AddressInfo;
    const client: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`http://127.0.0.1:${port}`, {
      auth: { userId: w.ids.chest1 },
      transports: ['websocket'],
    });
    try {
      await new Promise<void>((r) => client.on('connect', r));
      const received = new Promise<Notification>((r) => client.on(SOCKET_EVENTS.notification, r));
      const router = w.router();
      const c = await w.submitted({ bodyPart: 'LUNG' });
      await router.sweep();
      const note = await received;
      expect(note).toMatchObject({ kind: 'case.assigned', caseId: c.id, userId: w.ids.chest1 });
      expect(note.deliveredAt).not.toBeNull();
    } finally {
      client.close();
      await io.close();
      await Promise.all([pub.quit(), sub.quit()]);
    }
  });
});

describe('the pool queue', () => {
  it("tells the department's specialists, through the Redis adapter, as a case enters and leaves their pool", async () => {
    const pub = new Redis(w.redisUrl);
    const sub = new Redis(w.redisUrl);
    const http = createServer();
    const io = new Server<ClientToServerEvents, ServerToClientEvents, InterServerEvents, SocketData>(http, {
      adapter: createAdapter(pub, sub, { key: `${w.prefix}socket.io` }),
    });
    io.on('connection', (socket) => {
      void socket.join(departmentRoom(String(socket.handshake.auth.departmentId)));
    });
    await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
    const { port } = http.address() as AddressInfo;
    const client: Socket<ServerToClientEvents, ClientToServerEvents> = connect(`http://127.0.0.1:${port}`, {
      auth: { departmentId: w.ids['CITY1/RAD'] },
      transports: ['websocket'],
    });
    try {
      await new Promise<void>((r) => client.on('connect', r));
      const heard: PoolChange[] = [];
      client.on(SOCKET_EVENTS.pool, (change) => heard.push(change));
      const router = w.router();
      const c = await w.submitted({ bodyPart: 'LUNG', urgency: 'stat' });
      // the api that submitted it stopped before relaying its outbox: the sweep relays the news
      await w.db.pool.query("UPDATE outbox SET created_at = created_at - interval '1 minute'");
      await router.sweep();
      // submitted into the pool, then routed out of it to the chest specialist
      const news = await eventually(() => {
        const mine = heard.filter((h) => h.caseId === c.id);
        return Promise.resolve(mine.length >= 2 ? mine : undefined);
      }, 'the pool news of the case');
      expect(news.map((h) => [h.state, h.urgency, h.departmentId])).toEqual([
        ['submitted', 'stat', w.ids['CITY1/RAD']],
        ['assigned', 'stat', w.ids['CITY1/RAD']],
      ]);
    } finally {
      client.close();
      await io.close();
      await Promise.all([pub.quit(), sub.quit()]);
    }
  });
});
