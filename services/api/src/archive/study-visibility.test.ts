import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Case } from '@telemed/contracts';
import { generateSeries, seriesUids, type SeriesOptions, type SeriesUids } from '@telemed/dicom';
import { startTestApp, type TestApp } from '../test/test-app.js';

// A specialist reads DICOM through the study-visibility rule: the studies of the cases they may see (assigned to
// them, or sent to their department), nothing else, on every DICOMweb and WADO-URI route.

let t: TestApp;
let tech: string;

type Study = 'assigned' | 'department' | 'draft' | 'unlinked';
const studies = {} as Record<Study, SeriesUids>;

async function newCase(mrn: string): Promise<string> {
  const res = await t.as(tech, {
    method: 'POST',
    url: '/api/cases',
    payload: {
      patient: { mrn, name: '钱八', sex: 'M' },
      urgency: 'routine',
      clinicalQuestion: '头痛一周',
      modality: 'MR',
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<Case>().id;
}

async function storeStudy(which: Study, seed: number, caseId: string | null): Promise<void> {
  const options: SeriesOptions = {
    modality: 'MR',
    slices: 2,
    seed,
    rows: 32,
    columns: 32,
    patientName: '钱八',
    accessionNumber: `VIS-${seed}`,
  };
  const res = await t.stow(
    tech,
    [...generateSeries(options)],
    caseId ? `/dicomweb/studies?caseId=${caseId}` : '/dicomweb/studies',
  );
  expect(res.statusCode, res.body).toBe(200);
  studies[which] = seriesUids(options);
}

beforeAll(async () => {
  t = await startTestApp();
  tech = await t.login('wangjianguo');
  const admin = await t.login('admin');
  // assigned to liming
  const assigned = await newCase('QC-VIS-1');
  await storeStudy('assigned', 9101, assigned);
  await t.as(tech, { method: 'POST', url: `/api/cases/${assigned}/submit` });
  const assign = await t.as(admin, {
    method: 'POST',
    url: `/api/cases/${assigned}/assign`,
    payload: { specialistId: await t.userId('liming') },
  });
  expect(assign.statusCode, assign.body).toBe(200);
  // submitted to the department of liming and chenjing, not yet assigned
  const submitted = await newCase('QC-VIS-2');
  await storeStudy('department', 9102, submitted);
  expect((await t.as(tech, { method: 'POST', url: `/api/cases/${submitted}/submit` })).statusCode).toBe(200);
  // a draft: not sent to anyone yet
  await storeStudy('draft', 9103, await newCase('QC-VIS-3'));
  // a study no case names
  await storeStudy('unlinked', 9104, null);
}, 60_000);
afterAll(async () => {
  await t.close();
});

/** The GET routes of the archive, with the study's UIDs filled in; QIDO searches without a path name the study. */
function urlsFor(uids: SeriesUids): { route: string; url: string; search: boolean }[] {
  const routes = t.routes.filter(
    (r) => (r.url.startsWith('/dicomweb') || r.url === '/wado') && r.method === 'GET',
  );
  const sop = uids.sopInstanceUids[0] ?? '';
  return routes.map((r) => {
    const search = /\/(studies|series|instances)$/.test(r.url);
    let url = r.url
      .replace(':study', uids.studyInstanceUid)
      .replace(':series', uids.seriesInstanceUid)
      .replace(':instance', sop)
      .replace(':frames', '1')
      .replace(':tag', '7FE00010');
    if (r.url === '/wado') {
      url += `?requestType=WADO&studyUID=${uids.studyInstanceUid}&seriesUID=${uids.seriesInstanceUid}&objectUID=${sop}`;
    } else if (search && !r.url.includes(':study')) {
      url += `?StudyInstanceUID=${uids.studyInstanceUid}`;
    }
    return { route: r.url, url, search };
  });
}

describe('a specialist reading DICOM', () => {
  it('walks every DICOMweb and WADO-URI route', () => {
    const routes = urlsFor(studies.assigned).map((r) => r.route);
    expect(routes).toEqual(
      expect.arrayContaining([
        '/dicomweb/studies',
        '/dicomweb/series',
        '/dicomweb/instances',
        '/dicomweb/studies/:study/series',
        '/dicomweb/studies/:study/instances',
        '/dicomweb/studies/:study/series/:series/instances',
        '/dicomweb/studies/:study',
        '/dicomweb/studies/:study/series/:series',
        '/dicomweb/studies/:study/series/:series/instances/:instance',
        '/dicomweb/studies/:study/metadata',
        '/dicomweb/studies/:study/series/:series/metadata',
        '/dicomweb/studies/:study/series/:series/instances/:instance/metadata',
        '/dicomweb/studies/:study/series/:series/instances/:instance/frames/:frames',
        '/dicomweb/studies/:study/series/:series/instances/:instance/bulkdata/:tag',
        '/wado',
      ]),
    );
  });

  const table: [who: string, username: string, sees: Study[], seesNot: Study[]][] = [
    ['the assigned specialist', 'liming', ['assigned', 'department'], ['draft', 'unlinked']],
    ['a specialist of the department', 'chenjing', ['assigned', 'department'], ['draft', 'unlinked']],
    ['a specialist of another department', 'sunli', [], ['assigned', 'department', 'draft', 'unlinked']],
    [
      'a specialist of another city hospital',
      'zhengqiang',
      [],
      ['assigned', 'department', 'draft', 'unlinked'],
    ],
  ];

  for (const [who, username, sees, seesNot] of table) {
    for (const study of sees) {
      it(`${who} reads the ${study} study on every route`, async () => {
        const token = await t.login(username);
        for (const { route, url } of urlsFor(studies[study])) {
          const res = await t.as(token, { method: 'GET', url });
          expect(res.statusCode, `${route}: ${res.body.slice(0, 200)}`).toBe(200);
        }
      });
    }
    for (const study of seesNot) {
      it(`${who} finds nothing of the ${study} study on any route`, async () => {
        const token = await t.login(username);
        for (const { route, url, search } of urlsFor(studies[study])) {
          const res = await t.as(token, { method: 'GET', url });
          // a search that matches nothing answers 204; naming the study answers 404
          expect(res.statusCode, `${route}: ${res.body.slice(0, 200)}`).toBe(search ? 204 : 404);
          expect(res.body).not.toContain('钱八');
          expect(res.body).not.toContain('VIS-');
        }
      });
    }
  }
});
