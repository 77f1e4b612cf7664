import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, PatientChange } from '@telemed/contracts';
import { tableDigests } from '@telemed/db';
import { startTestApp, type TestApp } from '../test/test-app.js';

// 青川 radiology (王建国) sends to 南州市中心医院 放射科 first and to 附二院 医学影像科 as fallback. 李明 reads in the
// first; 黄敏 in the fallback; 高燕 in 附二院 超声科 and 孙丽 in 南州市中心医院 超声医学科, which 青川 radiology is not
// partnered with.
let t: TestApp;
let tech: string;
let admin: string;
let liming: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  [tech, admin, liming] = (await Promise.all(['wangjianguo', 'admin', 'liming'].map((u) => t.login(u)))) as [
    string,
    string,
    string,
  ];
  for (const u of ['liming', 'huangmin', 'gaoyan', 'sunli', 'chenjing']) ids[u] = await t.userId(u);
});
afterAll(async () => {
  await t.close();
});

let mrn = 0;
async function assignedToLiming(): Promise<Case> {
  const created = await t.as(tech, {
    method: 'POST',
    url: '/api/cases',
    payload: {
      patient: { mrn: `QC-GAP-${++mrn}`, name: '张三', sex: 'M' },
      urgency: 'routine',
      clinicalQuestion: '头痛三天',
      modality: 'CT',
      bodyPart: 'HEAD',
    },
  });
  const id = created.json<Case>().id;
  expect((await t.as(tech, { method: 'POST', url: `/api/cases/${id}/submit` })).statusCode).toBe(200);
  const assigned = await t.as(admin, {
    method: 'POST',
    url: `/api/cases/${id}/assign`,
    payload: { specialistId: ids.liming },
  });
  expect(assigned.statusCode, assigned.body).toBe(200);
  return assigned.json<Case>();
}

describe('handing a case on (reassign)', () => {
  for (const who of ['gaoyan', 'sunli']) {
    it(`the assigned specialist cannot hand it to ${who}, of a department the county side is not partnered with`, async () => {
      const c = await assignedToLiming();
      const before = await tableDigests(t.db.pool);
      const res = await t.as(liming, {
        method: 'POST',
        url: `/api/cases/${c.id}/reassign`,
        payload: { reason: '请会诊', specialistId: ids[who] },
      });
      expect(res.statusCode, res.body).toBe(403);
      expect(res.json<{ detail: string }>().detail).toMatch(/partnered .* ask an administrator/);
      const after = await tableDigests(t.db.pool);
      expect(after.cases).toBe(before.cases);
      expect(after.case_history).toBe(before.case_history);
    });
  }

  it('the assigned specialist may hand it to a colleague or to the partnered fallback department', async () => {
    for (const who of ['chenjing', 'huangmin']) {
      const c = await assignedToLiming();
      const res = await t.as(liming, {
        method: 'POST',
        url: `/api/cases/${c.id}/reassign`,
        payload: { reason: '请同事阅片', specialistId: ids[who] },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json<Case>()).toMatchObject({ state: 'assigned', assignedSpecialistId: ids[who] });
    }
  });

  it('an administrator may hand it to any active specialist', async () => {
    const c = await assignedToLiming();
    const res = await t.as(admin, {
      method: 'POST',
      url: `/api/cases/${c.id}/reassign`,
      payload: { reason: '超声科会诊', specialistId: ids.gaoyan },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Case>().assignedSpecialistId).toBe(ids.gaoyan);
  });
});

describe('a known MRN with other demographics', () => {
  const open = (patient: object): Promise<Case> =>
    t
      .as(tech, {
        method: 'POST',
        url: '/api/cases',
        payload: { patient, urgency: 'routine', clinicalQuestion: '复查', modality: 'DX', bodyPart: 'CHEST' },
      })
      .then((r) => {
        expect(r.statusCode, r.body).toBe(201);
        return r.json<Case>();
      });

  it('corrects the patient and keeps what it was, who changed it, when and through which case', async () => {
    const first = await open({ mrn: 'QC-DEMO-1', name: 'ئابلىمىت', sex: 'M', birthDate: '1970-01-02' });
    // the same again changes nothing; leaving the birth date out does not erase it
    await open({ mrn: 'QC-DEMO-1', name: 'ئابلىمىت', sex: 'M' });
    const second = await open({
      mrn: 'QC-DEMO-1',
      name: 'ئابلىمىت ھەسەن',
      sex: 'M',
      birthDate: '1970-02-01',
    });
    expect(second.patient).toMatchObject({
      id: first.patient.id,
      name: 'ئابلىمىت ھەسەن',
      birthDate: '1970-02-01',
    });

    const changes = await t.as(tech, { method: 'GET', url: `/api/cases/${first.id}/patient-changes` });
    expect(changes.statusCode, changes.body).toBe(200);
    const list = changes.json<PatientChange[]>();
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({
      patientId: first.patient.id,
      caseId: second.id,
      changedByName: '王建国',
      before: { name: 'ئابلىمىت', birthDate: '1970-01-02' },
      after: { name: 'ئابلىمىت ھەسەن', birthDate: '1970-02-01' },
    });
    expect(Object.keys(list[0]?.before ?? {}).sort()).toEqual(['birthDate', 'name']);

    const audit = await t.as(admin, {
      method: 'GET',
      url: `/api/admin/audit?resourceId=${first.patient.id}&action=patient.update`,
    });
    const events = audit.json<{ items: { actorUsername: string; details: Record<string, unknown> }[] }>()
      .items;
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      actorUsername: 'wangjianguo',
      details: { caseId: second.id, before: { name: 'ئابلىمىت' }, after: { name: 'ئابلىمىت ھەسەن' } },
    });
  });

  it("another hospital's technician does not see the patient's history", async () => {
    const c = await open({ mrn: 'QC-DEMO-2', name: '李四', sex: 'F' });
    const other = await t.login('zhangwei');
    expect((await t.as(other, { method: 'GET', url: `/api/cases/${c.id}/patient-changes` })).statusCode).toBe(
      404,
    );
  });
});
