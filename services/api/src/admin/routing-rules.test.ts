import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, Case, Department, Hospital, RoutingRule } from '@telemed/contracts';
import { tableDigests } from '@telemed/db';
import { decideRouting } from '@telemed/domain';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let admin: string;

beforeAll(async () => {
  t = await startTestApp();
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});

describe('routing rules', () => {
  it('come seeded as data, in the order they are tried, for administrators only', async () => {
    const res = await t.as(admin, { method: 'GET', url: '/api/routing-rules' });
    const rules = res.json<RoutingRule[]>();
    expect(rules.map((r) => r.subspecialty)).toEqual([
      'ultrasound',
      'neuro',
      'chest',
      'cardiac',
      'abdomen',
      'msk',
    ]);
    const tech = await t.login('wangjianguo');
    expect((await t.as(tech, { method: 'GET', url: '/api/routing-rules' })).statusCode).toBe(403);
  });

  it('route a submitted head CT of 青川 to an on-duty neuro specialist of its partnered department', async () => {
    const tech = await t.login('wangjianguo');
    const created = await t.as(tech, {
      method: 'POST',
      url: '/api/cases',
      payload: {
        patient: { mrn: 'QC-R-1', name: '冯一', sex: 'M' },
        urgency: 'stat',
        clinicalQuestion: '突发意识障碍',
        modality: 'CT',
        bodyPart: 'HEAD',
      },
    });
    const c = created.json<Case>();
    await t.as(tech, { method: 'POST', url: `/api/cases/${c.id}/submit` });
    const decision = await decideRouting(t.db, c.id, new Date());
    const users = await t.db.users.list({ role: 'specialist' });
    const chosen = users.find((u) => u.id === decision?.specialistId);
    expect(decision?.ruleName).toBe('头颈部 → 神经影像');
    expect(chosen?.subspecialties).toContain('neuro');
    expect(chosen?.departmentId).toBe(decision?.departmentId);
  });

  it('are created, changed and retired by an administrator, with every bad field named', async () => {
    const hospitals = (await t.as(admin, { method: 'GET', url: '/api/hospitals' })).json<Hospital[]>();
    const depts = (await t.as(admin, { method: 'GET', url: '/api/departments' })).json<Department[]>();
    const second = hospitals.find((h) => h.code === 'NZMU-2');
    const target = depts.find((d) => d.hospitalId === second?.id && d.code === 'RAD');
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/routing-rules',
      payload: {
        name: '夜间急诊 → 附二院',
        priority: 5,
        urgencies: ['stat'],
        fromMinute: 22 * 60,
        toMinute: 6 * 60,
        targetDepartmentId: target?.id,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const rule = created.json<RoutingRule>();
    expect(rule).toMatchObject({ active: true, subspecialty: null, urgencies: ['stat'] });
    const retired = await t.as(admin, {
      method: 'PATCH',
      url: `/api/routing-rules/${rule.id}`,
      payload: { active: false },
    });
    expect(retired.json<RoutingRule>().active).toBe(false);

    const before = await tableDigests(t.db.pool);
    const county = depts.find((d) => d.hospitalId === hospitals.find((h) => h.kind === 'county')?.id);
    const bad = await t.as(admin, {
      method: 'POST',
      url: '/api/routing-rules',
      payload: { name: '错误规则', fromMinute: 60, targetDepartmentId: county?.id },
    });
    expect(bad.statusCode).toBe(400);
    expect(
      bad
        .json<{ errors: { field: string }[] }>()
        .errors.map((e) => e.field)
        .sort(),
    ).toEqual(['targetDepartmentId', 'toMinute']);
    const wrongType = await t.as(admin, {
      method: 'POST',
      url: '/api/routing-rules',
      payload: { name: '错误规则', subspecialty: 'dermatology' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect({ ...(await tableDigests(t.db.pool)), audit_events: '' }).toEqual({ ...before, audit_events: '' });
    const missing = await t.as(admin, {
      method: 'PATCH',
      url: '/api/routing-rules/00000000-0000-4000-8000-000000000000',
      payload: { active: false },
    });
    expect(missing.statusCode).toBe(404);
  });

  it('are deleted by an administrator, the deletion recorded with the rule as it was', async () => {
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/routing-rules',
      payload: { name: '临时规则', modalities: ['MR'], subspecialty: 'neuro' },
    });
    const rule = created.json<RoutingRule>();
    const tech = await t.login('wangjianguo');
    const refused = await t.as(tech, { method: 'DELETE', url: `/api/routing-rules/${rule.id}` });
    expect(refused.statusCode).toBe(403);
    const deleted = await t.as(admin, { method: 'DELETE', url: `/api/routing-rules/${rule.id}` });
    expect(deleted.statusCode, deleted.body).toBe(204);
    const rules = (await t.as(admin, { method: 'GET', url: '/api/routing-rules' })).json<RoutingRule[]>();
    expect(rules.map((r) => r.id)).not.toContain(rule.id);
    const trail = await t.as(admin, {
      method: 'GET',
      url: `/api/admin/audit?resourceType=routing_rule&resourceId=${rule.id}`,
    });
    const events = trail.json<AuditPage>().items;
    expect(events.map((e) => [e.action, e.outcome])).toEqual([
      ['routing_rule.delete', 'success'],
      ['routing_rule.delete', 'denied'],
      ['routing_rule.create', 'success'],
    ]);
    expect(events[0]?.details).toMatchObject({ removed: { name: '临时规则', subspecialty: 'neuro' } });
    const again = await t.as(admin, { method: 'DELETE', url: `/api/routing-rules/${rule.id}` });
    expect(again.statusCode).toBe(404);
  });
});
