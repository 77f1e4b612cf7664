import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSeries, seriesUids, type SeriesOptions } from '@telemed/dicom';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let tech: string;
const STUDY: SeriesOptions = { modality: 'CT', slices: 2, seed: 6401, rows: 32, columns: 32 };
const uids = seriesUids(STUDY);

interface Operation {
  parameters?: { name: string; in: string; required?: boolean }[];
}

beforeAll(async () => {
  t = await startTestApp();
  tech = await t.login('wangjianguo');
  expect((await t.stow(tech, [...generateSeries(STUDY)])).statusCode).toBe(200);
});
afterAll(async () => {
  await t.close();
});

describe('the DICOMweb and WADO-URI routes, typed at the edge', () => {
  it('publish their path and query parameters in /docs', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/docs/json' })).json<{
      paths: Record<string, Record<string, Operation>>;
    }>();
    const params = (path: string, method: string): string[] =>
      (doc.paths[path]?.[method]?.parameters ?? []).map((p) => `${p.in}:${p.name}`).sort();
    const qido = ['query:fuzzymatching', 'query:includefield', 'query:limit', 'query:offset'];
    const instance = ['path:instance', 'path:series', 'path:study'];
    const expected: [string, string, string[]][] = [
      ['/dicomweb/studies', 'post', ['query:caseId']],
      ['/dicomweb/studies/{study}', 'post', ['path:study', 'query:caseId']],
      ['/dicomweb/studies', 'get', qido],
      ['/dicomweb/series', 'get', qido],
      ['/dicomweb/instances', 'get', qido],
      ['/dicomweb/studies/{study}/series', 'get', ['path:study', ...qido]],
      ['/dicomweb/studies/{study}/instances', 'get', ['path:study', ...qido]],
      ['/dicomweb/studies/{study}/series/{series}/instances', 'get', ['path:series', 'path:study', ...qido]],
      ['/dicomweb/studies/{study}', 'get', ['path:study']],
      ['/dicomweb/studies/{study}/series/{series}', 'get', ['path:series', 'path:study']],
      ['/dicomweb/studies/{study}/series/{series}/instances/{instance}', 'get', instance],
      ['/dicomweb/studies/{study}/metadata', 'get', ['path:study']],
      ['/dicomweb/studies/{study}/series/{series}/metadata', 'get', ['path:series', 'path:study']],
      ['/dicomweb/studies/{study}/series/{series}/instances/{instance}/metadata', 'get', instance],
      [
        '/dicomweb/studies/{study}/series/{series}/instances/{instance}/frames/{frames}',
        'get',
        ['path:frames', ...instance],
      ],
      [
        '/dicomweb/studies/{study}/series/{series}/instances/{instance}/bulkdata/{tag}',
        'get',
        [...instance, 'path:tag'],
      ],
      [
        '/wado',
        'get',
        ['query:contentType', 'query:objectUID', 'query:requestType', 'query:seriesUID', 'query:studyUID'],
      ],
      ['/dicomweb/uploads/{id}', 'patch', ['path:id']],
    ];
    for (const [path, method, names] of expected) {
      expect(params(path, method), `${method} ${path}`).toEqual([...names].sort());
    }
  });

  const invalid: [string, string][] = [
    ['/dicomweb/studies/1.2.x/metadata', 'params.study'],
    [
      `/dicomweb/studies/${uids.studyInstanceUid}/series/${uids.seriesInstanceUid}/instances/${uids.sopInstanceUids[0] ?? ''}/frames/0`,
      'params.frames',
    ],
    [
      `/dicomweb/studies/${uids.studyInstanceUid}/series/${uids.seriesInstanceUid}/instances/${uids.sopInstanceUids[0] ?? ''}/bulkdata/pixels`,
      'params.tag',
    ],
    ['/dicomweb/studies?limit=0', 'querystring.limit'],
    ['/dicomweb/series?offset=-1', 'querystring.offset'],
    [
      `/wado?requestType=WADO&studyUID=${uids.studyInstanceUid}&seriesUID=${uids.seriesInstanceUid}`,
      'querystring.objectUID',
    ],
    [
      `/wado?requestType=WADO&studyUID=${uids.studyInstanceUid}&seriesUID=${uids.seriesInstanceUid}&objectUID=${uids.sopInstanceUids[0] ?? ''}&contentType=image%2Fjpeg`,
      'querystring.contentType',
    ],
  ];
  for (const [url, field] of invalid) {
    it(`answers 400 naming ${field}: ${url.slice(0, 70)}`, async () => {
      const res = await t.as(tech, { method: 'GET', url });
      expect(res.statusCode, res.body).toBe(400);
      expect(res.json<{ errors: { field: string }[] }>().errors.map((e) => e.field)).toContain(field);
    });
  }

  it('still matches QIDO on any attribute the level indexes, by keyword or by tag', async () => {
    for (const query of [
      `StudyInstanceUID=${uids.studyInstanceUid}&includefield=00081030,StudyID`,
      `0020000D=${uids.studyInstanceUid}&limit=5&offset=0&fuzzymatching=true`,
      `ModalitiesInStudy=CT&StudyInstanceUID=${uids.studyInstanceUid}&StudyInstanceUID=${uids.studyInstanceUid}`,
    ]) {
      const res = await t.as(tech, { method: 'GET', url: `/dicomweb/studies?${query}` });
      expect(res.statusCode, `${query}: ${res.body}`).toBe(200);
      expect(res.json<Record<string, { Value?: unknown[] }>[]>()[0]?.['0020000D']?.Value).toEqual([
        uids.studyInstanceUid,
      ]);
    }
    const unknown = await t.as(tech, { method: 'GET', url: '/dicomweb/studies?SOPInstanceUID=1.2.3' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ detail: string }>().detail).toMatch(/SOPInstanceUID is not a matching key here/);
  });
});
