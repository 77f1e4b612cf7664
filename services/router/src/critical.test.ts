import type { Case, CriticalFinding, ReportCreate } from '@telemed/contracts';
import type { Actor } from '@telemed/db';
import {
  acknowledgeCriticalFinding,
  assignCase,
  caseHistory,
  escalateCriticalFinding,
  startReview,
  writeReport,
  type Caller,
  type Domain,
} from '@telemed/domain';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Router } from './router.js';
import { createWorld, eventually, type World } from './test/world.js';

// A critical finding in a county radiology case: its head (countyhead) hears first, then the administrators.
let w: World;
let reader: Actor;
const origin = { ip: '127.0.0.1', userAgent: 'test', requestId: 'test' };
const caller = (actor: Actor): Caller => ({ actor, origin });
const critical: ReportCreate = {
  kind: 'final',
  findings: '右侧颞顶部硬膜下见新月形高密度影，最厚约 12 mm，中线结构左移约 8 mm。',
  impression: '右侧急性硬膜下血肿伴中线移位，危急值。',
  critical: true,
};

beforeAll(async () => {
  w = await createWorld();
  const head = await w.db.seed.ensureUser({
    username: 'countyhead',
    displayName: '县放射科主任',
    passwordHash: () => Promise.resolve('x'),
    role: 'technician',
    hospitalId: w.ids.COUNTY ?? null,
    departmentId: w.ids['COUNTY/RAD'] ?? null,
    subspecialties: [],
    isDepartmentHead: true,
  });
  w.ids.countyhead = head.id;
  reader = {
    userId: w.ids.neuro1 ?? '',
    username: 'neuro1',
    displayName: 'neuro1',
    role: 'specialist',
    hospitalId: w.ids.CITY1 ?? null,
    departmentId: w.ids['CITY1/RAD'] ?? null,
    sessionId: '00000000-0000-4000-8000-000000000000',
  };
});
afterAll(async () => {
  await w.close();
});
beforeEach(async () => {
  await w.stopRouters();
});

/** How long the county hospital gives its radiology to acknowledge, before its head and the administrators hear. */
async function agree(headMinutes: number, adminMinutes: number): Promise<void> {
  await w.db.pool.query(
    'UPDATE hospitals SET critical_head_minutes = $2, critical_admin_minutes = $3 WHERE id = $1',
    [w.ids.COUNTY, headMinutes, adminMinutes],
  );
}

/**
 * A case the reader has finalised with a critical finding, written through `writer` (the router's own footing relays
 * the timer to the queue at once; the world's relays nothing, as an api that stopped right after committing).
 */
async function flagged(router: Router, writer: Domain): Promise<{ c: Case; finding: CriticalFinding }> {
  // the router sweeps only when told, so the case waits in the pool for the administrator
  const c = await w.submitted({ modality: 'CT', bodyPart: 'HEAD', clinicalQuestion: '外伤后头痛' });
  await assignCase(router.context.domain, caller(w.admin), c.id, reader.userId);
  await startReview(router.context.domain, caller(reader), c.id);
  await writeReport(writer, caller(reader), c.id, critical);
  const finding = await w.db.critical.openFor(c.id);
  if (!finding) throw new Error('the critical finding was not opened');
  return { c, finding };
}

const escalations = async (caseId: string): Promise<string[]> =>
  (await caseHistory(w.domain, w.admin, caseId))
    .filter((h) => h.action === 'critical_escalation')
    .map((h) => h.reason);

const pagesTo = async (userId: string, caseId: string): Promise<number> =>
  (await w.db.notifications.list(userId, { limit: 200 })).filter(
    (n) => n.caseId === caseId && n.kind === 'case.critical_escalated' && n.page,
  ).length;

describe('a critical finding nobody acknowledges', () => {
  it('is escalated to the county department head, then to the administrators, each in the history and audit', async () => {
    await agree(0.02, 0.04);
    const router = w.router({ sweepIntervalMs: 0 });
    const { c, finding } = await flagged(router, router.context.domain);

    const both = await eventually(async () => {
      const found = await escalations(c.id);
      return found.length === 2 ? found : undefined;
    }, 'both escalations');
    expect(both[0]).toContain('已通知科主任');
    expect(both[1]).toContain('已通知平台管理员');
    expect(await pagesTo(w.ids.countyhead ?? '', c.id)).toBe(1);
    expect(await pagesTo(w.admin.userId, c.id)).toBe(1);
    // the technician who asked was paged when it was flagged, not by the escalation
    expect(await pagesTo(w.tech.userId, c.id)).toBe(0);

    const after = await w.db.critical.openFor(c.id);
    expect(after?.headEscalatedAt).not.toBeNull();
    expect(after?.adminEscalatedAt).not.toBeNull();
    const { rows } = await w.db.pool.query<{ actor_role: string; stage: string }>(
      `SELECT actor_role, details->>'stage' AS stage FROM audit_events
       WHERE resource_id = $1 AND action = 'case.critical_escalation' ORDER BY id`,
      [c.id],
    );
    expect(rows).toEqual([
      { actor_role: 'system', stage: 'head' },
      { actor_role: 'system', stage: 'admin' },
    ]);
    // a timer that fires again (a retry, a sweep) changes nothing
    for (const stage of ['head', 'admin'] as const) {
      const again = await escalateCriticalFinding(router.context.domain, finding.id, stage, 'again');
      expect(again).toEqual({ outcome: 'skipped', reason: 'already escalated' });
    }
    expect(await escalations(c.id)).toHaveLength(2);
  });
});

describe('a critical finding acknowledged in time', () => {
  it('escalates to nobody: the timer fires, finds it acknowledged, and stops', async () => {
    await agree(0.05, 0.1);
    const router = w.router({ sweepIntervalMs: 0 });
    const { c, finding } = await flagged(router, router.context.domain);
    await acknowledgeCriticalFinding(router.context.domain, caller(w.tech), c.id, {
      method: 'phone',
      note: '已通知急诊科',
    });

    const jobId = `critical-${finding.id}-head`;
    expect(await router.context.queues.critical.getJob(jobId), 'the head stage timer was set').toBeDefined();
    const ran = await eventually(async () => {
      const job = await router.context.queues.critical.getJob(jobId);
      return (await job?.getState()) === 'completed' ? job : undefined;
    }, 'the head stage timer to fire');
    expect(ran.returnvalue).toEqual({ outcome: 'skipped', reason: 'acknowledged in time' });
    expect(await escalations(c.id)).toEqual([]);
    expect(await pagesTo(w.ids.countyhead ?? '', c.id)).toBe(0);
    expect(await router.context.queues.critical.getJob(`critical-${finding.id}-admin`)).toBeUndefined();
  });
});

describe('the sweep', () => {
  it('rebuilds an escalation timer Redis lost, from Postgres', async () => {
    await agree(0.02, 60);
    const router = w.router({ sweepIntervalMs: 0 });
    // written by an api whose relay never happened, and the outbox row marked relayed: the job is simply gone
    const { c, finding } = await flagged(router, w.domain);
    await w.db.pool.query(
      "UPDATE outbox SET relayed_at = now() WHERE queue = 'critical' AND relayed_at IS NULL",
    );
    expect(await router.context.queues.critical.getJob(`critical-${finding.id}-head`)).toBeUndefined();

    await eventually(
      async () => ((await w.db.critical.due(10)).some((d) => d.criticalId === finding.id) ? true : undefined),
      'the escalation to fall due',
    );
    const swept = await router.sweep();
    expect(swept.critical).toBeGreaterThanOrEqual(1);
    const found = await eventually(async () => {
      const list = await escalations(c.id);
      return list.length ? list : undefined;
    }, 'the rebuilt escalation');
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('已通知科主任');
    expect(await pagesTo(w.ids.countyhead ?? '', c.id)).toBe(1);
  });
});
