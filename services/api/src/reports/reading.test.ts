import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES } from '@telemed/contracts';
import type {
  Case,
  CaseDetail,
  CaseHistoryEntry,
  CriticalFinding,
  Hospital,
  Notification,
  Report,
  RosterEntry,
  SecondOpinion,
  SecondOpinionCandidate,
  TechnicianQuality,
} from '@telemed/contracts';
import { tableDigests } from '@telemed/db';
import { generateSeries, seriesUids, type SeriesOptions } from '@telemed/dicom';
import { startTestApp, TEST_REDIS_URL, type TestApp } from '../test/test-app.js';

// 王建国 (青川 radiology, technician) asks; 李明 (南州市中心医院 radiology) reads; 郑强 reads at the partnered
// 南州医科大学附属第二医院; 孙丽 reads ultrasound, a department 青川 radiology is not partnered with; 孙建华 heads
// 青川 radiology; 张伟 is a technician of another county hospital.
let t: TestApp;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};
const dir = mkdtempSync(join(tmpdir(), 'reading-'));

beforeAll(async () => {
  t = await startTestApp();
  for (const u of [
    'wangjianguo',
    'sunjianhua',
    'liming',
    'chenjing',
    'zhengqiang',
    'sunli',
    'zhangwei',
    'admin',
  ]) {
    tokens[u] = await t.login(u);
    ids[u] = await t.userId(u);
  }
});
afterAll(async () => {
  await t.close();
  rmSync(dir, { recursive: true, force: true });
});

const as = (user: string) => ({
  get: (url: string) => t.as(tokens[user] ?? '', { method: 'GET', url }),
  post: (url: string, payload?: object) =>
    t.as(tokens[user] ?? '', { method: 'POST', url, ...(payload ? { payload } : {}) }),
  put: (url: string, payload: object) => t.as(tokens[user] ?? '', { method: 'PUT', url, payload }),
  patch: (url: string, payload: object) => t.as(tokens[user] ?? '', { method: 'PATCH', url, payload }),
  delete: (url: string) => t.as(tokens[user] ?? '', { method: 'DELETE', url }),
});

/** A head CT of 青川 assigned to 李明, who has started reading it. */
async function caseInReview(mrn: string): Promise<Case> {
  const created = await as('wangjianguo').post('/api/cases', {
    patient: { mrn, name: '张三', sex: 'M', birthDate: '1958-04-12' },
    urgency: 'urgent',
    clinicalQuestion: '头痛三天，排除脑出血',
    modality: 'CT',
    bodyPart: 'HEAD',
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<Case>().id;
  expect((await as('wangjianguo').post(`/api/cases/${id}/submit`)).statusCode).toBe(200);
  const assigned = await as('admin').post(`/api/cases/${id}/assign`, { specialistId: ids.liming });
  expect(assigned.statusCode, assigned.body).toBe(200);
  const started = await as('liming').post(`/api/cases/${id}/start-review`);
  expect(started.statusCode, started.body).toBe(200);
  return started.json<Case>();
}

const report = (kind: string, extra: object = {}) => ({
  kind,
  findings: '右侧基底节区见片状高密度影，周围见低密度水肿带，中线结构左移约 4 mm。',
  impression: '右侧基底节区脑出血。',
  ...extra,
});

const notificationsOf = async (user: string, caseId: string): Promise<Notification[]> =>
  (await as(user).get('/api/notifications?limit=200'))
    .json<Notification[]>()
    .filter((n) => n.caseId === caseId);

const historyOf = async (caseId: string): Promise<CaseHistoryEntry[]> =>
  (await as('admin').get(`/api/cases/${caseId}/history`)).json<CaseHistoryEntry[]>();

const detail = async (user: string, caseId: string): Promise<CaseDetail> => {
  const res = await as(user).get(`/api/cases/${caseId}`);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<CaseDetail>();
};

describe('preliminary, final, addenda', () => {
  let c: Case;
  beforeAll(async () => {
    c = await caseInReview('QC-RD-1');
  });

  it('locks the final report: another report answers 409 saying to write an addendum, and changes nothing', async () => {
    expect((await as('liming').post(`/api/cases/${c.id}/reports`, report('preliminary'))).statusCode).toBe(
      200,
    );
    expect((await as('liming').post(`/api/cases/${c.id}/reports`, report('final'))).statusCode).toBe(200);
    const before = await tableDigests(t.db.pool);
    for (const kind of ['final', 'preliminary']) {
      const edit = await as('liming').post(`/api/cases/${c.id}/reports`, report(kind));
      expect(edit.statusCode).toBe(409);
      expect(edit.json<{ detail: string }>().detail).toMatch(/final report is locked.*addendum/);
    }
    // the database itself keeps a written version as it was
    await expect(
      t.db.pool.query("UPDATE case_reports SET impression = '未见异常' WHERE case_id = $1", [c.id]),
    ).rejects.toThrow(/locked: add an addendum/);
    await expect(t.db.pool.query('DELETE FROM case_reports WHERE case_id = $1', [c.id])).rejects.toThrow(
      /locked/,
    );
    const after = await tableDigests(t.db.pool);
    expect({ ...after, audit_events: '' }).toEqual({ ...before, audit_events: '' });
  });

  it('takes an addendum only with a reason, as a new version with its own author and time', async () => {
    const bare = await as('liming').post(`/api/cases/${c.id}/reports`, report('addendum'));
    expect(bare.statusCode).toBe(400);
    expect(bare.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toEqual(['reason']);
    const stray = await as('liming').post(`/api/cases/${c.id}/reports`, report('final', { reason: '改动' }));
    expect(stray.statusCode).toBe(400);

    const added = await as('liming').post(
      `/api/cases/${c.id}/reports`,
      report('addendum', {
        impression: '右侧基底节区脑出血，血肿体积约 12 ml。',
        reason: '补充血肿体积测量',
      }),
    );
    expect(added.statusCode, added.body).toBe(200);
    const versions = (await as('wangjianguo').get(`/api/cases/${c.id}/reports`)).json<Report[]>();
    expect(versions.map((v) => [v.version, v.kind, v.authorName, v.reason])).toEqual([
      [1, 'preliminary', '李明', ''],
      [2, 'final', '李明', ''],
      [3, 'addendum', '李明', '补充血肿体积测量'],
    ]);
    expect(Date.parse(versions[2]?.createdAt ?? '')).toBeGreaterThanOrEqual(
      Date.parse(versions[1]?.createdAt ?? ''),
    );
    const last = (await historyOf(c.id)).at(-1);
    expect(last).toMatchObject({ action: 'addendum', actorName: '李明', reason: '补充血肿体积测量' });
  });
});

describe('a second opinion', () => {
  let c: Case;
  beforeAll(async () => {
    c = await caseInReview('QC-RD-2');
  });

  it('is asked of a specialist of a partnered department, who then sees the case and is told', async () => {
    expect((await as('zhengqiang').get(`/api/cases/${c.id}`)).statusCode).toBe(404);
    const notPartnered = await as('liming').post(`/api/cases/${c.id}/second-opinion`, {
      specialistId: ids.sunli,
      question: '请帮助判断出血时期',
    });
    expect(notPartnered.statusCode).toBe(400);
    expect(notPartnered.json<{ errors: { field: string; message: string }[] }>().errors[0]?.field).toBe(
      'specialistId',
    );
    const byColleague = await as('chenjing').post(`/api/cases/${c.id}/second-opinion`, {
      specialistId: ids.zhengqiang,
      question: '请帮助判断出血时期',
    });
    expect(byColleague.statusCode).toBe(403);

    const asked = await as('liming').post(`/api/cases/${c.id}/second-opinion`, {
      specialistId: ids.zhengqiang,
      question: '请帮助判断出血时期',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    expect(asked.json<SecondOpinion>()).toMatchObject({
      state: 'open',
      specialistName: '郑强',
      requestedByName: '李明',
    });
    const seen = await detail('zhengqiang', c.id);
    expect(seen.secondOpinionSpecialistId).toBe(ids.zhengqiang);
    expect((await notificationsOf('zhengqiang', c.id)).map((n) => n.kind)).toEqual([
      'case.second_opinion_requested',
    ]);
    // the second reader finds the case among their cases too
    const listed = (await as('zhengqiang').get('/api/cases')).json<{ items: Case[] }>().items;
    expect(listed.map((x) => x.id)).toContain(c.id);
  });

  it("opens the case's images to the specialist asked, through the same visibility rule", async () => {
    const created = await as('wangjianguo').post('/api/cases', {
      patient: { mrn: 'QC-RD-7', name: '钱八', sex: 'M' },
      urgency: 'routine',
      clinicalQuestion: '头痛一周',
      modality: 'MR',
      bodyPart: 'HEAD',
    });
    const id = created.json<Case>().id;
    const options: SeriesOptions = { modality: 'MR', slices: 2, seed: 7301, rows: 32, columns: 32 };
    const stored = await t.stow(
      tokens.wangjianguo ?? '',
      [...generateSeries(options)],
      `/dicomweb/studies?caseId=${id}`,
    );
    expect(stored.statusCode, stored.body).toBe(200);
    await as('wangjianguo').post(`/api/cases/${id}/submit`);
    await as('admin').post(`/api/cases/${id}/assign`, { specialistId: ids.liming });
    const metadata = `/dicomweb/studies/${seriesUids(options).studyInstanceUid}/metadata`;
    expect((await as('zhengqiang').get(metadata)).statusCode).toBe(404);
    const asked = await as('liming').post(`/api/cases/${id}/second-opinion`, {
      specialistId: ids.zhengqiang,
      question: '请看 DWI',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const seen = await as('zhengqiang').get(metadata);
    expect(seen.statusCode, seen.body).toBe(200);
    expect(seen.json<unknown[]>()).toHaveLength(2);
  });

  it('is one open request per case at a time', async () => {
    const second = await as('liming').post(`/api/cases/${c.id}/second-opinion`, {
      specialistId: ids.chenjing,
      question: '再请一位',
    });
    expect(second.statusCode).toBe(409);
    expect(second.json<{ detail: string }>().detail).toContain('郑强');
  });

  it('is written by the specialist asked alone, recorded in the history, and the requester is told', async () => {
    const byOther = await as('chenjing').post(`/api/cases/${c.id}/second-opinion/opinion`, {
      opinion: '同意',
    });
    expect(byOther.statusCode).toBe(403);
    const answered = await as('zhengqiang').post(`/api/cases/${c.id}/second-opinion/opinion`, {
      opinion: '同意脑出血诊断，考虑急性期。',
    });
    expect(answered.statusCode, answered.body).toBe(200);
    expect(answered.json<SecondOpinion>()).toMatchObject({
      state: 'answered',
      opinion: '同意脑出血诊断，考虑急性期。',
    });
    const again = await as('zhengqiang').post(`/api/cases/${c.id}/second-opinion/opinion`, {
      opinion: '补充',
    });
    expect(again.statusCode).toBe(409);
    const actions = (await historyOf(c.id)).map((h) => [h.action, h.actorName]);
    expect(actions).toContainEqual(['second_opinion_requested', '李明']);
    expect(actions).toContainEqual(['second_opinion_given', '郑强']);
    expect((await notificationsOf('liming', c.id)).map((n) => n.kind)).toContain('case.second_opinion_given');
    // the opinion stays on the case for everyone who sees it, the second reader included
    expect((await detail('wangjianguo', c.id)).secondOpinions.map((o) => o.state)).toEqual(['answered']);
    expect((await detail('zhengqiang', c.id)).secondOpinionSpecialistId).toBeNull();
  });

  it('may be asked again once answered, and withdrawn', async () => {
    const asked = await as('liming').post(`/api/cases/${c.id}/second-opinion`, {
      specialistId: ids.chenjing,
      question: '请复核',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const withdrawn = await as('liming').post(`/api/cases/${c.id}/second-opinion/withdraw`);
    expect(withdrawn.json<SecondOpinion>().state).toBe('withdrawn');
    const late = await as('chenjing').post(`/api/cases/${c.id}/second-opinion/opinion`, { opinion: '同意' });
    expect(late.statusCode).toBe(409);
    // the specialist asked is told, so that nobody writes an opinion nobody waits for
    expect((await notificationsOf('chenjing', c.id)).map((n) => n.kind)).toEqual([
      'case.second_opinion_withdrawn',
      'case.second_opinion_requested',
    ]);
  });
});

describe('whom a second opinion may be asked of', () => {
  let c: Case;
  const hour = 3_600_000;
  beforeAll(async () => {
    c = await caseInReview('QC-RD-9');
    // the roster as this test needs it, whatever the hour: 郑强 on duty now, 陈静 not
    const window = `from=${new Date(Date.now() - hour).toISOString()}&to=${new Date(Date.now() + hour).toISOString()}`;
    for (const user of ['zhengqiang', 'chenjing']) {
      const shifts = (await as('admin').get(`/api/roster?${window}&userId=${ids[user] ?? ''}`)).json<
        RosterEntry[]
      >();
      for (const shift of shifts) {
        expect((await as('admin').delete(`/api/roster/${shift.id}`)).statusCode).toBe(204);
      }
    }
    const zheng = (await as('admin').get(`/api/users/${ids.zhengqiang ?? ''}`)).json<{
      departmentId: string;
    }>();
    const shift = await as('admin').post('/api/roster', {
      userId: ids.zhengqiang,
      departmentId: zheng.departmentId,
      startsAt: new Date(Date.now() - hour).toISOString(),
      endsAt: new Date(Date.now() + hour).toISOString(),
    });
    expect(shift.statusCode, shift.body).toBe(201);
    // 黄敏 of the partnered department has left
    const left = await as('admin').patch(`/api/users/${await t.userId('huangmin')}`, { active: false });
    expect(left.statusCode, left.body).toBe(200);
  });

  it("lists the active specialists of the case's and the partnered departments, not the reader, with who is on duty", async () => {
    const res = await as('liming').get(`/api/cases/${c.id}/second-opinion/candidates`);
    expect(res.statusCode, res.body).toBe(200);
    const candidates = res.json<SecondOpinionCandidate[]>();
    // 南州市中心医院 radiology (the case's) first, then the partnered 南州医科大学附属第二医院 radiology; not 李明
    // himself, not 黄敏 who left, not the ultrasound readers of a department 青川 radiology is not partnered with
    expect(candidates.map((x) => x.displayName).sort()).toEqual(
      ['周国华', '陈静', '刘洋', '赵磊', '许文', '郑强', '何雪', '马超'].sort(),
    );
    const hospitals = candidates.map((x) => x.hospitalName);
    expect(hospitals.lastIndexOf('南州市中心医院')).toBeLessThan(
      hospitals.indexOf('南州医科大学附属第二医院'),
    );
    expect(candidates.find((x) => x.displayName === '郑强')).toMatchObject({
      hospitalName: '南州医科大学附属第二医院',
      departmentName: '医学影像科',
      onDuty: true,
    });
    expect(candidates.find((x) => x.displayName === '陈静')?.onDuty).toBe(false);
    // whoever is offered can be asked: the list and the request keep one rule
    const asked = await as('liming').post(`/api/cases/${c.id}/second-opinion`, {
      specialistId: candidates.find((x) => x.displayName === '马超')?.userId,
      question: '请复核',
    });
    expect(asked.statusCode, asked.body).toBe(201);
    expect((await as('liming').post(`/api/cases/${c.id}/second-opinion/withdraw`)).statusCode).toBe(200);
  });

  it('is for the assigned specialist alone: a colleague, the technician and the administrator are refused', async () => {
    for (const user of ['chenjing', 'wangjianguo', 'admin']) {
      const res = await as(user).get(`/api/cases/${c.id}/second-opinion/candidates`);
      expect(res.statusCode, `${user}: ${res.body}`).toBe(403);
      expect(res.json<{ detail: string }>().detail).toContain('only the assigned specialist');
    }
    // who does not see the case is not told it exists
    for (const user of ['zhangwei', 'sunli']) {
      expect((await as(user).get(`/api/cases/${c.id}/second-opinion/candidates`)).statusCode).toBe(404);
    }
  });
});

describe('image-quality feedback', () => {
  let first: Case;
  let second: Case;
  beforeAll(async () => {
    first = await caseInReview('QC-RD-3');
    second = await caseInReview('QC-RD-4');
  });

  it('goes from the reader to the technician, who sees it on the case and is told', async () => {
    const byTech = await as('wangjianguo').put(`/api/cases/${first.id}/image-quality`, { score: 5 });
    expect(byTech.statusCode).toBe(403);
    const bad = await as('liming').put(`/api/cases/${first.id}/image-quality`, {
      score: 6,
      categories: ['colour'],
    });
    expect(bad.statusCode).toBe(400);
    const rated = await as('liming').put(`/api/cases/${first.id}/image-quality`, {
      score: 2,
      categories: ['motion', 'positioning'],
      comment: '患者头部运动伪影明显，摆位偏斜，建议固定头部后重扫。',
    });
    expect(rated.statusCode, rated.body).toBe(200);
    const seen = await detail('wangjianguo', first.id);
    expect(seen.imageQuality).toHaveLength(1);
    expect(seen.imageQuality[0]).toMatchObject({
      score: 2,
      categories: ['positioning', 'motion'],
      technicianName: '王建国',
      ratedByName: '李明',
    });
    expect((await notificationsOf('wangjianguo', first.id)).map((n) => n.kind)).toContain(
      'case.quality_rated',
    );
    expect((await historyOf(first.id)).at(-1)).toMatchObject({
      action: 'image_quality_rated',
      actorName: '李明',
    });
  });

  it('sums up per technician for the county hospital and the administrators, and for nobody else', async () => {
    expect(
      (await as('liming').put(`/api/cases/${second.id}/image-quality`, { score: 4, categories: ['motion'] }))
        .statusCode,
    ).toBe(200);
    // rating again replaces the reader's rating of that case
    expect((await as('liming').put(`/api/cases/${second.id}/image-quality`, { score: 5 })).statusCode).toBe(
      200,
    );

    const res = await as('sunjianhua').get('/api/quality/technicians');
    expect(res.statusCode, res.body).toBe(200);
    const [wang, ...others] = res.json<TechnicianQuality[]>();
    expect(others).toEqual([]);
    expect(wang).toMatchObject({
      technicianName: '王建国',
      hospitalName: '青川县人民医院',
      ratings: 2,
      averageScore: 3.5,
      byCategory: { positioning: 1, motion: 1, exposure: 0, artefact: 0, protocol: 0 },
    });
    expect(wang?.recent.map((r) => r.score)).toEqual([5, 2]);
    expect(wang?.recent[1]?.comment).toContain('运动伪影');

    expect((await as('zhangwei').get('/api/quality/technicians')).json<TechnicianQuality[]>()).toEqual([]);
    const hospitals = (await as('admin').get('/api/hospitals')).json<Hospital[]>();
    const qingchuan = hospitals.find((h) => h.code === 'QINGCHUAN')?.id ?? '';
    const peek = await as('zhangwei').get(`/api/quality/technicians?hospitalId=${qingchuan}`);
    expect(peek.statusCode).toBe(403);
    expect((await as('liming').get('/api/quality/technicians')).statusCode).toBe(403);
    const byAdmin = (await as('admin').get(`/api/quality/technicians?hospitalId=${qingchuan}`)).json<
      TechnicianQuality[]
    >();
    expect(byAdmin.map((x) => [x.technicianName, x.ratings])).toEqual([['王建国', 2]]);
  });
});

describe('a critical finding', () => {
  let c: Case;
  beforeAll(async () => {
    c = await caseInReview('QC-RD-5');
  });

  it('pages the requesting department and sets the escalation timer', async () => {
    const wrote = await as('liming').post(`/api/cases/${c.id}/reports`, report('final', { critical: true }));
    expect(wrote.statusCode, wrote.body).toBe(200);
    expect(wrote.json<Case>().criticalOpen).toBe(true);
    const finding = (await detail('wangjianguo', c.id)).criticalFinding;
    expect(finding).toMatchObject({ reportVersion: 1, flaggedByName: '李明', acknowledgedAt: null });
    // the hospital's default agreement: the head after 15 minutes, the administrators after 30
    const flagged = Date.parse(finding?.flaggedAt ?? '');
    expect(Date.parse(finding?.headDueAt ?? '') - flagged).toBe(15 * 60_000);
    expect(Date.parse(finding?.adminDueAt ?? '') - flagged).toBe(30 * 60_000);
    for (const user of ['wangjianguo', 'sunjianhua']) {
      const note = (await notificationsOf(user, c.id)).find((n) => n.kind === 'case.critical_finding');
      expect(note, user).toMatchObject({ page: true });
    }
    const redis = new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null });
    const queue = new Queue(QUEUES.critical, {
      connection: redis,
      prefix: `${t.config.REDIS_KEY_PREFIX}bull`,
    });
    try {
      const job = await queue.getJob(`critical-${finding?.id ?? ''}-head`);
      expect(await job?.getState()).toBe('delayed');
      expect(job?.data).toMatchObject({ caseId: c.id, stage: 'head', dueAt: finding?.headDueAt });
    } finally {
      await queue.close();
      await redis.quit();
    }
  });

  it('is acknowledged by the requesting side only: who, when, how, with a note', async () => {
    const before = await tableDigests(t.db.pool);
    expect(
      (await as('liming').post(`/api/cases/${c.id}/critical-acknowledgement`, { method: 'phone' }))
        .statusCode,
    ).toBe(403);
    expect(
      (await as('zhangwei').post(`/api/cases/${c.id}/critical-acknowledgement`, { method: 'phone' }))
        .statusCode,
    ).toBe(404);
    const bad = await as('wangjianguo').post(`/api/cases/${c.id}/critical-acknowledgement`, {
      method: 'fax',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe('method');
    const after = await tableDigests(t.db.pool);
    expect({ ...after, audit_events: '' }).toEqual({ ...before, audit_events: '' });

    const ack = await as('wangjianguo').post(`/api/cases/${c.id}/critical-acknowledgement`, {
      method: 'phone',
      note: '已电话通知急诊科值班医生，患者已转神经外科',
    });
    expect(ack.statusCode, ack.body).toBe(200);
    expect(ack.json<CriticalFinding>()).toMatchObject({
      acknowledgedBy: ids.wangjianguo,
      acknowledgedByName: '王建国',
      method: 'phone',
      note: '已电话通知急诊科值班医生，患者已转神经外科',
    });
    const seen = await detail('liming', c.id);
    expect(seen.criticalOpen).toBe(false);
    const all = (await as('sunjianhua').get(`/api/cases/${c.id}/critical-findings`)).json<
      CriticalFinding[]
    >();
    expect(all.map((f) => [f.reportVersion, f.acknowledgedByName, f.method])).toEqual([
      [1, '王建国', 'phone'],
    ]);
    expect(seen.criticalFinding?.acknowledgedAt).not.toBeNull();
    const twice = await as('sunjianhua').post(`/api/cases/${c.id}/critical-acknowledgement`, {
      method: 'in_app',
    });
    expect(twice.statusCode).toBe(409);
    expect(twice.json<{ detail: string }>().detail).toContain('no critical finding waiting');
    expect((await notificationsOf('liming', c.id)).map((n) => n.kind)).toContain(
      'case.critical_acknowledged',
    );
    const history = await historyOf(c.id);
    expect(history.map((h) => h.action)).toEqual(
      expect.arrayContaining(['critical_finding', 'critical_acknowledged']),
    );
    expect(history.find((h) => h.action === 'critical_acknowledged')).toMatchObject({ actorName: '王建国' });
    const { rows } = await t.db.pool.query(
      "SELECT 1 FROM audit_events WHERE resource_id = $1 AND action = 'case.critical_acknowledged' AND outcome = 'success'",
      [c.id],
    );
    expect(rows).toHaveLength(1);
  });

  it('waits as long as the requesting hospital agreed, set by an administrator', async () => {
    const hospitals = (await as('admin').get('/api/hospitals')).json<Hospital[]>();
    const qingchuan = hospitals.find((h) => h.code === 'QINGCHUAN');
    expect(qingchuan?.criticalAckMinutes).toEqual({ head: 15, admin: 30 });
    const url = `/api/hospitals/${qingchuan?.id ?? ''}`;
    const backwards = await t.as(tokens.admin ?? '', {
      method: 'PATCH',
      url,
      payload: { criticalAckMinutes: { head: 20, admin: 10 } },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json<{ errors: { field: string }[] }>().errors[0]?.field).toBe(
      'criticalAckMinutes.admin',
    );
    const zero = await t.as(tokens.admin ?? '', {
      method: 'PATCH',
      url,
      payload: { criticalAckMinutes: { head: 0 } },
    });
    expect(zero.statusCode).toBe(400);
    const byReader = await t.as(tokens.liming ?? '', {
      method: 'PATCH',
      url,
      payload: { criticalAckMinutes: { head: 5 } },
    });
    expect(byReader.statusCode).toBe(403);
    const agreed = await t.as(tokens.admin ?? '', {
      method: 'PATCH',
      url,
      payload: { criticalAckMinutes: { head: 5, admin: 12.5 } },
    });
    expect(agreed.statusCode, agreed.body).toBe(200);
    expect(agreed.json<Hospital>().criticalAckMinutes).toEqual({ head: 5, admin: 12.5 });

    const other = await caseInReview('QC-RD-6');
    await as('liming').post(`/api/cases/${other.id}/reports`, report('final', { critical: true }));
    const finding = (await detail('wangjianguo', other.id)).criticalFinding;
    const flagged = Date.parse(finding?.flaggedAt ?? '');
    expect(Date.parse(finding?.headDueAt ?? '') - flagged).toBe(5 * 60_000);
    expect(Date.parse(finding?.adminDueAt ?? '') - flagged).toBe(12.5 * 60_000);
  });

  it('prints on the report with its acknowledgement, after it the addenda with author, time and reason', async () => {
    const added = await as('liming').post(
      `/api/cases/${c.id}/reports`,
      report('addendum', { impression: '复查：血肿较前增大。', reason: '对比外院复查图像', critical: true }),
    );
    expect(added.statusCode, added.body).toBe(200);
    // a critical addendum opens a new finding once the first was acknowledged
    expect(added.json<Case>().criticalOpen).toBe(true);
    const res = await as('wangjianguo').get(`/api/cases/${c.id}/report.pdf`);
    expect(res.statusCode, res.body).toBe(200);
    const file = join(dir, 'critical.pdf');
    writeFileSync(file, res.rawPayload);
    writeFileSync(join(tmpdir(), 'report-pdf-critical.pdf'), res.rawPayload);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      '',
    );
    for (const expected of [
      '青川县人民医院',
      '南州市中心医院',
      '正式报告',
      '报告医生：李明',
      '北京时间',
      '危急值',
      '已确认：王建国',
      '电话',
      '已电话通知急诊科值班医生',
      '补充报告',
      '补充原因：对比外院复查图像',
      '复查：血肿较前增大。',
      '尚未确认',
    ])
      expect(text, expected).toContain(expected);
    // the final report comes first, its addendum after it
    expect(text.indexOf('右侧基底节区脑出血。')).toBeLessThan(text.indexOf('补充报告'));
  });
});
