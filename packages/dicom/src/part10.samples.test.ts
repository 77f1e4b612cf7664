/**
 * Real-world files from pydicom's test data (Debian package python3-pydicom), read from where Debian installs them
 * or from PYDICOM_DATA. Skipped with a note when absent; CI installs the package.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { frameBytes } from './frames.js';
import { inflateRawLimited } from './node/inflate.js';
import { parsePart10, part10ToJson } from './part10.js';
import { DicomError } from './types.js';
import type { DicomJson } from './types.js';

const root = process.env.PYDICOM_DATA ?? '/usr/lib/python3/dist-packages/pydicom/data';
const present = existsSync(join(root, 'charset_files', 'chrX2.dcm'));
const note = present ? '' : ' [skipped: pydicom sample files missing; apt-get install python3-pydicom]';

function read(path: string): Uint8Array {
  return new Uint8Array(readFileSync(join(root, path)));
}

function patientName(json: DicomJson): unknown {
  return json['00100010']?.Value?.[0];
}

describe.skipIf(!present)(`pydicom sample files${note}`, () => {
  it('decodes Chinese names in GB18030 and UTF-8', () => {
    expect(patientName(parsePart10(read('charset_files/chrX2.dcm')).json)).toEqual({
      Alphabetic: 'Wang^XiaoDong',
      Ideographic: '王^小东',
    });
    expect(patientName(parsePart10(read('charset_files/chrX1.dcm')).json)).toEqual({
      Alphabetic: 'Wang^XiaoDong',
      Ideographic: '王^小東',
    });
  });

  it('decodes ISO 2022 Japanese and Korean names with their escape sequences', () => {
    const japanese = { Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' };
    expect(patientName(parsePart10(read('charset_files/chrH31.dcm')).json)).toEqual({
      Alphabetic: 'Yamada^Tarou',
      ...japanese,
    });
    expect(patientName(parsePart10(read('charset_files/chrH32.dcm')).json)).toEqual({
      Alphabetic: 'ﾔﾏﾀﾞ^ﾀﾛｳ',
      ...japanese,
    });
    expect(patientName(parsePart10(read('charset_files/chrI2.dcm')).json)).toEqual({
      Alphabetic: 'Hong^Gildong',
      Ideographic: '洪^吉洞',
      Phonetic: '홍^길동',
    });
    expect(patientName(parsePart10(read('charset_files/chrKoreanMulti.dcm')).json)).toEqual({
      Alphabetic: '김희중',
    });
  });

  it('decodes the single-byte character sets', () => {
    const names: Record<string, string> = {
      chrArab: 'قباني^لنزار',
      chrFren: 'Buc^Jérôme',
      chrGerm: 'Äneas^Rüdiger',
      chrGreek: 'Διονυσιος',
      chrHbrw: 'שרון^דבורה',
      chrRuss: 'Люкceмбypг',
    };
    for (const [file, name] of Object.entries(names)) {
      expect(patientName(parsePart10(read(`charset_files/${file}.dcm`)).json)).toEqual({ Alphabetic: name });
    }
  });

  it('applies a character set declared inside a sequence item, and inherits it otherwise', () => {
    const expected = { Alphabetic: 'ﾔﾏﾀﾞ^ﾀﾛｳ', Ideographic: '山田^太郎', Phonetic: 'やまだ^たろう' };
    for (const file of ['chrSQEncoding.dcm', 'chrSQEncoding1.dcm']) {
      const item = part10ToJson(read(`charset_files/${file}`))['00321064']?.Value?.[0] as DicomJson;
      expect(patientName(item)).toEqual(expected);
    }
  });

  it('reads one MR image in six transfer syntaxes to the same attributes and frames', () => {
    const explicit = read('test_files/MR_small.dcm');
    const reference = parsePart10(explicit);
    const pixels = frameBytes(explicit, reference.frames[0]!);
    expect(pixels.length).toBe(64 * 64 * 2);
    for (const name of [
      'MR_small_implicit',
      'MR_small_bigendian',
      'MR_small_RLE',
      'MR_small_jpeg_ls_lossless',
      'MR_small_jp2klossless',
    ]) {
      const file = read(`test_files/${name}.dcm`);
      const parsed = parsePart10(file);
      expect(patientName(parsed.json)).toEqual({ Alphabetic: 'CompressedSamples^MR1' });
      expect(parsed.json['00280010']?.Value).toEqual([64]);
      expect(parsed.sopInstanceUid).toBe(reference.sopInstanceUid);
      expect(parsed.frames).toHaveLength(1);
      const frame = frameBytes(file, parsed.frames[0]!);
      if (name === 'MR_small_implicit') expect(frame).toEqual(pixels);
      if (name === 'MR_small_bigendian') {
        expect(Array.from(frame).map((_, i, all) => all[i ^ 1])).toEqual(Array.from(pixels));
      }
      expect(parsed.encapsulated).toBe(!['MR_small_implicit', 'MR_small_bigendian'].includes(name));
    }
  });

  it('finds every frame of multi-frame files, native and RLE', () => {
    expect(parsePart10(read('test_files/rtdose.dcm')).frames).toHaveLength(15);
    expect(parsePart10(read('test_files/rtdose_rle.dcm')).frames).toHaveLength(15);
    expect(parsePart10(read('test_files/SC_rgb_rle_2frame.dcm')).frames).toHaveLength(2);
    expect(parsePart10(read('test_files/JPEG2000-embedded-sequence-delimiter.dcm')).frames).toHaveLength(1);
  });

  it('reads a deflated file through the Node inflater', () => {
    const parsed = parsePart10(read('test_files/image_dfl.dcm'), { inflate: inflateRawLimited });
    expect(parsed.transferSyntaxUid).toBe('1.2.840.10008.1.2.1.99');
    expect(parsed.frames).toHaveLength(1);
    expect(parsed.frames[0]!.offset + parsed.frames[0]!.length).toBeLessThanOrEqual(parsed.inflated!.length);
  });

  it('rejects the broken ones with the reason a sender can act on', () => {
    const reason = (path: string): string | undefined => {
      try {
        parsePart10(read(path));
        return undefined;
      } catch (error) {
        return error instanceof DicomError ? error.reason : 'other';
      }
    };
    expect(reason('test_files/MR_truncated.dcm')).toBe('truncated');
    expect(reason('test_files/rtplan_truncated.dcm')).toBe('truncated');
    expect(reason('test_files/no_meta.dcm')).toBe('not_dicom');
    expect(reason('test_files/meta_missing_tsyntax.dcm')).toBe('malformed');
    expect(reason('charset_files/chrSQEncoding.dcm')).toBe('missing_attribute');
  });
});
