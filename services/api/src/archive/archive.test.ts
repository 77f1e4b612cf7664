import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeMultipartRelated, generateSeries, parseMultipartContentType } from '@telemed/dicom';
import { tableDigests } from '@telemed/db';
import { startTestApp, type TestApp } from '../test/test-app.js';

const run = promisify(execFile);

let t: TestApp;
let tech: string;
let baseUrl: string;
let work: string;

const SLICES = 300;
const ROWS = 512;
const FRAME_BYTES = ROWS * ROWS * 2;
let series: Uint8Array[] = [];
let studyUid = '';
let seriesUid = '';
let sopUids: string[] = [];

function uidOf(bytes: Uint8Array, tagHex: string): string {
  // an independent look at the file: find the tag bytes (little endian group, element) and read the UI value
  const group = Number.parseInt(tagHex.slice(0, 4), 16);
  const element = Number.parseInt(tagHex.slice(4), 16);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 132; i < bytes.length - 8; i++) {
    if (
      view.getUint16(i, true) === group &&
      view.getUint16(i + 2, true) === element &&
      bytes[i + 4] === 0x55 &&
      bytes[i + 5] === 0x49
    ) {
      const length = view.getUint16(i + 6, true);
      return Buffer.from(bytes.subarray(i + 8, i + 8 + length))
        .toString('latin1')
        .replace(/[\0 ]+$/, '');
    }
  }
  throw new Error(`no ${tagHex}`);
}

function uidOfImplicit(bytes: Uint8Array, tagHex: string): string {
  const group = Number.parseInt(tagHex.slice(0, 4), 16);
  const element = Number.parseInt(tagHex.slice(4), 16);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // after the explicit-VR file meta group, implicit VR: tag, 4-byte length, value
  for (let i = 132; i < bytes.length - 8; i += 2) {
    if (view.getUint16(i, true) === group && view.getUint16(i + 2, true) === element && group !== 2) {
      const length = view.getUint32(i + 4, true);
      return Buffer.from(bytes.subarray(i + 8, i + 8 + length))
        .toString('latin1')
        .replace(/[\0 ]+$/, '');
    }
  }
  throw new Error(`no ${tagHex}`);
}

function stowBody(parts: Uint8Array[], contentType = 'application/dicom'): { body: Buffer; type: string } {
  const boundary = 'test-boundary-0123456789';
  const body = Buffer.from(
    encodeMultipartRelated(
      parts.map((p) => ({ contentType, body: p })),
      boundary,
    ),
  );
  return { body, type: `multipart/related; type="application/dicom"; boundary=${boundary}` };
}

async function stow(token: string, parts: Uint8Array[], url = '/dicomweb/studies') {
  const { body, type } = stowBody(parts);
  return t.as(token, { method: 'POST', url, payload: body, headers: { 'content-type': type } });
}

type DicomJson = Record<string, { vr: string; Value?: unknown[]; BulkDataURI?: string }>;

function failures(body: DicomJson): { reason: number; comment: string }[] {
  const items = (body['00081198']?.Value ?? []) as DicomJson[];
  return items.map((i) => ({
    reason: i['00081197']?.Value?.[0] as number,
    comment: (i['00000902']?.Value?.[0] as string | undefined) ?? '',
  }));
}

function splitMultipart(body: Buffer, contentType: string): Buffer[] {
  const boundary = parseMultipartContentType(contentType)?.boundary;
  if (!boundary) throw new Error(`not multipart: ${contentType}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const out: Buffer[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const headerEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0 || headerEnd < 0 || headerEnd > next) break;
    out.push(body.subarray(headerEnd + 4, next));
    at = next;
  }
  return out;
}

beforeAll(async () => {
  t = await startTestApp({ ARCHIVE_MAX_INSTANCE_BYTES: String(16 * 1024 * 1024) });
  tech = await t.login('wangjianguo');
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  baseUrl = `http://127.0.0.1:${address.port}`;
  work = await mkdtemp(join(tmpdir(), 'telemed-archive-test-'));
  series = [
    ...generateSeries({
      modality: 'CT',
      slices: SLICES,
      seed: 2026,
      patientName: '张三',
      patientId: 'QC0001',
      charset: 'GB18030',
      accessionNumber: 'ACC-2026-0001',
    }),
  ];
  studyUid = uidOf(series[0] ?? new Uint8Array(), '0020000D');
  seriesUid = uidOf(series[0] ?? new Uint8Array(), '0020000E');
  sopUids = series.map((s) => uidOf(s, '00080018'));
}, 120_000);

afterAll(async () => {
  await t.close();
  await rm(work, { recursive: true, force: true });
});

describe('the archive', () => {
  it('stores a 300-slice CT sent with curl as one STOW-RS request', async () => {
    const { body, type } = stowBody(series);
    const file = join(work, 'stow.bin');
    await writeFile(file, body);
    const { stdout } = await run(
      'curl',
      [
        '-s',
        '-w',
        '\n%{http_code}',
        '-X',
        'POST',
        `${baseUrl}/dicomweb/studies`,
        '-H',
        `authorization: Bearer ${tech}`,
        '-H',
        `content-type: ${type}`,
        '-H',
        'accept: application/dicom+json',
        '--data-binary',
        `@${file}`,
      ],
      { maxBuffer: 64 * 1024 * 1024 },
    );
    const status = stdout.slice(stdout.lastIndexOf('\n') + 1);
    const response = JSON.parse(stdout.slice(0, stdout.lastIndexOf('\n'))) as DicomJson;
    expect(status).toBe('200');
    expect(response['00081199']?.Value).toHaveLength(SLICES);
    expect(response['00081198']).toBeUndefined();
  }, 120_000);

  it('finds the study by the patient’s Chinese name, date range, modality and accession number', async () => {
    for (const query of [
      'PatientName=张*',
      'PatientName=张三',
      'StudyDate=19000101-29991231',
      'ModalitiesInStudy=CT',
      'AccessionNumber=ACC-2026-0001',
      `StudyInstanceUID=${studyUid}`,
    ]) {
      const res = await t.as(tech, { method: 'GET', url: `/dicomweb/studies?${encodeURI(query)}` });
      expect(res.statusCode, query).toBe(200);
      const [study] = res.json<DicomJson[]>();
      expect(study?.['0020000D']?.Value).toEqual([studyUid]);
      expect(study?.['00100010']?.Value).toEqual([{ Alphabetic: '张三' }]);
      expect(study?.['00201208']?.Value).toEqual([SLICES]);
    }
    const none = await t.as(tech, {
      method: 'GET',
      url: `/dicomweb/studies?${encodeURI('PatientName=李*')}`,
    });
    expect(none.statusCode).toBe(204);
  });

  it('lists series and pages through instances', async () => {
    const s = await t.as(tech, { method: 'GET', url: `/dicomweb/studies/${studyUid}/series` });
    expect(s.json<DicomJson[]>().map((x) => x['0020000E']?.Value?.[0])).toEqual([seriesUid]);
    const page = await t.as(tech, {
      method: 'GET',
      url: `/dicomweb/studies/${studyUid}/series/${seriesUid}/instances?limit=50&offset=100`,
    });
    const instances = page.json<DicomJson[]>();
    expect(instances).toHaveLength(50);
    expect(instances[0]?.['00200013']?.Value).toEqual([101]);
  });

  it('says when the default limit cut a search short, and not when the client set the limit or all fit', async () => {
    const url = `/dicomweb/studies/${studyUid}/series/${seriesUid}/instances`;
    const cut = await t.as(tech, { method: 'GET', url });
    expect(cut.json<DicomJson[]>()).toHaveLength(100);
    expect(cut.headers.warning).toBe('299 telemed: "There are additional results that can be requested"');
    const rest = await t.as(tech, { method: 'GET', url: `${url}?offset=200` });
    expect(rest.json<DicomJson[]>()).toHaveLength(100);
    expect(rest.headers.warning).toBeUndefined();
    const all = await t.as(tech, { method: 'GET', url: `${url}?limit=${SLICES}` });
    expect(all.json<DicomJson[]>()).toHaveLength(SLICES);
    expect(all.headers.warning).toBeUndefined();
    const asked = await t.as(tech, { method: 'GET', url: `${url}?limit=10` });
    expect(asked.json<DicomJson[]>()).toHaveLength(10);
    expect(asked.headers.warning).toBeUndefined();
    // the instances say what their frames can be had in: here, as stored, uncompressed
    expect(all.json<DicomJson[]>().every((i) => i['00083002']?.Value?.join() === '1.2.840.10008.1.2.1')).toBe(
      true,
    );
  });

  it('answers series metadata for 300 instances from the index, with pixel data as bulk data', async () => {
    const res = await t.as(tech, {
      method: 'GET',
      url: `/dicomweb/studies/${studyUid}/series/${seriesUid}/metadata`,
    });
    expect(res.statusCode).toBe(200);
    const metadata = res.json<DicomJson[]>();
    expect(metadata).toHaveLength(SLICES);
    expect(metadata[0]?.['7FE00010']?.BulkDataURI).toMatch(/\/bulkdata\/7FE00010$/);
    expect(metadata[0]?.['00083002']).toEqual({ vr: 'UI', Value: ['1.2.840.10008.1.2.1'] });
    expect(metadata.map((m) => m['00080018']?.Value?.[0]).sort()).toEqual([...sopUids].sort());
  });

  it('returns every frame byte-identical to what was sent', async () => {
    for (let i = 0; i < SLICES; i++) {
      const res = await t.as(tech, {
        method: 'GET',
        url: `/dicomweb/studies/${studyUid}/series/${seriesUid}/instances/${sopUids[i] ?? ''}/frames/1`,
      });
      expect(res.statusCode).toBe(200);
      const [frame] = splitMultipart(res.rawPayload, String(res.headers['content-type']));
      const sent = series[i] ?? new Uint8Array();
      expect(frame?.length).toBe(FRAME_BYTES);
      expect(
        Buffer.compare(frame ?? Buffer.alloc(0), Buffer.from(sent.subarray(sent.length - FRAME_BYTES))),
      ).toBe(0);
    }
  }, 120_000);

  it('retrieves the series as the very files that were sent, and one instance over WADO-URI', async () => {
    const res = await t.as(tech, { method: 'GET', url: `/dicomweb/studies/${studyUid}/series/${seriesUid}` });
    const parts = splitMultipart(res.rawPayload, String(res.headers['content-type']));
    expect(parts).toHaveLength(SLICES);
    const sent = new Set(series.map((s) => Buffer.from(s).toString('base64')));
    for (const p of parts) expect(sent.has(p.toString('base64'))).toBe(true);
    const one = await t.as(tech, {
      method: 'GET',
      url: `/wado?requestType=WADO&studyUID=${studyUid}&seriesUID=${seriesUid}&objectUID=${sopUids[7] ?? ''}&contentType=application%2Fdicom`,
    });
    expect(one.statusCode).toBe(200);
    expect(Buffer.compare(one.rawPayload, Buffer.from(series[7] ?? []))).toBe(0);
  });

  it('accepts the same instance again, and refuses changed bytes under the same UID, keeping the stored copy', async () => {
    const again = await stow(tech, [series[0] ?? new Uint8Array()]);
    expect(again.statusCode).toBe(200);
    const changed = Buffer.from(series[0] ?? []);
    changed.writeUInt8((changed.at(-1) ?? 0) ^ 0xff, changed.length - 1);
    const before = await tableDigests(t.db.pool);
    const res = await stow(tech, [changed]);
    expect(res.statusCode).toBe(409);
    expect(failures(res.json<DicomJson>())[0]?.reason).toBe(0x0111);
    expect({ ...(await tableDigests(t.db.pool)), audit_events: '' }).toEqual({ ...before, audit_events: '' });
    const wado = await t.as(tech, {
      method: 'GET',
      url: `/wado?requestType=WADO&studyUID=${studyUid}&seriesUID=${seriesUid}&objectUID=${sopUids[0] ?? ''}`,
    });
    expect(Buffer.compare(wado.rawPayload, Buffer.from(series[0] ?? []))).toBe(0);
  });

  it('refuses bad parts one by one with a reason, stores the good ones, and leaves no partial file', async () => {
    const mr = [...generateSeries({ modality: 'MR', slices: 2, seed: 99, rows: 64, columns: 64 })];
    const good = mr[0] ?? new Uint8Array();
    const truncated = good.subarray(0, Math.floor(good.length / 2));
    const text = new TextEncoder().encode('这不是 DICOM 文件 — just a text file\n'.repeat(20));
    // a declared 4 GB element: the pixel data length field set to 0xFFFFFFF0
    const huge = Buffer.from(mr[1] ?? []);
    const pixelTag = huge.lastIndexOf(Buffer.from([0xe0, 0x7f, 0x10, 0x00]));
    huge.writeUInt32LE(0xfffffff0, pixelTag + 8);
    // wrong lengths: the patient name's length made to run over the following elements
    const wrongLength = Buffer.from(good);
    const nameTag = wrongLength.indexOf(Buffer.from([0x10, 0x00, 0x10, 0x00, 0x50, 0x4e]));
    wrongLength.writeUInt16LE(0xfff0, nameTag + 6);
    // a zip bomb: deflated transfer syntax whose dataset inflates far past the per-instance limit
    const bomb = deflateBomb(64 * 1024 * 1024);
    const blobs = async (): Promise<number> =>
      (await readdir(join(t.archiveDir, 'objects'), { recursive: true })).filter((f) =>
        /[0-9a-f]{64}$/.test(f),
      ).length;
    const before = await blobs();
    const res = await stow(tech, [truncated, text, huge, wrongLength, bomb, good]);
    expect(res.statusCode, res.body).toBe(202);
    const body = res.json<DicomJson>();
    expect(body['00081199']?.Value).toHaveLength(1);
    const failed = failures(body);
    expect(failed).toHaveLength(5);
    for (const f of failed) {
      expect([0xc000, 0xa700, 0xa900, 0xc122]).toContain(f.reason);
      expect(f.comment.length).toBeGreaterThan(10);
    }
    expect(await readdir(join(t.archiveDir, 'tmp'))).toEqual([]);
    expect(await blobs()).toBe(before + 1);
    // the server is fine afterwards
    expect((await t.as(tech, { method: 'GET', url: '/dicomweb/studies?limit=1' })).statusCode).toBe(200);
  }, 60_000);

  it('stores implicit VR little endian too, frames intact', async () => {
    const implicit = [
      ...generateSeries({
        modality: 'MR',
        slices: 2,
        seed: 31,
        rows: 128,
        columns: 128,
        transferSyntaxUid: '1.2.840.10008.1.2',
      }),
    ];
    const res = await stow(tech, implicit);
    expect(res.statusCode, res.body).toBe(200);
    const first = implicit[0] ?? new Uint8Array();
    const ids = ['0020000D', '0020000E', '00080018'].map((tag) => uidOfImplicit(first, tag));
    const frame = await t.as(tech, {
      method: 'GET',
      url: `/dicomweb/studies/${ids[0] ?? ''}/series/${ids[1] ?? ''}/instances/${ids[2] ?? ''}/frames/1`,
    });
    const [bytes] = splitMultipart(frame.rawPayload, String(frame.headers['content-type']));
    expect(
      Buffer.compare(bytes ?? Buffer.alloc(0), Buffer.from(first.subarray(first.length - 128 * 128 * 2))),
    ).toBe(0);
  });

  it('refuses a request that is not multipart/related DICOM, saying what to send', async () => {
    const res = await t.as(tech, {
      method: 'POST',
      url: '/dicomweb/studies',
      payload: Buffer.from(series[0] ?? []),
      headers: { 'content-type': 'application/dicom' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json<{ detail: string }>().detail).toMatch(/multipart\/related/);
  });

  it('hides a hospital’s studies from another hospital on every DICOMweb route', async () => {
    const outsider = await t.login('zhangwei');
    const routes = t.routes.filter(
      (r) => (r.url.startsWith('/dicomweb') || r.url === '/wado') && r.method === 'GET',
    );
    expect(routes.length).toBeGreaterThanOrEqual(13);
    for (const route of routes) {
      const url = route.url
        .replace(':study', studyUid)
        .replace(':series', seriesUid)
        .replace(':instance', sopUids[0] ?? '')
        .replace(':frames', '1')
        .replace(':tag', '7FE00010');
      const query =
        route.url === '/wado'
          ? `?requestType=WADO&studyUID=${studyUid}&seriesUID=${seriesUid}&objectUID=${sopUids[0] ?? ''}`
          : '';
      const res = await t.as(outsider, { method: 'GET', url: url + query });
      expect([204, 404], `${route.url}: ${res.statusCode}`).toContain(res.statusCode);
      expect(res.body).not.toContain('张三');
    }
    // and storing into it from another hospital is refused
    const res = await stow(outsider, [series[1] ?? new Uint8Array()]);
    expect(res.statusCode).toBe(409);
  });
});

/** A Part 10 file in Deflated Explicit VR Little Endian whose dataset inflates to `size` bytes of zeros. */
function deflateBomb(size: number): Buffer {
  const meta = (tag: [number, number], vr: string, value: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt16LE(tag[0], 0);
    head.writeUInt16LE(tag[1], 2);
    head.write(vr, 4, 'latin1');
    head.writeUInt16LE(value.length, 6);
    return Buffer.concat([head, value]);
  };
  const ui = (s: string): Buffer => Buffer.from(s.length % 2 ? `${s}\0` : s, 'latin1');
  const elements = Buffer.concat([
    meta([0x0002, 0x0002], 'UI', ui('1.2.840.10008.5.1.4.1.1.7')),
    meta([0x0002, 0x0003], 'UI', ui('1.2.826.0.1.3680043.10.1207.999.1')),
    meta([0x0002, 0x0010], 'UI', ui('1.2.840.10008.1.2.1.99')),
  ]);
  const groupLength = Buffer.alloc(12);
  groupLength.writeUInt16LE(0x0002, 0);
  groupLength.writeUInt16LE(0x0000, 2);
  groupLength.write('UL', 4, 'latin1');
  groupLength.writeUInt16LE(4, 6);
  groupLength.writeUInt32LE(elements.length, 8);
  // the dataset: one OB element of zeros, huge once inflated
  const obHead = Buffer.alloc(12);
  obHead.writeUInt16LE(0x0009, 0);
  obHead.writeUInt16LE(0x1010, 2);
  obHead.write('OB', 4, 'latin1');
  obHead.writeUInt32LE(size, 8);
  const dataset = deflateRawSync(Buffer.concat([obHead, Buffer.alloc(size)]), { level: 9 });
  return Buffer.concat([Buffer.alloc(128), Buffer.from('DICM'), groupLength, elements, dataset]);
}
