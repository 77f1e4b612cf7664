import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CASE_ACTIONS,
  CASE_STATES,
  CASE_TRANSITIONS,
  nextState,
  type Case,
  type CaseAction,
  type CaseState,
} from '@telemed/contracts';
import { tableDigests } from '@telemed/db';
import { startTestApp, type TestApp } from '../test/test-app.js';

// The cast: a technician in 青川, whose radiology partners with 南州市中心医院 radiology, where 李明 and 陈静 read.
let t: TestApp;
let tech: string;
let admin: string;
let liming: string;
let chenjing: string;
let limingId: string;
let chenjingId: string;

beforeAll(async () => {
  t = await startTestApp();
  [tech, admin, liming, chenjing] = (await Promise.all(
    ['wangjianguo', 'admin', 'liming', 'chenjing'].map((u) => t.login(u)),
  )) as [string, string, string, string];
  limingId = await t.userId('liming');
  chenjingId = await t.userId('chenjing');
});
afterAll(async () => {
  await t.close();
});

const newCase = {
  patient: { mrn: 'QC-TR-1', name: '张三', sex: 'M', birthDate: '1958-04-12' },
  urgency: 'urgent',
  clinicalQuestion: '头痛三天，排除脑出血',
  modality: 'CT',
  bodyPart: 'HEAD',
};

async function create(): Promise<Case> {
  const res = await t.as(tech, { method: 'POST', url: '/api/cases', payload: newCase });
  expect(res.statusCode).toBe(201);
  return res.json<Case>();
}

/** The request that performs `action`, sent by someone allowed to take it. */
function request(action: CaseAction, id: string): { token: string; url: string; payload?: object } {
  const report = (kind: string) => ({
    token: liming,
    url: `/api/cases/${id}/reports`,
    payload: {
      kind,
      findings: '右侧基底节区见片状高密度影。',
      impression: '右侧基底节区脑出血。',
      ...(kind === 'addendum' ? { reason: '补充测量血肿体积' } : {}),
    },
  });
  switch (action) {
    case 'submit':
      return { token: tech, url: `/api/cases/${id}/submit` };
    case 'assign':
      return { token: admin, url: `/api/cases/${id}/assign`, payload: { specialistId: limingId } };
    case 'claim':
      return { token: chenjing, url: `/api/cases/${id}/claim` };
    case 'start_review':
      return { token: liming, url: `/api/cases/${id}/start-review` };
    case 'preliminary':
      return report('preliminary');
    case 'finalize':
      return report('final');
    case 'addendum':
      return report('addendum');
    case 'release':
      return { token: liming, url: `/api/cases/${id}/release`, payload: { reason: '需要神经放射专科会诊' } };
    case 'reassign':
      return { token: admin, url: `/api/cases/${id}/reassign`, payload: { reason: '医生临时外出' } };
    case 'cancel':
      return { token: tech, url: `/api/cases/${id}/cancel`, payload: { reason: '患者转院' } };
  }
}

async function act(action: CaseAction, id: string, token?: string) {
  const r = request(action, id);
  return t.as(token ?? r.token, { method: 'POST', url: r.url, ...(r.payload ? { payload: r.payload } : {}) });
}

// How to bring a fresh case into each state.
const PATH: Record<CaseState, CaseAction[]> = {
  draft: [],
  submitted: ['submit'],
  assigned: ['submit', 'assign'],
  in_review: ['submit', 'assign', 'start_review'],
  preliminary: ['submit', 'assign', 'start_review', 'preliminary'],
  final: ['submit', 'assign', 'start_review', 'finalize'],
  cancelled: ['cancel'],
};

async function caseIn(state: CaseState): Promise<Case> {
  const c = await create();
  for (const action of PATH[state]) {
    const res = await act(action, c.id);
    expect(res.statusCode, `${action}: ${res.body}`).toBe(200);
  }
  const res = await t.as(admin, { method: 'GET', url: `/api/cases/${c.id}` });
  expect(res.json<Case>().state).toBe(state);
  return res.json<Case>();
}

async function historyOf(id: string) {
  const res = await t.as(admin, { method: 'GET', url: `/api/cases/${id}/history` });
  return res.json<{ action: string; fromState: string | null; toState: string; reason: string }[]>();
}

async function auditOf(id: string, action: string) {
  const res = await t.as(admin, { method: 'GET', url: `/api/admin/audit?resourceId=${id}&action=${action}` });
  return res.json<{ items: { outcome: string; actorUsername: string; details: Record<string, unknown> }[] }>()
    .items;
}

describe('the case state machine', () => {
  for (const state of CASE_STATES) {
    for (const action of CASE_ACTIONS) {
      const to = nextState(state, action);
      if (to) {
        it(`${action} takes a ${state} case to ${to}, with its history row and audit event`, async () => {
          const c = await caseIn(state);
          const before = await historyOf(c.id);
          const res = await act(action, c.id);
          expect(res.statusCode, res.body).toBe(200);
          expect(res.json<Case>().state).toBe(to);
          const after = await historyOf(c.id);
          expect(after).toHaveLength(before.length + 1);
          expect(after.at(-1)).toMatchObject({ action, fromState: state, toState: to });
          const events = await auditOf(c.id, `case.${action}`);
          expect(events).toHaveLength(1);
          expect(events[0]).toMatchObject({ outcome: 'success', details: { from: state, to } });
        });
      } else {
        it(`${action} on a ${state} case answers 409 and changes nothing`, async () => {
          const c = await caseIn(state);
          const before = await tableDigests(t.db.pool);
          // the technician sees the case in every state, so the refusal is about the state, not about them
          const res = await act(action, c.id, tech);
          expect(res.statusCode, res.body).toBe(409);
          // a final report is locked: changing it is refused as such, with the addendum to write instead
          const locked = state === 'final' && (action === 'preliminary' || action === 'finalize');
          expect(res.json()).toMatchObject(
            locked
              ? { code: 'illegal_transition', reason: 'final_report_locked' }
              : {
                  code: 'illegal_transition',
                  reason: 'not_in_this_state',
                  params: { action, state, allowed: [...CASE_TRANSITIONS[action].from] },
                },
          );
          expect(res.json<{ detail: string }>().detail).toContain(`a case that is ${state}`);
          const after = await tableDigests(t.db.pool);
          expect({ ...after, audit_events: '' }).toEqual({ ...before, audit_events: '' });
          const route = ['preliminary', 'finalize', 'addendum'].includes(action) ? 'report' : action;
          const events = await auditOf(c.id, `case.${route}`);
          // newest first: the refused attempt is recorded as a conflict
          expect(events[0]).toMatchObject({ outcome: 'conflict', actorUsername: 'wangjianguo' });
          expect(events.filter((e) => e.outcome === 'conflict')).toHaveLength(1);
        });
      }
    }
  }
});

describe('who may act', () => {
  it('stamps each step and keeps every report version', async () => {
    const c = await caseIn('final');
    expect(c.submittedAt).not.toBeNull();
    expect(c.assignedAt).not.toBeNull();
    expect(c.reviewStartedAt).not.toBeNull();
    expect(c.finalizedAt).not.toBeNull();
    expect(c.assignedSpecialistName).toBe('李明');
    expect((await act('addendum', c.id)).statusCode).toBe(200);
    const reports = await t.as(tech, { method: 'GET', url: `/api/cases/${c.id}/reports` });
    expect(reports.json<{ version: number; kind: string }[]>().map((r) => [r.version, r.kind])).toEqual([
      [1, 'final'],
      [2, 'addendum'],
    ]);
  });

  it('sends a submitted case to the partnered city department', async () => {
    const c = await caseIn('submitted');
    const depts = await t.as(admin, { method: 'GET', url: '/api/departments' });
    const target = depts.json<{ id: string; name: string }[]>().find((d) => d.id === c.targetDepartmentId);
    expect(target?.name).toBe('放射科');
    const hospitals = await t.as(admin, { method: 'GET', url: '/api/hospitals' });
    const central = hospitals.json<{ id: string; name: string }[]>().find((h) => h.name === '南州市中心医院');
    const deptHospital = depts
      .json<{ id: string; hospitalId: string }[]>()
      .find((d) => d.id === c.targetDepartmentId);
    expect(deptHospital?.hospitalId).toBe(central?.id);
  });

  it('refuses actions to the wrong people with 403, and hides cases from other departments with 404', async () => {
    const assigned = await caseIn('assigned');
    expect((await act('assign', (await caseIn('submitted')).id, tech)).statusCode).toBe(403);
    expect((await act('start_review', assigned.id, chenjing)).statusCode).toBe(403);
    expect((await act('start_review', assigned.id, tech)).statusCode).toBe(403);
    const otherCity = await t.login('zhengqiang');
    expect((await act('start_review', assigned.id, otherCity)).statusCode).toBe(404);
    const draft = await create();
    expect((await t.as(liming, { method: 'GET', url: `/api/cases/${draft.id}` })).statusCode).toBe(404);
    const adminCreate = await t.as(admin, { method: 'POST', url: '/api/cases', payload: newCase });
    expect(adminCreate.statusCode).toBe(403);
  });

  it('reassigns straight to another specialist, through the pool, in two history rows', async () => {
    const c = await caseIn('in_review');
    const res = await t.as(admin, {
      method: 'POST',
      url: `/api/cases/${c.id}/reassign`,
      payload: { reason: '李明休假', specialistId: chenjingId },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Case>()).toMatchObject({
      state: 'assigned',
      assignedSpecialistId: chenjingId,
      reviewStartedAt: null,
    });
    const history = await historyOf(c.id);
    expect(history.slice(-2).map((h) => [h.action, h.toState, h.reason])).toEqual([
      ['reassign', 'submitted', '李明休假'],
      ['assign', 'assigned', '李明休假'],
    ]);
  });

  it('lets the assigned specialist hand a case back to the pool', async () => {
    const c = await caseIn('assigned');
    const res = await t.as(liming, {
      method: 'POST',
      url: `/api/cases/${c.id}/reassign`,
      payload: { reason: '不熟悉该部位' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json<Case>()).toMatchObject({ state: 'submitted', assignedSpecialistId: null });
  });

  it('two specialists claiming at once: exactly one wins', async () => {
    const c = await caseIn('submitted');
    const [a, b] = await Promise.all([
      t.as(liming, { method: 'POST', url: `/api/cases/${c.id}/claim` }),
      t.as(chenjing, { method: 'POST', url: `/api/cases/${c.id}/claim` }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const winner = a.statusCode === 200 ? limingId : chenjingId;
    const now = await t.as(admin, { method: 'GET', url: `/api/cases/${c.id}` });
    expect(now.json<Case>().assignedSpecialistId).toBe(winner);
    expect((await historyOf(c.id)).filter((h) => h.action === 'claim')).toHaveLength(1);
  });

  it('a specialist of another department cannot claim', async () => {
    const c = await caseIn('submitted');
    const other = await t.login('zhengqiang');
    expect((await t.as(other, { method: 'POST', url: `/api/cases/${c.id}/claim` })).statusCode).toBe(404);
  });

  it('submitting from a department without a partner says what to do', async () => {
    const depts = await t.as(admin, { method: 'GET', url: '/api/departments' });
    const yunxiUs = await t.login('lina');
    const partnerships = await t.as(admin, { method: 'GET', url: '/api/partnerships' });
    const me = await t.as(yunxiUs, { method: 'GET', url: '/api/me' });
    const deptId = me.json<{ departmentId: string }>().departmentId;
    const pairing = partnerships
      .json<{ id: string; countyDepartmentId: string }[]>()
      .filter((p) => p.countyDepartmentId === deptId);
    expect(pairing.length).toBeGreaterThan(0);
    expect(depts.statusCode).toBe(200);
    for (const p of pairing) {
      await t.as(admin, { method: 'PATCH', url: `/api/partnerships/${p.id}`, payload: { active: false } });
    }
    const c = await t.as(yunxiUs, {
      method: 'POST',
      url: '/api/cases',
      payload: { ...newCase, modality: 'US' },
    });
    const res = await t.as(yunxiUs, { method: 'POST', url: `/api/cases/${c.json<Case>().id}/submit` });
    expect(res.statusCode).toBe(409);
    expect(res.json<{ detail: string }>().detail).toMatch(/partnership/);
    for (const p of pairing) {
      await t.as(admin, { method: 'PATCH', url: `/api/partnerships/${p.id}`, payload: { active: true } });
    }
    expect(
      (await t.as(yunxiUs, { method: 'POST', url: `/api/cases/${c.json<Case>().id}/submit` })).statusCode,
    ).toBe(200);
  });

  it('keeps a comment thread both sides can read', async () => {
    const c = await caseIn('assigned');
    const posted = await t.as(tech, {
      method: 'POST',
      url: `/api/cases/${c.id}/comments`,
      payload: { body: '患者有高血压病史' },
    });
    expect(posted.statusCode).toBe(201);
    await t.as(liming, {
      method: 'POST',
      url: `/api/cases/${c.id}/comments`,
      payload: { body: '请补充增强扫描' },
    });
    const thread = await t.as(liming, { method: 'GET', url: `/api/cases/${c.id}/comments` });
    expect(thread.json<{ body: string; authorName: string }[]>().map((m) => [m.authorName, m.body])).toEqual([
      ['王建国', '患者有高血压病史'],
      ['李明', '请补充增强扫描'],
    ]);
  });
});
