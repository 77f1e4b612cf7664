import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, PriorStudy, Report, Worklist } from '@telemed/contracts';
import { generateSeries, seriesUids, type SeriesOptions } from '@telemed/dicom';
import { tableDigests } from '@telemed/db';
import { startTestApp, type TestApp } from '../test/test-app.js';

// 青川 and 云溪 radiology both send to 南州市中心医院 radiology, where 李明 and 陈静 read; 郑强 reads elsewhere.
let t: TestApp;
let qingchuan: string;
let yunxi: string;
let admin: string;
let liming: string;
let chenjing: string;
let limingId: string;

beforeAll(async () => {
  t = await startTestApp();
  [qingchuan, yunxi, admin, liming, chenjing] = (await Promise.all(
    ['wangjianguo', 'zhangwei', 'admin', 'liming', 'chenjing'].map((u) => t.login(u)),
  )) as [string, string, string, string, string];
  limingId = await t.userId('liming');
});
afterAll(async () => {
  await t.close();
});

async function submitted(
  token: string,
  mrn: string,
  urgency: string,
  more: Record<string, unknown> = {},
): Promise<Case> {
  const created = await t.as(token, {
    method: 'POST',
    url: '/api/cases',
    payload: {
      patient: { mrn, name: '阿依古丽·买买提', sex: 'F', birthDate: '1975-02-03' },
      urgency,
      clinicalQuestion: '腹痛待查',
      modality: 'CT',
      bodyPart: 'ABDOMEN',
      ...more,
    },
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<Case>().id;
  const res = await t.as(token, { method: 'POST', url: `/api/cases/${id}/submit` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Case>();
}

async function worklistOf(token: string, query: string): Promise<Worklist> {
  const res = await t.as(token, { method: 'GET', url: `/api/worklist?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json<Worklist>();
}

const post = (token: string, url: string, payload?: object) =>
  t.as(token, { method: 'POST', url, ...(payload ? { payload } : {}) });

describe('the worklist', () => {
  it("shows the department's pool most urgent first, and the reader's own cases once claimed", async () => {
    const routine = await submitted(qingchuan, 'WL-ORDER-1', 'routine');
    const stat = await submitted(qingchuan, 'WL-ORDER-2', 'stat');
    const urgent = await submitted(yunxi, 'WL-ORDER-3', 'urgent');
    const before = await worklistOf(chenjing, 'q=WL-ORDER');
    expect(before.pool.map((c) => c.id)).toEqual([stat.id, urgent.id, routine.id]);
    expect(before.mine).toEqual([]);

    expect((await post(chenjing, `/api/cases/${urgent.id}/claim`)).statusCode).toBe(200);
    const after = await worklistOf(chenjing, 'q=WL-ORDER');
    expect(after.pool.map((c) => c.id)).toEqual([stat.id, routine.id]);
    expect(after.mine.map((c) => [c.id, c.state])).toEqual([[urgent.id, 'assigned']]);
    // a colleague's claimed case is theirs, not in anyone's pool
    expect((await worklistOf(liming, 'q=WL-ORDER')).pool.map((c) => c.id)).toEqual([stat.id, routine.id]);
    // another city department has another pool
    const other = await t.login('zhengqiang');
    expect((await worklistOf(other, 'q=WL-ORDER')).pool).toEqual([]);
  });

  it('filters by modality, urgency, county hospital, state, and name or MRN typed in either width', async () => {
    await submitted(qingchuan, 'WL-FILTER-1', 'urgent', { modality: 'MR', bodyPart: 'HEAD' });
    await submitted(yunxi, 'WL-FILTER-2', 'routine');
    const mrns = (w: Worklist): string[] => [...w.mine, ...w.pool].map((c) => c.patient.mrn).sort();
    expect(mrns(await worklistOf(liming, 'q=WL-FILTER&modality=MR'))).toEqual(['WL-FILTER-1']);
    expect(mrns(await worklistOf(liming, 'q=WL-FILTER&urgency=routine'))).toEqual(['WL-FILTER-2']);
    const hospitals = (await t.as(admin, { method: 'GET', url: '/api/hospitals' })).json<
      { id: string; name: string }[]
    >();
    const yunxiId = hospitals.find((h) => h.name === '云溪县人民医院')?.id ?? '';
    expect(mrns(await worklistOf(liming, `q=WL-FILTER&hospitalId=${yunxiId}`))).toEqual(['WL-FILTER-2']);
    expect(mrns(await worklistOf(liming, 'q=WL-FILTER&state=assigned'))).toEqual([]);
    // full-width letters and digits, as a Chinese keyboard may type them, and part of the name
    expect(mrns(await worklistOf(liming, `q=${encodeURIComponent('ｗｌ－ｆｉｌｔｅｒ－２')}`))).toEqual([
      'WL-FILTER-2',
    ]);
    expect(mrns(await worklistOf(liming, `q=${encodeURIComponent('阿依古丽')}&modality=MR`))).toEqual([
      'WL-FILTER-1',
    ]);
    // a % in the search is a character, not a wildcard
    expect(mrns(await worklistOf(liming, 'q=WL%25FILTER'))).toEqual([]);
  });

  it("counts the patient's prior cases the reader may see, and lists them newest first", async () => {
    const first = await submitted(qingchuan, 'WL-PRIOR-1', 'routine');
    expect((await post(liming, `/api/cases/${first.id}/claim`)).statusCode).toBe(200);
    expect((await post(liming, `/api/cases/${first.id}/start-review`)).statusCode).toBe(200);
    const report = { kind: 'final', findings: '肝内多发囊肿。', impression: '肝囊肿。' };
    expect((await post(liming, `/api/cases/${first.id}/reports`, report)).statusCode).toBe(200);
    // a draft of the same patient is the county's own business: not a prior for the city side
    const draft = await t.as(qingchuan, {
      method: 'POST',
      url: '/api/cases',
      payload: {
        patient: { mrn: 'WL-PRIOR-1', name: '阿依古丽·买买提', sex: 'F' },
        urgency: 'routine',
        clinicalQuestion: '尚未提交',
      },
    });
    expect(draft.statusCode).toBe(201);
    const now = await submitted(qingchuan, 'WL-PRIOR-1', 'urgent');
    const list = await worklistOf(chenjing, 'q=WL-PRIOR-1');
    expect(list.pool.map((c) => [c.id, c.priors.count])).toEqual([[now.id, 1]]);
    expect(list.pool[0]?.priors.latestAt).toBe(first.createdAt);

    const priors = await t.as(chenjing, { method: 'GET', url: `/api/cases/${now.id}/priors` });
    expect(priors.statusCode, priors.body).toBe(200);
    expect(priors.json<Case[]>().map((c) => [c.id, c.state])).toEqual([[first.id, 'final']]);
    // the county side sees its draft among the priors too
    const county = await t.as(qingchuan, { method: 'GET', url: `/api/cases/${now.id}/priors` });
    expect(county.json<Case[]>().map((c) => c.id)).toEqual([draft.json<Case>().id, first.id]);
    // another city department sees neither the case nor its priors
    const other = await t.login('zhengqiang');
    expect((await t.as(other, { method: 'GET', url: `/api/cases/${now.id}/priors` })).statusCode).toBe(404);
  });

  it('lists the cases a colleague asks my second opinion on while the request is open', async () => {
    const c = await submitted(qingchuan, 'WL-SO-1', 'urgent');
    expect((await post(chenjing, `/api/cases/${c.id}/claim`)).statusCode).toBe(200);
    const other = await t.login('zhengqiang');
    expect((await worklistOf(other, 'q=WL-SO')).secondOpinions).toEqual([]);
    const asked = await post(chenjing, `/api/cases/${c.id}/second-opinion`, {
      specialistId: await t.userId('zhengqiang'),
      question: '请看胰腺',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const open = await worklistOf(other, 'q=WL-SO');
    expect(open.secondOpinions.map((x) => x.id)).toEqual([c.id]);
    // the case is the asker's, not the second reader's, and in nobody's pool
    expect([...open.mine, ...open.pool]).toEqual([]);
    expect((await worklistOf(chenjing, 'q=WL-SO')).secondOpinions).toEqual([]);
    const answered = await post(other, `/api/cases/${c.id}/second-opinion/opinion`, {
      opinion: '胰腺未见异常',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect((await worklistOf(other, 'q=WL-SO')).secondOpinions).toEqual([]);
  });

  it("lists the archived studies of the patient's other cases for the viewer, newest study first", async () => {
    const study = (seed: number, studyDate: string): SeriesOptions => ({
      modality: 'CT',
      slices: 2,
      rows: 32,
      columns: 32,
      seed,
      studyDate,
      patientId: 'WL-PRIOR-STUDY-1',
      patientName: '阿依古丽·买买提',
    });
    const withStudy = async (options: SeriesOptions): Promise<Case> => {
      const c = await submitted(qingchuan, 'WL-PRIOR-STUDY-1', 'routine', {
        studyInstanceUid: seriesUids(options).studyInstanceUid,
      });
      const stored = await t.stow(qingchuan, [...generateSeries(options)]);
      expect(stored.statusCode, stored.body).toBe(200);
      return c;
    };
    const older = await withStudy(study(8801, '20240105'));
    const newer = await withStudy(study(8802, '20250610'));
    // a case whose study never arrived has nothing to open
    await submitted(qingchuan, 'WL-PRIOR-STUDY-1', 'routine');
    const now = await withStudy(study(8803, '20261120'));

    const res = await t.as(chenjing, { method: 'GET', url: `/api/cases/${now.id}/prior-studies` });
    expect(res.statusCode, res.body).toBe(200);
    const priors = res.json<PriorStudy[]>();
    expect(priors.map((s) => [s.caseId, s.studyDate, s.modalities, s.instanceCount])).toEqual([
      [newer.id, '20250610', ['CT'], 2],
      [older.id, '20240105', ['CT'], 2],
    ]);
    expect(priors[0]?.studyInstanceUid).toBe(newer.studyInstanceUid);
    // another city department sees neither the case nor its priors
    const other = await t.login('zhengqiang');
    const hidden = await t.as(other, { method: 'GET', url: `/api/cases/${now.id}/prior-studies` });
    expect(hidden.statusCode).toBe(404);
  });

  it('is for specialists; a technician is told where their cases are', async () => {
    const res = await t.as(qingchuan, { method: 'GET', url: '/api/worklist' });
    expect(res.statusCode).toBe(403);
    expect(res.json<{ detail: string }>().detail).toMatch(/specialists/);
  });
});

describe('release', () => {
  it('hands a claimed case back to the pool, where a colleague may claim it, with history and pool news', async () => {
    const c = await submitted(qingchuan, 'WL-RELEASE-1', 'stat');
    expect((await post(liming, `/api/cases/${c.id}/claim`)).statusCode).toBe(200);
    expect((await post(chenjing, `/api/cases/${c.id}/release`, {})).statusCode).toBe(403);
    const res = await post(liming, `/api/cases/${c.id}/release`, { reason: '需胸部专科' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json<Case>()).toMatchObject({
      state: 'submitted',
      assignedSpecialistId: null,
      slaDueAt: null,
    });
    expect((await worklistOf(chenjing, 'q=WL-RELEASE-1')).pool.map((x) => x.id)).toEqual([c.id]);
    expect((await worklistOf(liming, 'q=WL-RELEASE-1')).mine).toEqual([]);

    const history = await t.as(admin, { method: 'GET', url: `/api/cases/${c.id}/history` });
    expect(
      history
        .json<{ action: string; toState: string; reason: string }[]>()
        .map((h) => [h.action, h.toState, h.reason]),
    ).toEqual([
      ['create', 'draft', ''],
      ['submit', 'submitted', ''],
      ['claim', 'assigned', ''],
      ['release', 'submitted', '需胸部专科'],
    ]);
    // each move into or out of the pool is news for the department, in the same transaction
    const { rows } = await t.db.pool.query<{
      payload: { state: string; urgency: string; departmentId: string };
    }>(`SELECT payload FROM outbox WHERE queue = 'pool' AND payload ->> 'caseId' = $1 ORDER BY id`, [c.id]);
    expect(rows.map((r) => r.payload.state)).toEqual(['submitted', 'assigned', 'submitted']);
    expect(
      rows.every((r) => r.payload.urgency === 'stat' && r.payload.departmentId === c.targetDepartmentId),
    ).toBe(true);

    // the one who let it go may take it again
    const again = await post(liming, `/api/cases/${c.id}/claim`);
    expect(again.json<Case>()).toMatchObject({ state: 'assigned', assignedSpecialistId: limingId });
  });

  it('is refused once a report is written, and changes nothing', async () => {
    const c = await submitted(qingchuan, 'WL-RELEASE-2', 'urgent');
    await post(liming, `/api/cases/${c.id}/claim`);
    await post(liming, `/api/cases/${c.id}/start-review`);
    const report = { kind: 'preliminary', findings: '胆囊结石。', impression: '胆囊结石。' };
    expect((await post(liming, `/api/cases/${c.id}/reports`, report)).statusCode).toBe(200);
    const before = await tableDigests(t.db.pool);
    const res = await post(liming, `/api/cases/${c.id}/release`, {});
    expect(res.statusCode).toBe(409);
    expect(res.json<{ detail: string }>().detail).toContain('allowed from: assigned, in_review');
    const after = await tableDigests(t.db.pool);
    expect({ ...after, audit_events: '' }).toEqual({ ...before, audit_events: '' });
  });
});

describe('addenda', () => {
  it('need a reason, kept with the version; without one nothing is written', async () => {
    const c = await submitted(qingchuan, 'WL-ADD-1', 'routine');
    await post(liming, `/api/cases/${c.id}/claim`);
    await post(liming, `/api/cases/${c.id}/start-review`);
    const text = { findings: '右肾小结石。', impression: '右肾结石。' };
    expect((await post(liming, `/api/cases/${c.id}/reports`, { kind: 'final', ...text })).statusCode).toBe(
      200,
    );
    const before = await tableDigests(t.db.pool);
    const bare = await post(liming, `/api/cases/${c.id}/reports`, { kind: 'addendum', ...text });
    expect(bare.statusCode).toBe(400);
    expect(bare.json<{ detail: string }>().detail).toMatch(/must say why/);
    const onFinal = await post(liming, `/api/cases/${c.id}/reports`, {
      kind: 'final',
      reason: '无',
      ...text,
    });
    expect(onFinal.statusCode).toBe(400);
    const after = await tableDigests(t.db.pool);
    expect({ ...after, audit_events: '' }).toEqual({ ...before, audit_events: '' });

    const added = await post(liming, `/api/cases/${c.id}/reports`, {
      kind: 'addendum',
      reason: '补充结石大小',
      findings: '右肾下极结石，直径约四毫米。',
      impression: '右肾结石。',
    });
    expect(added.statusCode, added.body).toBe(200);
    const reports = await t.as(qingchuan, { method: 'GET', url: `/api/cases/${c.id}/reports` });
    expect(reports.json<Report[]>().map((r) => [r.version, r.kind, r.reason])).toEqual([
      [1, 'final', ''],
      [2, 'addendum', '补充结石大小'],
    ]);
  });
});
