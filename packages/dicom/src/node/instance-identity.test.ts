import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { instanceIdentity } from '../identity.js';
import { TransferSyntaxUid } from '../transfer-syntax.js';
import { DicomError } from '../types.js';
import { writePart10 } from '../writer.js';
import type { WritableDataset } from '../writer.js';
import { readInstanceIdentity } from './instance-identity.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dicom-identity-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function ct(sopInstanceUid: string, studyInstanceUid?: string): WritableDataset {
  return {
    '00080016': { vr: 'UI', Value: ['1.2.840.10008.5.1.4.1.1.2'] },
    '00080018': { vr: 'UI', Value: [sopInstanceUid] },
    '00080060': { vr: 'CS', Value: ['CT'] },
    '00100010': { vr: 'PN', Value: [{ Alphabetic: 'TEST^PATIENT' }] },
    ...(studyInstanceUid ? { '0020000D': { vr: 'UI', Value: [studyInstanceUid] } } : {}),
    '7FE00010': { vr: 'OW', bytes: new Uint8Array(64).fill(0x5a) },
  };
}

describe('reading an instance identity', () => {
  it('reads the transfer syntax from File Meta and the UIDs from the data set', async () => {
    const path = join(dir, 'ct.dcm');
    await writeFile(path, writePart10(ct('1.2.3.4.5', '1.2.3.4')));
    expect(await readInstanceIdentity(path)).toEqual({
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: '1.2.3.4.5',
      studyInstanceUid: '1.2.3.4',
    });
  });

  it('finds the study UID past the first slice of a file with a large leading element', async () => {
    const path = join(dir, 'big.dcm');
    // A 400 KiB private element between group 0008 and Patient's Name pushes (0020,000D) past the first slice.
    const file = writePart10({
      ...ct('1.9', '1.8'),
      '00090010': { vr: 'LO', Value: ['SITE'] },
      '00091010': { vr: 'OB', bytes: new Uint8Array(400 * 1024) },
    });
    await writeFile(path, file);
    expect(() => instanceIdentity(file.subarray(0, 256 * 1024))).toThrow(DicomError);
    expect((await readInstanceIdentity(path)).studyInstanceUid).toBe('1.8');
  });

  it('reads deflated data sets', async () => {
    const path = join(dir, 'deflated.dcm');
    const file = writePart10(ct('1.7', '1.6'), {
      transferSyntaxUid: TransferSyntaxUid.DeflatedExplicitVRLittleEndian,
      deflate: (bytes) => deflateRawSync(bytes),
    });
    await writeFile(path, file);
    expect(await readInstanceIdentity(path)).toMatchObject({
      transferSyntaxUid: TransferSyntaxUid.DeflatedExplicitVRLittleEndian,
      studyInstanceUid: '1.6',
    });
  });

  it('reports a missing study UID as empty and garbage as unreadable', async () => {
    const missing = join(dir, 'missing.dcm');
    await writeFile(missing, writePart10(ct('1.5')));
    expect((await readInstanceIdentity(missing)).studyInstanceUid).toBe('');
    const garbage = join(dir, 'garbage.dcm');
    await writeFile(garbage, 'this is not DICOM at all');
    await expect(readInstanceIdentity(garbage)).rejects.toBeInstanceOf(DicomError);
  });
});
