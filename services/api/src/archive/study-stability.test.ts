import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QUEUES, type Case, type StudyStableJob } from '@telemed/contracts';
import { generateSeries } from '@telemed/dicom';
import { startTestApp, TEST_REDIS_URL, type TestApp } from '../test/test-app.js';

let t: TestApp;
let tech: string;
let queue: Queue<StudyStableJob>;

beforeAll(async () => {
  t = await startTestApp({ STUDY_STABLE_SECONDS: '1' });
  tech = await t.login('wangjianguo');
  queue = new Queue<StudyStableJob>(QUEUES.studyStable, {
    connection: new Redis(TEST_REDIS_URL, { maxRetriesPerRequest: null }),
    prefix: `${t.config.REDIS_KEY_PREFIX}bull`,
  });
});
afterAll(async () => {
  await queue.close();
  await (queue.opts.connection as Redis).quit();
  await t.close();
});

async function stow(seed: number, accessionNumber: string, query = ''): Promise<string> {
  const slices = [
    ...generateSeries({ modality: 'CT', slices: 3, seed, rows: 64, columns: 64, accessionNumber }),
  ];
  const res = await t.stow(tech, slices, `/dicomweb/studies${query}`);
  expect(res.statusCode, res.body).toBe(200);
  const url = String(res.json<Record<string, { Value: string[] }>>()['00081190']?.Value[0]);
  return url.slice(url.lastIndexOf('/') + 1);
}

async function eventFor(studyInstanceUid: string): Promise<StudyStableJob> {
  for (let i = 0; i < 100; i++) {
    const jobs = await queue.getJobs(['waiting', 'delayed', 'active', 'completed']);
    const job = jobs.find((j) => j.data.studyInstanceUid === studyInstanceUid);
    if (job) return job.data;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no study-stable event for ${studyInstanceUid}`);
}

async function newCase(extra: Record<string, string>): Promise<Case> {
  const res = await t.as(tech, {
    method: 'POST',
    url: '/api/cases',
    payload: {
      patient: { mrn: `M-${Math.random()}`, name: '周八', sex: 'M' },
      urgency: 'urgent',
      clinicalQuestion: '胸痛，排除主动脉夹层',
      modality: 'CT',
      ...extra,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Case>();
}

describe('study-complete detection', () => {
  it('a quiet study becomes stable once, is linked to its case by accession number, and is queued for routing', async () => {
    const c = await newCase({ accessionNumber: 'ACC-STABLE-1' });
    const study = await stow(11, 'ACC-STABLE-1');
    const event = await eventFor(study);
    expect(event).toMatchObject({ caseId: c.id, instanceCount: 3 });
    expect(Object.keys(event).sort()).toEqual([
      'caseId',
      'hospitalId',
      'instanceCount',
      'requestId',
      'studyId',
      'studyInstanceUid',
    ]);
    const linked = await t.as(tech, { method: 'GET', url: `/api/cases/${c.id}` });
    expect(linked.json<Case>().studyInstanceUid).toBe(study);
    await new Promise((r) => setTimeout(r, 2500));
    const jobs = (await queue.getJobs(['waiting', 'delayed', 'active', 'completed'])).filter(
      (j) => j.data.studyInstanceUid === study,
    );
    expect(jobs).toHaveLength(1);
  });

  it('links a study to the case named at upload', async () => {
    const c = await newCase({});
    const study = await stow(12, 'ACC-OTHER', `?caseId=${c.id}`);
    expect(
      (await t.as(tech, { method: 'GET', url: `/api/cases/${c.id}` })).json<Case>().studyInstanceUid,
    ).toBe(study);
    expect((await eventFor(study)).caseId).toBe(c.id);
  });

  it('links a case opened after its study arrived', async () => {
    const study = await stow(13, 'ACC-LATE-1');
    await eventFor(study);
    const c = await newCase({ accessionNumber: 'ACC-LATE-1' });
    expect(c.studyInstanceUid).toBe(study);
  });

  it('refuses to link a study to another hospital’s case', async () => {
    const other = await t.login('zhangwei');
    const res = await t.as(other, {
      method: 'POST',
      url: '/api/cases',
      payload: {
        patient: { mrn: 'Y-1', name: '吴九', sex: 'F' },
        urgency: 'routine',
        clinicalQuestion: '腹痛',
      },
    });
    const foreignCase = res.json<Case>().id;
    const slices = [...generateSeries({ modality: 'CT', slices: 1, seed: 14, rows: 32, columns: 32 })];
    const stowRes = await t.stow(tech, slices, `/dicomweb/studies?caseId=${foreignCase}`);
    expect(stowRes.statusCode).toBe(404);
  });
});
