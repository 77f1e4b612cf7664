/**
 * Frames as PS3.18 8.7.3.5 says: uncompressed unless the client asks for the stored encoding. Compressed instances
 * are made with dcmtk from generated MR slices; pydicom's JPEG Extended sample stands for a syntax the viewer's
 * codecs cannot decode. Skipped with a note when either is missing; CI installs both.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frameBytes, generateSeries, parseMultipartContentType, parsePart10 } from '@telemed/dicom';
import { startTestApp, type TestApp } from '../test/test-app.js';

const run = promisify(execFile);
const PYDICOM = join(process.env.PYDICOM_DATA ?? '/usr/lib/python3/dist-packages/pydicom/data', 'test_files');
const hasDcmtk = ((): boolean => {
  try {
    execFileSync('dcmcjpls', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const present = hasDcmtk && existsSync(join(PYDICOM, 'JPGExtended.dcm'));
const note = present ? '' : ' [skipped: apt-get install dcmtk python3-pydicom]';

const UNCOMPRESSED = '1.2.840.10008.1.2.1';
const OCTET = 'multipart/related; type="application/octet-stream"';

interface Stored {
  path: string;
  transferSyntaxUid: string;
  /** frame 1 as stored */
  stored: Buffer;
  /** frame 1 uncompressed, as generated */
  pixels: Buffer;
}

let t: TestApp;
let tech: string;
let work: string;
const made = new Map<string, Stored>();

function pathOf(file: Uint8Array): string {
  const parsed = parsePart10(file);
  return `/dicomweb/studies/${parsed.studyInstanceUid}/series/${parsed.seriesInstanceUid}/instances/${parsed.sopInstanceUid}`;
}

function frameOf(file: Uint8Array): Buffer {
  const parsed = parsePart10(file);
  const first = parsed.frames[0];
  if (!first) throw new Error('no frame');
  return Buffer.from(frameBytes(file, first));
}

/** The parts of a multipart answer: each one's Content-Type and body. */
function partsOf(body: Buffer, contentType: string): { type: string; body: Buffer }[] {
  const boundary = parseMultipartContentType(contentType)?.boundary;
  if (!boundary) throw new Error(`not multipart: ${contentType}`);
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const out: { type: string; body: Buffer }[] = [];
  let at = body.indexOf(delimiter);
  while (at >= 0) {
    const headerEnd = body.indexOf('\r\n\r\n', at);
    const next = body.indexOf(delimiter, at + delimiter.length);
    if (next < 0 || headerEnd < 0 || headerEnd > next) break;
    const head = body.subarray(at, headerEnd).toString('latin1');
    out.push({
      type: /content-type: *([^\r\n]+)/i.exec(head)?.[1] ?? '',
      body: body.subarray(headerEnd + 4, next),
    });
    at = next;
  }
  return out;
}

async function frame(name: string, accept?: string) {
  const instance = made.get(name);
  if (!instance) throw new Error(`no ${name}`);
  return t.as(tech, {
    method: 'GET',
    url: `${instance.path}/frames/1`,
    headers: accept === undefined ? {} : { accept },
  });
}

beforeAll(async () => {
  if (!present) return;
  t = await startTestApp();
  tech = await t.login('wangjianguo');
  work = await mkdtemp(join(tmpdir(), 'telemed-frames-test-'));
  // one generated MR slice per encoding, each its own study so the UIDs differ
  const encodings: [name: string, tool: string, options: string[]][] = [
    ['native', '', []],
    ['jpeg-ls', 'dcmcjpls', ['+el']],
    ['rle', 'dcmcrle', []],
    ['jpeg-lossless', 'dcmcjpeg', ['+e1']],
  ];
  const files: Uint8Array[] = [];
  for (const [i, [name, tool, options]] of encodings.entries()) {
    const [source] = generateSeries({ modality: 'MR', slices: 1, seed: 700 + i, rows: 96, columns: 80 });
    if (!source) throw new Error('nothing generated');
    let file = source;
    if (tool) {
      const input = join(work, `${name}-in.dcm`);
      const output = join(work, `${name}.dcm`);
      await writeFile(input, source);
      await run(tool, [...options, input, output]);
      file = new Uint8Array(await readFile(output));
    }
    files.push(file);
    made.set(name, {
      path: pathOf(file),
      transferSyntaxUid: parsePart10(file).transferSyntaxUid,
      stored: frameOf(file),
      pixels: frameOf(source),
    });
  }
  const extended = new Uint8Array(await readFile(join(PYDICOM, 'JPGExtended.dcm')));
  files.push(extended);
  made.set('jpeg-extended', {
    path: pathOf(extended),
    transferSyntaxUid: parsePart10(extended).transferSyntaxUid,
    stored: frameOf(extended),
    pixels: Buffer.alloc(0),
  });
  const res = await t.stow(tech, files);
  expect(res.statusCode, res.body).toBe(200);
}, 120_000);

afterAll(async () => {
  if (!present) return;
  await rm(work, { recursive: true, force: true });
  await t.close();
});

describe.skipIf(!present)(`WADO-RS frames and the Accept header${note}`, () => {
  it('offers the stored syntax, and uncompressed when it can decode, as Available Transfer Syntax UID', async () => {
    const offered = async (name: string): Promise<unknown> => {
      const path = made.get(name)?.path ?? '';
      const metadata = await t.as(tech, { method: 'GET', url: `${path}/metadata` });
      expect(metadata.statusCode).toBe(200);
      const fromMetadata = metadata.json<Record<string, { Value?: unknown[] }>[]>()[0]?.['00083002']?.Value;
      const uid = path.split('/').pop() ?? '';
      const search = await t.as(tech, {
        method: 'GET',
        url: `${path.slice(0, path.lastIndexOf('/'))}?SOPInstanceUID=${uid}`,
      });
      const fromSearch = search.json<Record<string, { Value?: unknown[] }>[]>()[0]?.['00083002']?.Value;
      expect(fromSearch).toEqual(fromMetadata);
      return fromMetadata;
    };
    expect(await offered('jpeg-ls')).toEqual(['1.2.840.10008.1.2.4.80', UNCOMPRESSED]);
    expect(await offered('rle')).toEqual(['1.2.840.10008.1.2.5', UNCOMPRESSED]);
    expect(await offered('native')).toEqual([UNCOMPRESSED]);
    expect(await offered('jpeg-extended')).toEqual(['1.2.840.10008.1.2.4.51']);
  });

  it('answers uncompressed little-endian pixels, decoded on the server, when no transfer syntax is asked for', async () => {
    for (const name of ['jpeg-ls', 'rle', 'jpeg-lossless', 'native']) {
      const instance = made.get(name);
      expect(instance?.transferSyntaxUid, name).toBe(
        {
          native: UNCOMPRESSED,
          'jpeg-ls': '1.2.840.10008.1.2.4.80',
          rle: '1.2.840.10008.1.2.5',
          'jpeg-lossless': '1.2.840.10008.1.2.4.70',
        }[name],
      );
      for (const accept of [OCTET, undefined, '*/*']) {
        const res = await frame(name, accept);
        expect(res.statusCode, `${name} ${String(accept)}: ${res.body.slice(0, 300)}`).toBe(200);
        expect(res.headers['content-type']).toMatch(/^multipart\/related; type="application\/octet-stream"/);
        const parts = partsOf(res.rawPayload, String(res.headers['content-type']));
        expect(parts).toHaveLength(1);
        expect(parts[0]?.type).toBe(`application/octet-stream; transfer-syntax=${UNCOMPRESSED}`);
        expect(parts[0]?.body.equals(instance?.pixels ?? Buffer.alloc(0)), `${name} ${String(accept)}`).toBe(
          true,
        );
      }
    }
  });

  it('answers the frame as stored for transfer-syntax=* and for the media type it is stored in', async () => {
    const jls = made.get('jpeg-ls');
    const star = await frame('jpeg-ls', `${OCTET}; transfer-syntax=*`);
    expect(star.statusCode).toBe(200);
    const [asStored] = partsOf(star.rawPayload, String(star.headers['content-type']));
    expect(asStored?.type).toBe('application/octet-stream; transfer-syntax=1.2.840.10008.1.2.4.80');
    expect(asStored?.body.equals(jls?.stored ?? Buffer.alloc(0))).toBe(true);
    expect(asStored?.body.subarray(0, 2).toString('hex')).toBe('ffd8');

    const typed = await frame('jpeg-ls', 'multipart/related; type="image/jls"');
    expect(typed.statusCode).toBe(200);
    expect(typed.headers['content-type']).toMatch(/^multipart\/related; type="image\/jls"/);
    const [part] = partsOf(typed.rawPayload, String(typed.headers['content-type']));
    expect(part?.type).toBe('image/jls; transfer-syntax=1.2.840.10008.1.2.4.80');
    expect(part?.body.equals(jls?.stored ?? Buffer.alloc(0))).toBe(true);

    const rle = await frame(
      'rle',
      'multipart/related; type="image/jp2", multipart/related; type="image/x-dicom-rle"',
    );
    expect(rle.statusCode).toBe(200);
    expect(partsOf(rle.rawPayload, String(rle.headers['content-type']))[0]?.type).toBe(
      'image/x-dicom-rle; transfer-syntax=1.2.840.10008.1.2.5',
    );
  });

  it('refuses with 406 what it cannot produce, saying what the instance can be had as', async () => {
    const other = await frame('jpeg-ls', 'multipart/related; type="image/jp2"');
    expect(other.statusCode).toBe(406);
    expect(other.json<{ detail: string }>().detail).toMatch(
      /JPEG-LS Lossless \(1\.2\.840\.10008\.1\.2\.4\.80\)/,
    );
    expect(other.json<{ detail: string }>().detail).toMatch(/type="image\/jls"/);

    const compressedFromNative = await frame('native', 'multipart/related; type="image/jls"');
    expect(compressedFromNative.statusCode).toBe(406);

    const extended = await frame('jpeg-extended', OCTET);
    expect(extended.statusCode).toBe(406);
    expect(extended.json<{ detail: string }>().detail).toMatch(
      /nor decoded here; ask for multipart\/related; type="image\/jpeg"/,
    );
    const asStored = await frame('jpeg-extended', `${OCTET}; transfer-syntax=*`);
    expect(asStored.statusCode).toBe(200);
    const [part] = partsOf(asStored.rawPayload, String(asStored.headers['content-type']));
    expect(part?.body.equals(made.get('jpeg-extended')?.stored ?? Buffer.alloc(0))).toBe(true);
  });
});
