import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { frameBytes } from './frames.js';
import { inflateRawLimited } from './node/inflate.js';
import { parsePart10, part10ToJson } from './part10.js';
import { TransferSyntaxUid } from './transfer-syntax.js';
import { DicomError } from './types.js';
import type { DicomErrorReason } from './types.js';
import { writePart10 } from './writer.js';
import type { WritableDataset } from './writer.js';

const UIDS = {
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
  '00080018': { vr: 'UI', Value: ['1.2.3.4.5.6'] },
  '0020000D': { vr: 'UI', Value: ['1.2.3.4'] },
  '0020000E': { vr: 'UI', Value: ['1.2.3.4.5'] },
} satisfies WritableDataset;

/** A small image: `frames` frames of 4 x 3 pixels, 16 bits each. */
function image(frames = 1, extra: WritableDataset = {}): WritableDataset {
  return {
    ...UIDS,
    '00080005': { vr: 'CS', Value: ['GB18030'] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: '张三' }] },
    '00280002': { vr: 'US', Value: [1] },
    '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
    '00280008': { vr: 'IS', Value: [frames] },
    '00280010': { vr: 'US', Value: [3] },
    '00280011': { vr: 'US', Value: [4] },
    '00280100': { vr: 'US', Value: [16] },
    '00280101': { vr: 'US', Value: [16] },
    '00280102': { vr: 'US', Value: [15] },
    '00280103': { vr: 'US', Value: [0] },
    '7FE00010': { vr: 'OW', bytes: Uint8Array.from({ length: frames * 24 }, (_, i) => i) },
    ...extra,
  };
}

function rejection(run: () => unknown): { reason: DicomErrorReason; message: string } {
  try {
    run();
  } catch (error) {
    if (error instanceof DicomError) return { reason: error.reason, message: error.message };
    throw error;
  }
  throw new Error('expected a DicomError');
}

function find(bytes: Uint8Array, pattern: number[], from = 132): number {
  for (let i = from; i + pattern.length <= bytes.length; i++) {
    if (pattern.every((b, j) => bytes[i + j] === b)) return i;
  }
  throw new Error('pattern not found');
}

describe('what parsePart10 refuses', () => {
  it('rejects files without DICM at byte 128, naming what they look like', () => {
    const text = new TextEncoder().encode('Patient: Zhang San\nStudy: CT chest\n'.repeat(10));
    expect(rejection(() => parsePart10(text))).toMatchObject({ reason: 'not_dicom', message: /text file/ });
    const zip = Uint8Array.from([0x50, 0x4b, 0x03, 0x04, ...new Uint8Array(300)]);
    expect(rejection(() => parsePart10(zip))).toMatchObject({ reason: 'not_dicom', message: /ZIP/ });
    const raw = writePart10(image()).subarray(132);
    expect(rejection(() => parsePart10(raw))).toMatchObject({ reason: 'not_dicom', message: /DICM/ });
    expect(rejection(() => parsePart10(new Uint8Array(10)))).toMatchObject({ reason: 'not_dicom' });
  });

  it('rejects files over maxBytes before reading them', () => {
    const file = writePart10(image());
    expect(rejection(() => parsePart10(file, { maxBytes: 100 }))).toMatchObject({ reason: 'too_large' });
    expect(parsePart10(file, { maxBytes: file.length }).sopInstanceUid).toBe('1.2.3.4.5.6');
  });

  it('names the missing identifying attribute', () => {
    for (const [tag, keyword] of [
      [[0x08, 0x00, 0x16, 0x00], 'SOPClassUID'],
      [[0x08, 0x00, 0x18, 0x00], 'SOPInstanceUID'],
      [[0x20, 0x00, 0x0d, 0x00], 'StudyInstanceUID'],
      [[0x20, 0x00, 0x0e, 0x00], 'SeriesInstanceUID'],
    ] as const) {
      // Renumbering the element in the dataset removes it while File Meta (group 0002) keeps its own copies.
      const file = writePart10(image());
      const at = find(file, [...tag, 0x55, 0x49]) + 2;
      file[at] = (file[at] ?? 0) + 0x80;
      const error = rejection(() => parsePart10(file));
      expect(error.reason).toBe('missing_attribute');
      expect(error.message).toContain(keyword);
    }
  });

  it('names a missing Transfer Syntax UID', () => {
    const file = writePart10(image());
    file[find(file, [0x02, 0x00, 0x10, 0x00, 0x55, 0x49]) + 2] = 0x11;
    expect(rejection(() => parsePart10(file))).toMatchObject({
      reason: 'missing_attribute',
      message: /TransferSyntaxUID/,
    });
  });

  it('rejects UIDs with letters or more than 64 characters', () => {
    const letters = writePart10(image(1, { '0020000D': { vr: 'UI', Value: ['1.2.abc'] } }));
    expect(rejection(() => parsePart10(letters))).toMatchObject({
      reason: 'invalid_uid',
      message: /StudyInstanceUID/,
    });
    const long = writePart10(image(1, { '0020000E': { vr: 'UI', Value: [`1.${'2'.repeat(64)}`] } }));
    expect(rejection(() => parsePart10(long))).toMatchObject({
      reason: 'invalid_uid',
      message: /SeriesInstanceUID/,
    });
  });

  it('rejects transfer syntaxes it cannot read, and deflate without an inflater', () => {
    const file = writePart10(image());
    const at = find(file, Array.from(new TextEncoder().encode('1.2.840.10008.1.2.1\0')));
    file.set(new TextEncoder().encode('1.2.840.99999.1.2.1'), at);
    expect(rejection(() => parsePart10(file))).toMatchObject({
      reason: 'unsupported_transfer_syntax',
      message: /1\.2\.840\.99999\.1\.2\.1.*Explicit VR Little Endian/,
    });
    const deflated = writePart10(image(), {
      transferSyntaxUid: TransferSyntaxUid.DeflatedExplicitVRLittleEndian,
      deflate: (bytes) => deflateRawSync(bytes),
    });
    expect(rejection(() => parsePart10(deflated))).toMatchObject({ reason: 'unsupported_transfer_syntax' });
  });

  it('reports a file cut short as truncated, wherever it ends', () => {
    const file = writePart10(image(4));
    for (const end of [140, 200, 400, file.length - 10]) {
      expect(rejection(() => parsePart10(file.subarray(0, end))).reason).toBe('truncated');
    }
  });

  it('reports a forged 4 GB length as bad_length without trying to read it', () => {
    for (const transferSyntaxUid of [
      TransferSyntaxUid.ExplicitVRLittleEndian,
      TransferSyntaxUid.ImplicitVRLittleEndian,
    ]) {
      const file = writePart10(image(), { transferSyntaxUid });
      const at = find(file, [0xe0, 0x7f, 0x10, 0x00]);
      const lengthAt = transferSyntaxUid === TransferSyntaxUid.ImplicitVRLittleEndian ? at + 4 : at + 8;
      new DataView(file.buffer).setUint32(lengthAt, 0xfffffff0, true);
      const error = rejection(() => parsePart10(file));
      expect(error.reason).toBe('bad_length');
      expect(error.message).toContain('PixelData (7FE0,0010)');
      expect(error.message).toContain('4294967280');
    }
  });

  it('reports a forged length in the middle of the dataset', () => {
    const file = writePart10(image(), { transferSyntaxUid: TransferSyntaxUid.ImplicitVRLittleEndian });
    const at = find(file, [0x10, 0x00, 0x10, 0x00]);
    new DataView(file.buffer).setUint32(at + 4, 0xfffffff0, true);
    expect(rejection(() => parsePart10(file)).reason).toMatch(/bad_length|truncated/);
  });

  it('rejects pixel data shorter than its geometry', () => {
    const file = writePart10(image(1, { '00280008': { vr: 'IS', Value: [5] } }));
    expect(rejection(() => parsePart10(file))).toMatchObject({
      reason: 'bad_pixel_data',
      message: /24 bytes.*need 120/,
    });
  });

  it('stops a deflate bomb at the limit', () => {
    const bomb = writePart10(image(1, { '00420011': { vr: 'OB', bytes: new Uint8Array(20_000_000) } }), {
      transferSyntaxUid: TransferSyntaxUid.DeflatedExplicitVRLittleEndian,
      deflate: (bytes) => deflateRawSync(bytes, { level: 9 }),
    });
    expect(bomb.length).toBeLessThan(100_000);
    expect(
      rejection(() => parsePart10(bomb, { maxBytes: 1_000_000, inflate: inflateRawLimited })),
    ).toMatchObject({
      reason: 'too_large',
    });
  });
});

describe('what parsePart10 returns', () => {
  it('gives identity, DICOM JSON without File Meta, and native frames', () => {
    const file = writePart10(image(3));
    const parsed = parsePart10(file);
    expect(parsed).toMatchObject({
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      sopInstanceUid: '1.2.3.4.5.6',
      studyInstanceUid: '1.2.3.4',
      seriesInstanceUid: '1.2.3.4.5',
      encapsulated: false,
    });
    expect(Object.keys(parsed.json).some((tag) => tag.startsWith('0002'))).toBe(false);
    expect(Object.keys(parsed.json)).toEqual(Object.keys(parsed.json).sort());
    expect(parsed.json['00100010']).toEqual({ vr: 'PN', Value: [{ Alphabetic: '张三' }] });
    expect(parsed.json['7FE00010']).toEqual({ vr: 'OW', InlineBinary: expect.any(String) as unknown });
    expect(parsed.frames).toHaveLength(3);
    parsed.frames.forEach((frame, i) => {
      expect(frame.length).toBe(24);
      expect(Array.from(frameBytes(file, frame))).toEqual(Array.from({ length: 24 }, (_, j) => i * 24 + j));
    });
  });

  it('turns large binary values into bulk data and keeps small ones inline', () => {
    const json = parsePart10(
      writePart10(image(20, { '00420011': { vr: 'OB', bytes: new Uint8Array(256) } })),
    ).json;
    expect(json['7FE00010']).toEqual({ vr: 'OW', BulkDataURI: '' });
    expect(json['00420011']).toEqual({ vr: 'OB', InlineBinary: 'A'.repeat(340) + 'AA==' });
  });

  it('follows the character set into sequence items, unless an item declares its own', () => {
    const dataset = image(1, {
      '00081032': {
        vr: 'SQ',
        Value: [
          { '00080104': { vr: 'LO', Value: ['胸部平扫'] } },
          { '00080005': { vr: 'CS', Value: ['ISO_IR 192'] }, '00080104': { vr: 'LO', Value: ['頭部'] } },
          {},
        ],
      },
    });
    const json = parsePart10(writePart10(dataset)).json;
    expect(json['00081032']).toEqual({
      vr: 'SQ',
      Value: [
        { '00080104': { vr: 'LO', Value: ['胸部平扫'] } },
        { '00080005': { vr: 'CS', Value: ['ISO_IR 192'] }, '00080104': { vr: 'LO', Value: ['頭部'] } },
        {},
      ],
    });
  });

  it('follows PS3.18 F.2 for strings, numbers, names and empty values', () => {
    const json = parsePart10(
      writePart10(
        image(1, {
          '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY', 'AXIAL'] },
          '00080050': { vr: 'SH' },
          '00081060': {
            vr: 'PN',
            Value: [{ Alphabetic: 'Li^Si' }, null, { Alphabetic: 'Wang^Wu', Ideographic: '王^五' }],
          },
          '00200032': { vr: 'DS', Value: [-175.5, 0, 1e-7] },
          '00200013': { vr: 'IS', Value: [12] },
          '00204000': { vr: 'LT', Value: ['  indented\\with backslash'] },
          '00280009': { vr: 'AT', Value: ['00181063'] },
          '00281050': { vr: 'DS', Value: [40, null, -600] },
        }),
      ),
    ).json;
    expect(json['00080008']).toEqual({ vr: 'CS', Value: ['ORIGINAL', 'PRIMARY', 'AXIAL'] });
    expect(json['00080050']).toEqual({ vr: 'SH' });
    expect(json['00081060']).toEqual({
      vr: 'PN',
      Value: [{ Alphabetic: 'Li^Si' }, null, { Alphabetic: 'Wang^Wu', Ideographic: '王^五' }],
    });
    expect(json['00200032']).toEqual({ vr: 'DS', Value: [-175.5, 0, 1e-7] });
    expect(json['00200013']).toEqual({ vr: 'IS', Value: [12] });
    expect(json['00204000']).toEqual({ vr: 'LT', Value: ['  indented\\with backslash'] });
    expect(json['00280009']).toEqual({ vr: 'AT', Value: ['00181063'] });
    expect(json['00281050']).toEqual({ vr: 'DS', Value: [40, null, -600] });
    expect(json['00280010']).toEqual({ vr: 'US', Value: [3] });
  });

  it('reads explicit big endian with values in the right byte order', () => {
    const little = writePart10(image(2));
    const big = writePart10(image(2), { transferSyntaxUid: TransferSyntaxUid.ExplicitVRBigEndian });
    const a = parsePart10(little);
    const b = parsePart10(big);
    expect(b.json).toEqual(a.json);
    const first = frameBytes(big, b.frames[0]!);
    const swapped = Array.from(frameBytes(little, a.frames[0]!)).map((_, i, all) => all[i ^ 1]);
    expect(Array.from(first)).toEqual(swapped);
  });

  it('reads deflated files through the given inflater; frames index the inflated dataset', () => {
    const deflated = writePart10(image(2), {
      transferSyntaxUid: TransferSyntaxUid.DeflatedExplicitVRLittleEndian,
      deflate: (bytes) => deflateRawSync(bytes),
    });
    const parsed = parsePart10(deflated, { inflate: inflateRawLimited });
    expect(parsed.json).toEqual(parsePart10(writePart10(image(2))).json);
    expect(parsed.inflated).toBeInstanceOf(Uint8Array);
    expect(Array.from(frameBytes(parsed.inflated!, parsed.frames[1]!))).toEqual(
      Array.from({ length: 24 }, (_, j) => 24 + j),
    );
  });

  it('reads files without identity through part10ToJson', () => {
    const noSeries = Object.fromEntries(Object.entries(image()).filter(([tag]) => tag !== '0020000E'));
    expect(part10ToJson(writePart10(noSeries))['00100010']?.Value).toEqual([{ Alphabetic: '张三' }]);
  });
});

describe('encapsulated frames', () => {
  const jpeg = (id: number, size = 10): Uint8Array =>
    Uint8Array.from({ length: size }, (_, i) => (i === 0 ? 0xff : i === 1 ? 0xd8 : id));
  const tail = (id: number): Uint8Array => Uint8Array.of(id, id, id, 0xff, 0xd9, 0);
  const encapsulated = (frames: number, fragments: Uint8Array[], offsetTable?: number[]): Uint8Array =>
    writePart10(
      image(frames, { '7FE00010': { vr: 'OB', fragments, ...(offsetTable ? { offsetTable } : {}) } }),
      {
        transferSyntaxUid: TransferSyntaxUid.JPEGBaseline8Bit,
      },
    );

  it('maps one fragment per frame', () => {
    const file = encapsulated(3, [jpeg(1), jpeg(2), jpeg(3)]);
    const parsed = parsePart10(file);
    expect(parsed.encapsulated).toBe(true);
    expect(parsed.frames.map((f) => frameBytes(file, f)[2])).toEqual([1, 2, 3]);
    expect(parsed.frames.every((f) => !f.fragments && f.length === 10)).toBe(true);
  });

  it('groups fragments by the Basic Offset Table, a frame being the concatenation of its fragments', () => {
    // Frame 1 = two fragments (8 + 10 and 8 + 6 bytes of items), frame 2 = one.
    const file = encapsulated(2, [jpeg(1), tail(1), jpeg(2)], [0, 32]);
    const [first, second] = parsePart10(file).frames;
    expect(first?.fragments).toHaveLength(2);
    expect(first?.length).toBe(16);
    expect(Array.from(frameBytes(file, first!))).toEqual([...jpeg(1), ...tail(1)]);
    expect(Array.from(frameBytes(file, second!))).toEqual([...jpeg(2)]);
  });

  it('finds frame starts by their JPEG markers when there is no offset table', () => {
    const file = encapsulated(2, [jpeg(1), tail(1), jpeg(2), tail(2)]);
    const frames = parsePart10(file).frames;
    expect(frames.map((f) => f.fragments?.length)).toEqual([2, 2]);
    expect(Array.from(frameBytes(file, frames[1]!))).toEqual([...jpeg(2), ...tail(2)]);
  });

  it('puts every fragment of a single-frame image into its one frame', () => {
    const frames = parsePart10(encapsulated(1, [jpeg(1), tail(1), tail(1)])).frames;
    expect(frames).toHaveLength(1);
    expect(frames[0]?.fragments).toHaveLength(3);
  });

  it('rejects fragments it cannot assign to frames', () => {
    const error = rejection(() => parsePart10(encapsulated(3, [jpeg(1), tail(1)])));
    expect(error).toMatchObject({ reason: 'bad_pixel_data', message: /2 fragments for 3 frames/ });
    const wrongTable = rejection(() => parsePart10(encapsulated(2, [jpeg(1), jpeg(2)], [0, 7])));
    expect(wrongTable).toMatchObject({ reason: 'bad_pixel_data', message: /Basic Offset Table/ });
  });
});
