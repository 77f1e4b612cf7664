import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMultipartRelated, generateSeries } from '@telemed/dicom';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
let tech: string;
let port = 0;

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** One tus request over real HTTP; `cutAfter` sends only that many body bytes, then drops the connection. */
function tus(
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: Buffer,
  cutAfter?: number,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port,
        method,
        path,
        headers: { 'tus-resumable': '1.0.0', authorization: `Bearer ${tech}`, ...headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString(),
          });
        });
      },
    );
    req.on('error', (error) => {
      if (cutAfter !== undefined) resolve({ status: 0, headers: {}, body: '' });
      else reject(error);
    });
    if (body && cutAfter !== undefined) {
      req.write(body.subarray(0, cutAfter), () => {
        // the link drops mid-upload
        setTimeout(() => req.destroy(), 200);
      });
    } else req.end(body);
  });
}

beforeAll(async () => {
  t = await startTestApp();
  tech = await t.login('wangjianguo');
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  port = address.port;
});
afterAll(async () => {
  await t.close();
});

const b64 = (s: string): string => Buffer.from(s).toString('base64');

describe('resumable uploads (tus)', () => {
  it('continues a broken-off upload from the offset the server reports, then stores the study', async () => {
    const slices = [...generateSeries({ modality: 'CT', slices: 40, seed: 5, rows: 256, columns: 256 })];
    const boundary = 'upload-boundary-42';
    const body = Buffer.from(
      encodeMultipartRelated(
        slices.map((s) => ({ contentType: 'application/dicom', body: s })),
        boundary,
      ),
    );
    const sha = createHash('sha256').update(body).digest('hex');
    const created = await tus('POST', '/dicomweb/uploads', {
      'upload-length': String(body.length),
      'upload-metadata': `filetype ${b64(`multipart/related; type="application/dicom"; boundary=${boundary}`)},sha256 ${b64(sha)}`,
    });
    expect(created.status, created.body).toBe(201);
    const location = new URL(String(created.headers.location)).pathname;

    await tus(
      'PATCH',
      location,
      { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body,
      Math.floor(body.length * 0.6),
    );
    const head = await tus('HEAD', location, {});
    expect(head.status).toBe(200);
    const offset = Number(head.headers['upload-offset']);
    expect(offset).toBeGreaterThan(0);
    expect(offset).toBeLessThan(body.length);

    const rest = await tus(
      'PATCH',
      location,
      { 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
      body.subarray(offset),
    );
    expect(rest.status, rest.body).toBe(200);
    const stow = JSON.parse(rest.body) as Record<string, { Value?: unknown[] }>;
    expect(stow['00081199']?.Value).toHaveLength(40);
    const studies = await t.as(tech, { method: 'GET', url: '/dicomweb/studies' });
    expect(studies.json<unknown[]>()).toHaveLength(1);
  }, 60_000);

  it('refuses an upload whose bytes do not match their checksum, storing nothing', async () => {
    const [one] = [...generateSeries({ modality: 'MR', slices: 1, seed: 77, rows: 32, columns: 32 })];
    const body = Buffer.from(one ?? []);
    const created = await tus('POST', '/dicomweb/uploads', {
      'upload-length': String(body.length),
      'upload-metadata': `filetype ${b64('application/dicom')},sha256 ${b64('0'.repeat(64))}`,
    });
    const location = new URL(String(created.headers.location)).pathname;
    const res = await tus(
      'PATCH',
      location,
      { 'upload-offset': '0', 'content-type': 'application/offset+octet-stream' },
      body,
    );
    expect(res.status).toBe(460);
    expect(res.body).toMatch(/sha256/);
    const studies = await t.as(tech, { method: 'GET', url: '/dicomweb/studies?ModalitiesInStudy=MR' });
    expect(studies.statusCode).toBe(204);
  });

  it('hides one person’s upload from another, and refuses uploads without a token', async () => {
    const created = await tus('POST', '/dicomweb/uploads', {
      'upload-length': '100',
      'upload-metadata': `filetype ${b64('application/dicom')}`,
    });
    const location = new URL(String(created.headers.location)).pathname;
    const other = tech;
    tech = await t.login('zhangwei');
    try {
      expect((await tus('HEAD', location, {})).status).toBe(404);
    } finally {
      tech = other;
    }
    const anonymous = await new Promise<number>((resolve) => {
      const req = httpRequest(
        { host: '127.0.0.1', port, method: 'HEAD', path: location, headers: { 'tus-resumable': '1.0.0' } },
        (res) => {
          resolve(res.statusCode ?? 0);
          res.resume();
        },
      );
      req.end();
    });
    expect(anonymous).toBe(401);
  });
});
