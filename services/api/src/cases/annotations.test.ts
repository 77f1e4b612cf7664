import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case, CaseAnnotations } from '@telemed/contracts';
import { startTestApp, type TestApp } from '../test/test-app.js';

// 王建国 (青川 radiology) asks; 李明 (南州市中心医院 radiology) reads; 陈静 is his colleague; 张伟 is a technician of
// another county hospital.
let t: TestApp;
const tokens: Record<string, string> = {};
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  for (const u of ['wangjianguo', 'liming', 'chenjing', 'zhangwei', 'admin']) {
    tokens[u] = await t.login(u);
    ids[u] = await t.userId(u);
  }
});
afterAll(async () => {
  await t.close();
});

const as = (user: string) => ({
  get: (url: string) => t.as(tokens[user] ?? '', { method: 'GET', url }),
  post: (url: string, payload?: object) =>
    t.as(tokens[user] ?? '', { method: 'POST', url, ...(payload ? { payload } : {}) }),
  put: (url: string, payload: object) => t.as(tokens[user] ?? '', { method: 'PUT', url, payload }),
});

const STUDY = '1.2.826.0.1.3680043.10.1137.900';
const SERIES = '1.2.826.0.1.3680043.10.1137.900.1';
const length = (id: string, x: number) => ({
  id,
  tool: 'Length',
  seriesInstanceUid: SERIES,
  sopInstanceUid: `${SERIES}.1`,
  data: { handles: { start: { x: 10, y: 10 }, end: { x, y: 10 } }, length: (x - 10) * 0.68 },
});

async function assignedCase(mrn: string): Promise<Case> {
  const created = await as('wangjianguo').post('/api/cases', {
    patient: { mrn, name: '张三', sex: 'M', birthDate: '1958-04-12' },
    urgency: 'urgent',
    clinicalQuestion: '头痛三天，排除脑出血',
    modality: 'CT',
    bodyPart: 'HEAD',
    studyInstanceUid: STUDY,
  });
  expect(created.statusCode, created.body).toBe(201);
  const id = created.json<Case>().id;
  expect((await as('wangjianguo').post(`/api/cases/${id}/submit`)).statusCode).toBe(200);
  const assigned = await as('admin').post(`/api/cases/${id}/assign`, { specialistId: ids.liming });
  expect(assigned.statusCode, assigned.body).toBe(200);
  return assigned.json<Case>();
}

describe('the measurements kept with a case', () => {
  it('are written by the assigned specialist over the version read, and read by everyone who sees the case', async () => {
    const c = await assignedCase('QC-ANN-1');
    const url = `/api/cases/${c.id}/annotations`;

    const empty = await as('liming').get(url);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json<CaseAnnotations>()).toMatchObject({ version: 0, annotations: [], updatedByName: null });

    const first = await as('liming').put(url, { version: 0, annotations: [length('a1', 110)] });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json<CaseAnnotations>()).toMatchObject({ version: 1, updatedByName: '李明' });

    // a second tab still at version 0 does not overwrite what was saved
    const stale = await as('liming').put(url, { version: 0, annotations: [] });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<{ detail: string }>().detail).toContain('reload');

    const second = await as('liming').put(url, {
      version: 1,
      annotations: [length('a1', 110), length('a2', 210)],
    });
    expect(second.json<CaseAnnotations>().version).toBe(2);

    // the county side reads them; the colleague and the county may not write; another hospital does not see the case
    const county = await as('wangjianguo').get(url);
    expect(county.statusCode).toBe(200);
    expect(county.json<CaseAnnotations>().annotations.map((a) => a.id)).toEqual(['a1', 'a2']);
    expect(county.json<CaseAnnotations>().annotations[1]?.data).toMatchObject({ length: 136 });
    expect((await as('wangjianguo').put(url, { version: 2, annotations: [] })).statusCode).toBe(403);
    const colleague = await as('chenjing').put(url, { version: 2, annotations: [] });
    expect(colleague.statusCode).toBe(403);
    expect(colleague.json<{ detail: string }>().detail).toContain('the assigned specialist');
    expect((await as('zhangwei').get(url)).statusCode).toBe(404);
    expect((await as('zhangwei').put(url, { version: 2, annotations: [] })).statusCode).toBe(404);

    // bad input says what to fix
    const twice = await as('liming').put(url, {
      version: 2,
      annotations: [length('a1', 20), length('a1', 30)],
    });
    expect(twice.statusCode).toBe(400);
    expect(twice.json<{ detail: string }>().detail).toContain('id of its own');
    const unknownTool = await as('liming').put(url, {
      version: 2,
      annotations: [{ ...length('a3', 20), tool: 'Freehand' }],
    });
    expect(unknownTool.statusCode).toBe(400);

    // each save is audited, and so is each read
    const { rows } = await t.db.pool.query<{ action: string; outcome: string }>(
      `SELECT action, outcome FROM audit_events WHERE resource_id = $1 AND action LIKE 'case.annotations.%'
        ORDER BY id`,
      [c.id],
    );
    const saves = rows.filter((r) => r.action === 'case.annotations.save');
    expect(saves.filter((r) => r.outcome === 'success')).toHaveLength(2);
    expect(saves.some((r) => r.outcome !== 'success')).toBe(true);
    expect(rows.some((r) => r.action === 'case.annotations.read')).toBe(true);
  });
});
