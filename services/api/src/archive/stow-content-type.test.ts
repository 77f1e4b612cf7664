import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMultipartRelated, generateSeries, seriesUids, type SeriesOptions } from '@telemed/dicom';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let tech: string;

const STUDY: SeriesOptions = { modality: 'MR', slices: 3, seed: 7373, rows: 32, columns: 32 };
const slices = [...generateSeries(STUDY)];
// as Orthanc's DICOMweb plugin sends it: 73 characters, over RFC 2046's 70 for senders
const LONG_BOUNDARY = `${'5f3c9a1e-'.repeat(8)}7`;

function body(boundary: string): Buffer {
  return Buffer.from(
    encodeMultipartRelated(
      slices.map((s) => ({ contentType: 'application/dicom', body: s })),
      boundary,
    ),
  );
}

beforeAll(async () => {
  t = await startTestApp();
  tech = await t.login('wangjianguo');
});
afterAll(async () => {
  await t.close();
});

describe('the Content-Type of a STOW-RS request', () => {
  it('may carry a 73-character boundary, as Orthanc sends it', async () => {
    expect(LONG_BOUNDARY).toHaveLength(73);
    const res = await t.as(tech, {
      method: 'POST',
      url: '/dicomweb/studies',
      headers: { 'content-type': `multipart/related; type="application/dicom"; boundary=${LONG_BOUNDARY}` },
      payload: body(LONG_BOUNDARY),
    });
    expect(res.statusCode, res.body).toBe(200);
    const found = await t.as(tech, {
      method: 'GET',
      url: `/dicomweb/studies/${seriesUids(STUDY).studyInstanceUid}/instances`,
    });
    expect(found.json<unknown[]>()).toHaveLength(3);
  });

  it('answers 415 saying the Content-Type is missing when there is none', async () => {
    const res = await t.as(tech, { method: 'POST', url: '/dicomweb/studies', payload: body(LONG_BOUNDARY) });
    expect(res.statusCode).toBe(415);
    expect(res.json<{ detail: string }>().detail).toBe(
      'the request has no Content-Type; send multipart/related; type="application/dicom"; boundary=…',
    );
  });

  const refused: [string, string][] = [
    [
      'application/dicom',
      'the Content-Type is application/dicom, not multipart/related; send multipart/related; type="application/dicom"; boundary=…',
    ],
    [
      'multipart/related; type="application/dicom"',
      'the multipart/related Content-Type has no boundary parameter; send multipart/related; type="application/dicom"; boundary=…',
    ],
    [
      `multipart/related; type="application/dicom"; boundary=${'b'.repeat(300)}`,
      'the boundary is 300 characters long; at most 256 are accepted; send multipart/related; type="application/dicom"; boundary=…',
    ],
    [
      'multipart/related; type="application/dicom"; boundary="a{b}"',
      'the boundary holds "{" at character 2, which RFC 2046 does not allow in a boundary; send multipart/related; type="application/dicom"; boundary=…',
    ],
    [
      `multipart/related; type="application/dicom+json"; boundary=${LONG_BOUNDARY}`,
      'the type parameter is "application/dicom+json", but this archive stores application/dicom parts; send multipart/related; type="application/dicom"; boundary=…',
    ],
  ];
  for (const [contentType, detail] of refused) {
    it(`answers 415 naming what is wrong: ${contentType.slice(0, 60)}`, async () => {
      const res = await t.as(tech, {
        method: 'POST',
        url: '/dicomweb/studies',
        headers: { 'content-type': contentType },
        payload: body(LONG_BOUNDARY),
      });
      expect(res.statusCode).toBe(415);
      expect(res.json<{ detail: string }>().detail).toBe(detail);
    });
  }
});

describe('the filetype of a resumable upload', () => {
  const create = (filetype: string) =>
    t.as(tech, {
      method: 'POST',
      url: '/dicomweb/uploads',
      headers: {
        'tus-resumable': '1.0.0',
        'upload-length': '100',
        'upload-metadata': `filetype ${Buffer.from(filetype).toString('base64')}`,
      },
    });

  it('may name a 73-character boundary', async () => {
    const res = await create(`multipart/related; type="application/dicom"; boundary=${LONG_BOUNDARY}`);
    expect(res.statusCode, res.body).toBe(201);
  });

  it('is refused with what is wrong with it', async () => {
    const res = await create(`multipart/related; type="application/dicom"; boundary=${'b'.repeat(300)}`);
    expect(res.statusCode).toBe(400);
    expect(res.body).toContain('the boundary is 300 characters long; at most 256 are accepted');
    const none = await create('multipart/related');
    expect(none.statusCode).toBe(400);
    expect(none.body).toContain('has no boundary parameter');
  });
});
