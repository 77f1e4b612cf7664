import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { inflateRawLimited } from './node/inflate.js';
import { parsePart10 } from './part10.js';
import { TransferSyntaxUid } from './transfer-syntax.js';
import type { DicomJson } from './types.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './uid.js';
import { formatDecimalString, part10Header, writePart10 } from './writer.js';
import type { WritableDataset } from './writer.js';

const pixels = Uint8Array.from({ length: 32 }, (_, i) => i * 7);
const document = Uint8Array.from({ length: 300 }, (_, i) => i % 251);

/** A Secondary Capture instance touching every kind of value the writer handles. */
const rich: WritableDataset = {
  '00080005': { vr: 'CS', Value: ['GB18030'] },
  '00080008': { vr: 'CS', Value: ['ORIGINAL', 'PRIMARY'] },
  '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.7'] },
  '00080018': { vr: 'UI', Value: ['1.2.3.4.5'] },
  '00080020': { vr: 'DA', Value: ['20240315'] },
  '00080050': { vr: 'SH' },
  '00080060': { vr: 'CS', Value: ['OT'] },
  '00080064': { vr: 'CS', Value: ['WSD'] },
  '00080080': { vr: 'LO', Value: ['县人民医院'] },
  '00080090': { vr: 'PN' },
  '00081032': {
    vr: 'SQ',
    Value: [
      { '00080100': { vr: 'SH', Value: ['CT001'] }, '00080104': { vr: 'LO', Value: ['胸部CT'] } },
      { '00080005': { vr: 'CS', Value: ['ISO_IR 192'] }, '00080104': { vr: 'LO', Value: ['頭部 MR'] } },
    ],
  },
  '00090010': { vr: 'LO', Value: ['TELEMED'] },
  '00091001': { vr: 'UN', InlineBinary: 'AQID' },
  '00100010': { vr: 'PN', Value: [{ Alphabetic: 'Zhang^San', Ideographic: '张^三' }] },
  '00100020': { vr: 'LO', Value: ['P0001'] },
  '00101030': { vr: 'DS', Value: [70.5] },
  '0020000D': { vr: 'UI', Value: ['1.2.3.4'] },
  '0020000E': { vr: 'UI', Value: ['1.2.3.4.1'] },
  '00200013': { vr: 'IS', Value: [7] },
  '00200032': { vr: 'DS', Value: [-175, -175, 12.5] },
  '00204000': { vr: 'LT', Value: ['C:\\reports\\one\r\nsecond line'] },
  '00280002': { vr: 'US', Value: [1] },
  '00280004': { vr: 'CS', Value: ['MONOCHROME2'] },
  '00280009': { vr: 'AT', Value: ['00181063'] },
  '00280010': { vr: 'US', Value: [4] },
  '00280011': { vr: 'US', Value: [4] },
  '00280100': { vr: 'US', Value: [16] },
  '00280101': { vr: 'US', Value: [12] },
  '00280102': { vr: 'US', Value: [11] },
  '00280103': { vr: 'US', Value: [0] },
  '00281050': { vr: 'DS', Value: [40, -600] },
  '00420011': { vr: 'OB', bytes: document },
  '7FE00010': { vr: 'OW', bytes: pixels },
};

/** What parsePart10 should give back for `rich`. */
const expectedJson: DicomJson = {
  ...rich,
  // Odd-length binary is padded with NUL, and the padding is part of the value.
  '00091001': { vr: 'UN', InlineBinary: 'AQIDAA==' },
  '00420011': { vr: 'OB', BulkDataURI: '' },
  '7FE00010': { vr: 'OW', InlineBinary: Buffer.from(pixels).toString('base64') },
};

function without(dataset: WritableDataset, tag: string): WritableDataset {
  return Object.fromEntries(Object.entries(dataset).filter(([key]) => key !== tag));
}

function element(file: Uint8Array, tag: string): { vr: string; length: number; header: number } {
  const group = Number.parseInt(tag.slice(0, 4), 16);
  const number = Number.parseInt(tag.slice(4), 16);
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  for (let at = 132; at + 8 <= file.length; at += 2) {
    if (view.getUint16(at, true) !== group || view.getUint16(at + 2, true) !== number) continue;
    const vr = String.fromCharCode(file[at + 4] ?? 0, file[at + 5] ?? 0);
    const long = ['OB', 'OW', 'SQ', 'UN', 'UT', 'UC', 'UR'].includes(vr);
    return long
      ? { vr, length: view.getUint32(at + 8, true), header: 12 }
      : { vr, length: view.getUint16(at + 6, true), header: 8 };
  }
  throw new Error(`${tag} not found`);
}

describe('writePart10', () => {
  const file = writePart10(rich);

  it('writes the preamble, DICM and a File Meta group whose length matches', () => {
    expect(file.subarray(0, 128).every((b) => b === 0)).toBe(true);
    expect(new TextDecoder().decode(file.subarray(128, 132))).toBe('DICM');
    const groupLength = element(file, '00020000');
    expect(groupLength).toMatchObject({ vr: 'UL', length: 4 });
    const declared = new DataView(file.buffer).getUint32(140, true);
    // The first dataset element follows the meta group immediately.
    expect(file[144 + declared]).toBe(0x08);
    expect(file[144 + declared + 1]).toBe(0x00);
    expect(parsePart10(file).sopInstanceUid).toBe('1.2.3.4.5');
  });

  it('pads to even length: UI with NUL, text with space, binary with NUL', () => {
    const text = new TextDecoder('latin1').decode(file);
    expect(element(file, '00080018').length).toBe(10);
    expect(text).toContain('1.2.3.4.5\0');
    expect(element(file, '00080064').length).toBe(4);
    expect(text).toContain('WSD ');
    expect(element(file, '00091001')).toMatchObject({ vr: 'UN', length: 4 });
    expect(text).toContain('UN\0\0\x04\0\0\0\x01\x02\x03\0');
  });

  it('uses 4-byte lengths for OB, OW, SQ, UN and UT and 2-byte lengths elsewhere', () => {
    expect(element(file, '00420011')).toMatchObject({ vr: 'OB', length: 300, header: 12 });
    expect(element(file, '7FE00010')).toMatchObject({ vr: 'OW', length: 32, header: 12 });
    expect(element(file, '00081032')).toMatchObject({ vr: 'SQ', header: 12 });
    expect(element(file, '00100010')).toMatchObject({ vr: 'PN', header: 8 });
  });

  it('round-trips through parsePart10 to the same DICOM JSON', () => {
    expect(parsePart10(file).json).toEqual(expectedJson);
  });

  it('writes implicit VR little endian and explicit VR big endian that read back identically', () => {
    for (const transferSyntaxUid of [
      TransferSyntaxUid.ImplicitVRLittleEndian,
      TransferSyntaxUid.ExplicitVRBigEndian,
    ]) {
      const other = parsePart10(writePart10(rich, { transferSyntaxUid }));
      expect(other.transferSyntaxUid).toBe(transferSyntaxUid);
      expect(other.json).toEqual(expectedJson);
    }
  });

  it('writes deflated files when given a deflate function', () => {
    const deflated = writePart10(rich, {
      transferSyntaxUid: TransferSyntaxUid.DeflatedExplicitVRLittleEndian,
      deflate: (bytes) => deflateRawSync(bytes),
    });
    expect(deflated.length).toBeLessThan(file.length);
    expect(parsePart10(deflated, { inflate: inflateRawLimited }).json).toEqual(expectedJson);
    expect(() =>
      writePart10(rich, { transferSyntaxUid: TransferSyntaxUid.DeflatedExplicitVRLittleEndian }),
    ).toThrow(/deflate/);
  });

  it('accepts a list of elements as well as a keyed dataset', () => {
    const list = Object.entries(rich).map(([tag, attribute]) => ({
      tag: `(${tag.slice(0, 4)},${tag.slice(4)})`,
      ...attribute,
    }));
    expect(writePart10(list)).toEqual(file);
  });

  it('binary numbers and floats keep their values', () => {
    const numbers: WritableDataset = {
      ...rich,
      '00191001': { vr: 'FL', Value: [1.5, -2.25] },
      '00191002': { vr: 'FD', Value: [Math.PI] },
      '00191003': { vr: 'SL', Value: [-70000] },
      '00191004': { vr: 'UL', Value: [4000000000] },
      '00191005': { vr: 'SS', Value: [-3] },
    };
    const json = parsePart10(writePart10(numbers)).json;
    expect(json['00191001']?.Value).toEqual([1.5, -2.25]);
    expect(json['00191002']?.Value).toEqual([Math.PI]);
    expect(json['00191003']?.Value).toEqual([-70000]);
    expect(json['00191004']?.Value).toEqual([4000000000]);
    expect(json['00191005']?.Value).toEqual([-3]);
  });

  it('refuses what it cannot encode, naming the attribute', () => {
    expect(() => writePart10({ ...rich, '00100020': { vr: 'LO', Value: ['x'.repeat(70000)] } })).toThrow(
      /\(0010,0020\)/,
    );
    expect(() => writePart10({ ...rich, '00080060': { vr: 'CS', Value: ['Ö'] } })).toThrow(/\(0008,0060\)/);
    expect(() =>
      writePart10({
        ...rich,
        '00080080': { vr: 'LO', Value: ['𠀀'] },
        '00080005': { vr: 'CS', Value: ['ISO_IR 100'] },
      }),
    ).toThrow(/cannot be encoded/);
    expect(() => writePart10({ ...rich, '00420011': { vr: 'OB', BulkDataURI: 'x' } })).toThrow(/BulkDataURI/);
    expect(() => writePart10(without(rich, '00080018'))).toThrow(/SOPInstanceUID/);
  });
});

/** A File Meta element's value as text, walking the group element by element; undefined when absent. */
function metaText(file: Uint8Array, tag: string): string | undefined {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const end = 144 + view.getUint32(140, true);
  for (let at = 132; at < end;) {
    const found = view.getUint16(at + 2, true) === Number.parseInt(tag.slice(4), 16);
    const vr = String.fromCharCode(file[at + 4] ?? 0, file[at + 5] ?? 0);
    const [header, length] =
      vr === 'OB' ? [12, view.getUint32(at + 8, true)] : [8, view.getUint16(at + 6, true)];
    if (found) return new TextDecoder('latin1').decode(file.subarray(at + header, at + header + length));
    at += header + length;
  }
  return undefined;
}

describe('part10Header', () => {
  const fields = {
    sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
    sopInstanceUid: '1.2.345',
    transferSyntaxUid: TransferSyntaxUid.ImplicitVRLittleEndian,
    sourceApplicationEntityTitle: 'MRI',
  };

  it('writes even-length values, the source AE title and the one implementation identity writePart10 writes', () => {
    const header = part10Header(fields);
    expect(new TextDecoder().decode(header.subarray(128, 132))).toBe('DICM');
    expect(header.length).toBe(144 + new DataView(header.buffer).getUint32(140, true));
    expect(metaText(header, '00020003')).toBe('1.2.345\0');
    expect(metaText(header, '00020016')).toBe('MRI ');
    for (const bytes of [header, writePart10(rich)]) {
      expect(metaText(bytes, '00020012')?.replace(/\0$/, '')).toBe(IMPLEMENTATION_CLASS_UID);
      expect(metaText(bytes, '00020013')?.trim()).toBe(IMPLEMENTATION_VERSION_NAME);
    }
    expect(
      metaText(part10Header({ ...fields, sourceApplicationEntityTitle: '  ' }), '00020016'),
    ).toBeUndefined();
  });

  it('makes a readable file of a dataset sent without File Meta, in the transfer syntax it names', () => {
    const implicit = writePart10(rich, { transferSyntaxUid: TransferSyntaxUid.ImplicitVRLittleEndian });
    const dataSet = implicit.subarray(144 + new DataView(implicit.buffer).getUint32(140, true));
    const header = part10Header({
      ...fields,
      sopClassUid: '1.2.840.10008.5.1.4.1.1.7',
      sopInstanceUid: '1.2.3.4.5',
    });
    const file = new Uint8Array(header.length + dataSet.length);
    file.set(header);
    file.set(dataSet, header.length);
    const parsed = parsePart10(file);
    expect(parsed.transferSyntaxUid).toBe(TransferSyntaxUid.ImplicitVRLittleEndian);
    expect(parsed.json).toEqual(parsePart10(implicit).json);
  });
});

describe('formatDecimalString', () => {
  it('fits any finite number into the 16 characters DS allows', () => {
    expect(formatDecimalString(-1024)).toBe('-1024');
    expect(formatDecimalString(0.68359375)).toBe('0.68359375');
    expect(formatDecimalString(0.1 + 0.2)).toBe('0.3');
    expect(formatDecimalString(123456789.12345679)).toBe('123456789.123457');
    for (const value of [1 / 3, -Math.PI * 1e10, 1e-12, 9.87654321e21]) {
      const text = formatDecimalString(value);
      expect(text.length).toBeLessThanOrEqual(16);
      expect(Math.abs(Number(text) - value) / Math.abs(value)).toBeLessThan(1e-10);
    }
    expect(() => formatDecimalString(Number.NaN)).toThrow();
  });
});

const dcmdump = spawnSync('dcmdump', ['--version'], { encoding: 'utf8' }).status === 0;
const NEEDS_DCMTK = ' [skipped: dcmdump not on PATH; apt-get install dcmtk]';
const scratch = mkdtempSync(join(tmpdir(), 'dicom-writer-'));
afterAll(() => {
  rmSync(scratch, { recursive: true, force: true });
});

/** dcmdump's verdict on a file: exit status, any warning or error lines, and the dump. */
function runDcmdump(
  bytes: Uint8Array,
  name: string,
  options: string[] = [],
): { status: number | null; problems: string[]; dump: string } {
  const path = join(scratch, name);
  writeFileSync(path, bytes);
  const result = spawnSync('dcmdump', [...options, path], { encoding: 'utf8' });
  const output = `${result.stdout}\n${result.stderr}`;
  return {
    status: result.status,
    problems: output.split('\n').filter((l) => /^[WEF]: /.test(l)),
    dump: result.stdout,
  };
}

describe('dcmtk accepts what the writer produces', () => {
  it.skipIf(!dcmdump)(
    `dcmdump reads explicit, implicit and big endian files without warnings${dcmdump ? '' : NEEDS_DCMTK}`,
    () => {
      for (const transferSyntaxUid of [
        TransferSyntaxUid.ExplicitVRLittleEndian,
        TransferSyntaxUid.ImplicitVRLittleEndian,
        TransferSyntaxUid.ExplicitVRBigEndian,
      ]) {
        const { status, problems } = runDcmdump(
          writePart10(rich, { transferSyntaxUid }),
          `rich-${transferSyntaxUid}.dcm`,
        );
        expect(problems).toEqual([]);
        expect(status).toBe(0);
      }
    },
  );

  it.skipIf(!dcmdump)(
    `dcmtk decodes the GB18030 text the writer encoded${dcmdump ? '' : NEEDS_DCMTK}`,
    () => {
      // dcmdump +U8 cannot follow a character set declared inside a sequence item, so this dataset has none.
      const flat = without(rich, '00081032');
      const { status, problems, dump } = runDcmdump(writePart10(flat), 'gb18030.dcm', ['+U8']);
      expect(problems).toEqual([]);
      expect(status).toBe(0);
      expect(dump).toContain('[Zhang^San=张^三]');
      expect(dump).toContain('[县人民医院]');
    },
  );

  it.skipIf(!dcmdump)(
    `dcmdump reads encapsulated and deflated files without warnings${dcmdump ? '' : NEEDS_DCMTK}`,
    () => {
      const encapsulated = writePart10(
        { ...rich, '7FE00010': { vr: 'OB', fragments: [Uint8Array.of(0xff, 0xd8, 1, 0xff, 0xd9)] } },
        { transferSyntaxUid: TransferSyntaxUid.JPEGBaseline8Bit },
      );
      const deflated = writePart10(rich, {
        transferSyntaxUid: TransferSyntaxUid.DeflatedExplicitVRLittleEndian,
        deflate: (bytes) => deflateRawSync(bytes),
      });
      for (const [name, bytes] of [
        ['jpeg.dcm', encapsulated],
        ['deflated.dcm', deflated],
      ] as const) {
        const { status, problems } = runDcmdump(bytes, name);
        expect(problems).toEqual([]);
        expect(status).toBe(0);
      }
    },
  );
});
