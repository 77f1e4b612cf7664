import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '@telemed/contracts';
import { tableDigests } from '@telemed/db';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let owner: string;
let admin: string;
let caseId: string;

// A valid body for every route that takes one, so the only reason to refuse is whose case it is.
function bodyFor(method: string, url: string, specialistId: string): object | undefined {
  if (method !== 'POST' && method !== 'PUT') return undefined;
  const tail = url.replace('/api/cases/:id/', '');
  const bodies: Record<string, object | undefined> = {
    submit: undefined,
    claim: undefined,
    'start-review': undefined,
    assign: { specialistId },
    cancel: { reason: '测试' },
    reassign: { reason: '测试' },
    release: { reason: '测试' },
    reports: { kind: 'preliminary', findings: '未见异常。', impression: '正常。' },
    comments: { body: '你好' },
    'second-opinion': { specialistId, question: '请会诊' },
    'second-opinion/opinion': { opinion: '同意' },
    'second-opinion/withdraw': undefined,
    'image-quality': { score: 3 },
    'critical-acknowledgement': { method: 'phone' },
    annotations: { version: 0, annotations: [] },
  };
  if (!(tail in bodies)) throw new Error(`no test body for ${method} ${url}: add one so the route is walked`);
  return bodies[tail];
}

beforeAll(async () => {
  t = await startTestApp();
  owner = await t.login('wangjianguo');
  admin = await t.login('admin');
  const created = await t.as(owner, {
    method: 'POST',
    url: '/api/cases',
    payload: {
      patient: { mrn: 'QC-ISO-1', name: '李四', sex: 'F', birthDate: '1972-09-30' },
      urgency: 'routine',
      clinicalQuestion: '咳嗽两周，胸片示右下肺阴影',
      modality: 'CT',
    },
  });
  caseId = created.json<Case>().id;
  await t.as(owner, { method: 'POST', url: `/api/cases/${caseId}/submit` });
  await t.as(admin, {
    method: 'POST',
    url: `/api/cases/${caseId}/assign`,
    payload: { specialistId: await t.userId('liming') },
  });
});
afterAll(async () => {
  await t.close();
});

describe('a case of another hospital does not exist for you', () => {
  const outsiders = [
    ['a technician of another county hospital', 'zhangwei'],
    ['a specialist of another city hospital', 'zhengqiang'],
    ['a specialist of another department of the same city hospital', 'sunli'],
  ] as const;

  it('walks every case route that names a case', () => {
    const caseRoutes = t.routes.filter((r) => r.url.startsWith('/api/cases/:id'));
    expect(caseRoutes.length).toBeGreaterThanOrEqual(12);
  });

  for (const [who, username] of outsiders) {
    it(`${who}: 404 on every case route, nothing changed, each refusal audited`, async () => {
      const token = await t.login(username);
      const specialistId = await t.userId(username === 'zhangwei' ? 'liming' : username);
      const before = await tableDigests(t.db.pool);
      const routes = t.routes.filter((r) => r.url.startsWith('/api/cases/:id') && r.method !== 'HEAD');
      for (const route of routes) {
        const payload = bodyFor(route.method, route.url, specialistId);
        const res = await t.as(token, {
          method: route.method,
          url: route.url.replace(':id', caseId),
          ...(payload ? { payload } : {}),
        });
        expect(res.statusCode, `${route.method} ${route.url}: ${res.body}`).toBe(404);
        expect(res.json<{ detail: string }>().detail).not.toContain('李四');
      }
      const after = await tableDigests(t.db.pool);
      expect({ ...after, audit_events: '' }).toEqual({ ...before, audit_events: '' });
      const audit = await t.as(admin, {
        method: 'GET',
        url: `/api/admin/audit?resourceId=${caseId}&actorId=${await t.userId(username)}&limit=200`,
      });
      const outcomes = audit.json<{ items: { outcome: string }[] }>().items.map((e) => e.outcome);
      expect(outcomes.length).toBe(routes.length);
      expect(new Set(outcomes)).toEqual(new Set(['not_found']));
    });

    it(`${who}: the list never shows it, whatever the filters`, async () => {
      const token = await t.login(username);
      const hospitals = await t.as(admin, { method: 'GET', url: '/api/hospitals' });
      const qingchuan = hospitals
        .json<{ id: string; name: string }[]>()
        .find((h) => h.name === '青川县人民医院');
      for (const query of [
        '',
        `?hospitalId=${qingchuan?.id}`,
        '?state=assigned',
        '?urgency=routine&limit=200',
      ]) {
        const res = await t.as(token, { method: 'GET', url: `/api/cases${query}` });
        expect(res.statusCode).toBe(200);
        expect(res.json<{ items: Case[] }>().items.map((c) => c.id)).not.toContain(caseId);
      }
    });
  }

  it('the owner, the department and the admin do see it', async () => {
    for (const username of ['wangjianguo', 'liming', 'chenjing', 'admin']) {
      const token = await t.login(username);
      expect((await t.as(token, { method: 'GET', url: `/api/cases/${caseId}` })).statusCode).toBe(200);
      const list = await t.as(token, { method: 'GET', url: '/api/cases' });
      expect(list.json<{ items: Case[] }>().items.map((c) => c.id)).toContain(caseId);
    }
  });

  it('a technician cannot open a case in another hospital’s department', async () => {
    const depts = await t.as(admin, { method: 'GET', url: '/api/departments' });
    const me = await t.as(owner, { method: 'GET', url: '/api/me' });
    const foreign = depts
      .json<{ id: string; hospitalId: string }[]>()
      .find((d) => d.hospitalId !== me.json<{ hospitalId: string }>().hospitalId);
    const before = await tableDigests(t.db.pool);
    const res = await t.as(owner, {
      method: 'POST',
      url: '/api/cases',
      payload: {
        patient: { mrn: 'X1', name: '王五', sex: 'M' },
        urgency: 'stat',
        clinicalQuestion: '外伤',
        requestingDepartmentId: foreign?.id,
      },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('requestingDepartmentId');
    expect({ ...(await tableDigests(t.db.pool)), audit_events: '' }).toEqual({ ...before, audit_events: '' });
  });
});
