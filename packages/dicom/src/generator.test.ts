import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { frameBytes } from './frames.js';
import { generateSeries, generateSlicePixels, seriesUids } from './generator.js';
import type { SeriesOptions } from './generator.js';
import { parsePart10 } from './part10.js';
import { TransferSyntaxUid } from './transfer-syntax.js';
import { isValidUid, UID_ROOT } from './uid.js';

const small: SeriesOptions = { modality: 'CT', slices: 4, rows: 64, columns: 64 };

function littleEndian(pixels: Uint16Array): Uint8Array {
  const bytes = new Uint8Array(pixels.length * 2);
  pixels.forEach((value, i) => {
    bytes[i * 2] = value & 0xff;
    bytes[i * 2 + 1] = value >> 8;
  });
  return bytes;
}

function value(json: ReturnType<typeof parsePart10>['json'], tag: string): unknown {
  return json[tag]?.Value;
}

describe('generateSeries', () => {
  it('round-trips: the Chinese name and every frame read back exactly as written', () => {
    const files = [...generateSeries(small)];
    expect(files).toHaveLength(4);
    files.forEach((file, index) => {
      const parsed = parsePart10(file);
      expect(parsed.json['00080005']?.Value).toEqual(['GB18030']);
      expect(parsed.json['00100010']?.Value).toEqual([{ Alphabetic: '张三' }]);
      expect(parsed.frames).toHaveLength(1);
      expect(frameBytes(file, parsed.frames[0]!)).toEqual(littleEndian(generateSlicePixels(small, index)));
    });
  });

  it('is deterministic: the same options give byte-identical files, another seed different ones', () => {
    const first = [...generateSeries(small)];
    const again = [...generateSeries(small)];
    expect(again).toEqual(first);
    const other = [...generateSeries({ ...small, seed: 2 })];
    expect(parsePart10(other[0]!).sopInstanceUid).not.toBe(parsePart10(first[0]!).sopInstanceUid);
    expect(frameBytes(other[0]!, parsePart10(other[0]!).frames[0]!)).not.toEqual(
      frameBytes(first[0]!, parsePart10(first[0]!).frames[0]!),
    );
  });

  it('derives valid UIDs under the platform root, announced by seriesUids', () => {
    const uids = seriesUids(small);
    const parsed = [...generateSeries(small)].map((file) => parsePart10(file));
    expect(parsed.map((p) => p.sopInstanceUid)).toEqual(uids.sopInstanceUids);
    for (const p of parsed) {
      expect(p.studyInstanceUid).toBe(uids.studyInstanceUid);
      expect(p.seriesInstanceUid).toBe(uids.seriesInstanceUid);
      for (const uid of [p.studyInstanceUid, p.seriesInstanceUid, p.sopInstanceUid]) {
        expect(uid.startsWith(`${UID_ROOT}.`)).toBe(true);
        expect(isValidUid(uid)).toBe(true);
      }
    }
    expect(new Set(uids.sopInstanceUids).size).toBe(4);
  });

  it('writes what a viewer needs for a CT volume: HU rescale, geometry, windows', () => {
    const json = parsePart10([...generateSeries({ modality: 'CT', slices: 3 })][1]!).json;
    expect(value(json, '00080016')).toEqual(['1.2.840.10008.5.1.4.1.1.2']);
    expect(value(json, '00080060')).toEqual(['CT']);
    expect(value(json, '00280010')).toEqual([512]);
    expect(value(json, '00280011')).toEqual([512]);
    expect(value(json, '00281052')).toEqual([-1024]);
    expect(value(json, '00281053')).toEqual([1]);
    expect(value(json, '00200037')).toEqual([1, 0, 0, 0, 1, 0]);
    expect(value(json, '00200013')).toEqual([2]);
    expect(value(json, '00280030')).toEqual([0.68359375, 0.68359375]);
    expect(value(json, '00281050')).toEqual([40, -600]);
    expect(json['00180050']?.Value).toHaveLength(1);
    expect(json['00200032']?.Value).toHaveLength(3);
    expect(json['00200052']?.Value).toHaveLength(1);
    expect(value(json, '00080080')).toEqual(['县人民医院']);
  });

  it('renders anatomy in Hounsfield units: air outside, soft tissue in the middle of the body', () => {
    const pixels = generateSlicePixels({ modality: 'CT', slices: 9 }, 6);
    const hu = (row: number, column: number): number => (pixels[row * 512 + column] ?? 0) - 1024;
    expect(hu(5, 5)).toBeLessThan(-950);
    const centre = [-30, -20, -10, 0, 10, 20, 30].map((d) => hu(256 + d, 200));
    expect(Math.min(...centre)).toBeGreaterThan(-200);
    expect(Math.max(...centre)).toBeLessThan(300);
  });

  it('makes MR 256 x 256 unsigned images with the MR Image Storage class', () => {
    const files = [...generateSeries({ modality: 'MR', slices: 2, seed: 7 })];
    const parsed = parsePart10(files[0]!);
    expect(parsed.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.4');
    expect(value(parsed.json, '00280010')).toEqual([256]);
    expect(value(parsed.json, '00280103')).toEqual([0]);
    expect(value(parsed.json, '00180020')).toEqual(['SE']);
    expect(parsed.frames[0]?.length).toBe(256 * 256 * 2);
  });

  it('writes names in the chosen character set', () => {
    const utf8 = parsePart10(
      [...generateSeries({ ...small, slices: 1, charset: 'ISO_IR 192', patientName: 'Zhang^San=张^三' })][0]!,
    );
    expect(utf8.json['00080005']?.Value).toEqual(['ISO_IR 192']);
    expect(utf8.json['00100010']?.Value).toEqual([{ Alphabetic: 'Zhang^San', Ideographic: '张^三' }]);
    const latin = parsePart10(
      [...generateSeries({ ...small, slices: 1, charset: 'ISO_IR 100', patientName: 'Müller^Jürgen' })][0]!,
    );
    expect(latin.json['00100010']?.Value).toEqual([{ Alphabetic: 'Müller^Jürgen' }]);
    expect(() => [
      ...generateSeries({ ...small, slices: 1, charset: 'ISO_IR 100', patientName: '张三' }),
    ]).toThrow(/cannot be encoded/);
  });

  it('puts series into a given study and keeps accession number and patient ID', () => {
    const options = { studyInstanceUid: '1.2.3.4.5', accessionNumber: 'ACC42', patientId: 'P-9' };
    const ct = parsePart10([...generateSeries({ ...small, ...options })][0]!);
    const mr = parsePart10(
      [...generateSeries({ modality: 'MR', slices: 1, rows: 32, columns: 32, ...options })][0]!,
    );
    expect(ct.studyInstanceUid).toBe('1.2.3.4.5');
    expect(mr.studyInstanceUid).toBe('1.2.3.4.5');
    expect(ct.seriesInstanceUid).not.toBe(mr.seriesInstanceUid);
    expect(ct.json['00080050']?.Value).toEqual(['ACC42']);
    expect(mr.json['00100020']?.Value).toEqual(['P-9']);
  });

  it('produces slices lazily, one at a time', () => {
    const iterator = generateSeries({ modality: 'CT', slices: 300, rows: 32, columns: 32 });
    const first = iterator.next();
    expect(first.done).toBe(false);
    expect(parsePart10(first.value as Uint8Array).json['00200013']?.Value).toEqual([1]);
  });

  it('writes implicit VR little endian when asked', () => {
    const file = [
      ...generateSeries({ ...small, slices: 1, transferSyntaxUid: TransferSyntaxUid.ImplicitVRLittleEndian }),
    ][0]!;
    const parsed = parsePart10(file);
    expect(parsed.transferSyntaxUid).toBe(TransferSyntaxUid.ImplicitVRLittleEndian);
    expect(parsed.json['00100010']?.Value).toEqual([{ Alphabetic: '张三' }]);
  });
});

const dcmdump = spawnSync('dcmdump', ['--version'], { encoding: 'utf8' }).status === 0;
const scratch = mkdtempSync(join(tmpdir(), 'dicom-generator-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

describe('dcmtk accepts generated series', () => {
  it.skipIf(!dcmdump)(
    `dcmdump reads generated CT and MR slices without warnings${dcmdump ? '' : ' [skipped: dcmdump not on PATH; apt-get install dcmtk]'}`,
    () => {
      for (const modality of ['CT', 'MR'] as const) {
        const [file] = generateSeries({ modality, slices: 1 });
        const path = join(scratch, `${modality}.dcm`);
        writeFileSync(path, file!);
        const result = spawnSync('dcmdump', ['+U8', path], { encoding: 'utf8' });
        const problems = `${result.stdout}\n${result.stderr}`
          .split('\n')
          .filter((line) => /^[WEF]: /.test(line));
        expect(problems).toEqual([]);
        expect(result.status).toBe(0);
        expect(result.stdout).toContain('[张三]');
        expect(result.stdout).toContain(modality === 'CT' ? '=CTImageStorage' : '=MRImageStorage');
      }
    },
  );
});
