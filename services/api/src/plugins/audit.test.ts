import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent, Case } from '@telemed/contracts';
import { hideTable } from '@telemed/db';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let tech: string;
let admin: string;
let caseId: string;

beforeAll(async () => {
  t = await startTestApp();
  tech = await t.login('wangjianguo');
  admin = await t.login('admin');
  const res = await t.as(tech, {
    method: 'POST',
    url: '/api/cases',
    headers: { 'user-agent': 'county-workstation/1.0' },
    payload: {
      patient: { mrn: 'QC-AUD-1', name: '孙七', sex: 'F' },
      urgency: 'routine',
      clinicalQuestion: '甲状腺结节随访',
      modality: 'US',
    },
  });
  caseId = res.json<Case>().id;
});
afterAll(async () => {
  await t.close();
});

async function events(query: string): Promise<AuditEvent[]> {
  const res = await t.as(admin, { method: 'GET', url: `/api/admin/audit?${query}&limit=200` });
  expect(res.statusCode).toBe(200);
  return res.json<{ items: AuditEvent[] }>().items;
}

describe('the audit trail', () => {
  it('records the creation with who, from where and the hospital', async () => {
    const [created] = await events(`resourceId=${caseId}&action=case.create`);
    expect(created).toMatchObject({
      actorUsername: 'wangjianguo',
      actorRole: 'technician',
      outcome: 'success',
      resourceType: 'case',
      userAgent: 'county-workstation/1.0',
    });
    // injected requests come from 127.0.0.1; the case belongs to the technician's hospital
    expect(created?.ip).toBe('127.0.0.1');
    const me = await t.as(tech, { method: 'GET', url: '/api/me' });
    expect(created?.hospitalId).toBe(me.json<{ hospitalId: string }>().hospitalId);
    expect(Date.now() - Date.parse(created!.at)).toBeLessThan(60_000);
  });

  it('records every read of the case and its parts, before the response leaves', async () => {
    const reads = [
      ['', 'case.read'],
      ['/history', 'case.history.read'],
      ['/comments', 'case.comments.read'],
      ['/reports', 'case.reports.read'],
    ] as const;
    for (const [path, action] of reads) {
      const res = await t.as(tech, { method: 'GET', url: `/api/cases/${caseId}${path}` });
      expect(res.statusCode).toBe(200);
      // no waiting: the event is written before the response is sent
      const found = await events(`resourceId=${caseId}&action=${action}`);
      expect(found.map((e) => [e.actorUsername, e.outcome])).toEqual([['wangjianguo', 'success']]);
    }
  });

  it('records which cases a list showed', async () => {
    await t.as(tech, { method: 'GET', url: '/api/cases?urgency=routine' });
    const [listed] = await events(`action=case.list&actorId=${await t.userId('wangjianguo')}`);
    expect(listed?.details).toMatchObject({ caseIds: [caseId], filters: { urgency: ['routine'] } });
  });

  it('records refusals: another hospital reading the case is not_found', async () => {
    const outsider = await t.login('zhangwei');
    await t.as(outsider, { method: 'GET', url: `/api/cases/${caseId}` });
    const [refused] = await events(`resourceId=${caseId}&actorId=${await t.userId('zhangwei')}`);
    expect(refused).toMatchObject({ action: 'case.read', outcome: 'not_found', actorUsername: 'zhangwei' });
  });

  it('records comments written', async () => {
    await t.as(tech, {
      method: 'POST',
      url: `/api/cases/${caseId}/comments`,
      payload: { body: '已补充病史' },
    });
    const [comment] = await events(`resourceId=${caseId}&action=case.comment`);
    expect(comment?.outcome).toBe('success');
    expect(comment?.details).toHaveProperty('commentId');
  });

  it('is only for administrators, and pages through newest first', async () => {
    expect((await t.as(tech, { method: 'GET', url: '/api/admin/audit' })).statusCode).toBe(403);
    const first = await t.as(admin, { method: 'GET', url: '/api/admin/audit?limit=3' });
    const page1 = first.json<{ items: AuditEvent[]; nextCursor: string }>();
    expect(page1.items).toHaveLength(3);
    const second = await t.as(admin, {
      method: 'GET',
      url: `/api/admin/audit?limit=3&cursor=${page1.nextCursor}`,
    });
    const page2 = second.json<{ items: AuditEvent[] }>();
    expect(Number(page2.items[0]?.id)).toBeLessThan(Number(page1.items[2]?.id));
  });
});

describe('when the audit trail cannot be written', () => {
  it('withholds the patient data and answers 500', async () => {
    const restore = await hideTable(t.db.pool, 'audit_events');
    try {
      const res = await t.as(tech, { method: 'GET', url: `/api/cases/${caseId}` });
      expect(res.statusCode).toBe(500);
      expect(res.body).not.toContain('孙七');
      expect(res.json<{ code: string }>().code).toBe('internal');
    } finally {
      await restore();
    }
    expect((await t.as(tech, { method: 'GET', url: `/api/cases/${caseId}` })).statusCode).toBe(200);
  });
});
