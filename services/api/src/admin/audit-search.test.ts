import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuditPage, Case, User } from '@telemed/contracts';
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

async function search(query: string): Promise<AuditPage> {
  const res = await t.as(admin, { method: 'GET', url: `/api/admin/audit?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<AuditPage>();
}

describe('searching the audit trail', () => {
  it('by user: what they did and what was done to their account', async () => {
    const hospitals = await t.db.hospitals.listHospitals();
    const county = hospitals.find((h) => h.kind === 'county');
    const department = (await t.db.hospitals.listDepartments(county?.id))[0];
    const created = await t.as(admin, {
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'audit.search',
        displayName: '审计 测试',
        password: 'first-password',
        role: 'technician',
        hospitalId: county?.id,
        departmentId: department?.id,
      },
    });
    expect(created.statusCode, created.body).toBe(201);
    const user = created.json<User>();
    const reset = await t.as(admin, {
      method: 'PATCH',
      url: `/api/users/${user.id}`,
      payload: { password: 'second-password' },
    });
    expect(reset.statusCode, reset.body).toBe(200);
    const signedIn = await t.loginFull('audit.search', 'second-password');
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    const own = signedIn.json<{ accessToken: string }>().accessToken;
    await t.as(own, { method: 'GET', url: '/api/cases' });
    const page = await search(`userId=${user.id}`);
    const actions = page.items.map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['user.create', 'user.password_reset', 'case.list']));
    expect(page.items.find((e) => e.action === 'user.create')?.actorUsername).toBe('admin');
    // another user's events stay out
    expect(page.items.every((e) => e.actorId === user.id || e.resourceId === user.id)).toBe(true);
  });

  it('by case and by patient record number: the reads and changes of their cases, and the lists showing them', async () => {
    const tech = await t.login('wangjianguo');
    const open = async (mrn: string): Promise<Case> =>
      (
        await t.as(tech, {
          method: 'POST',
          url: '/api/cases',
          payload: {
            patient: { mrn, name: 'ئابلىمىت ھەسەن', sex: 'M' },
            urgency: 'routine',
            clinicalQuestion: '复查',
            modality: 'CT',
            bodyPart: 'CHEST',
          },
        })
      ).json<Case>();
    const mine = await open('AUD-1');
    const other = await open('AUD-2');
    await t.as(tech, { method: 'GET', url: `/api/cases/${mine.id}` });
    await t.as(tech, { method: 'GET', url: `/api/cases/${mine.id}/history` });
    await t.as(tech, { method: 'GET', url: '/api/cases' });

    const byCase = await search(`caseId=${mine.id}`);
    expect(byCase.items.map((e) => e.action)).toEqual([
      'case.list',
      'case.history.read',
      'case.read',
      'case.create',
    ]);
    const byPatient = await search('patientMrn=AUD-2');
    expect(byPatient.items.map((e) => e.action)).toEqual(['case.list', 'case.create']);
    expect(byPatient.items[1]?.resourceId).toBe(other.id);
    expect((await search('patientMrn=NO-SUCH')).items).toEqual([]);

    // pages follow one another without repeating an event
    const first = await search(`caseId=${mine.id}&limit=3`);
    expect(first.nextCursor).not.toBeNull();
    const rest = await search(`caseId=${mine.id}&limit=3&cursor=${first.nextCursor ?? ''}`);
    expect([...first.items, ...rest.items].map((e) => e.action)).toEqual(byCase.items.map((e) => e.action));
  });

  it('says what to fix when a filter is malformed', async () => {
    const res = await t.as(admin, { method: 'GET', url: '/api/admin/audit?caseId=QC-1' });
    expect(res.statusCode).toBe(400);
    expect(res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual([
      'querystring.caseId',
    ]);
  });
});
