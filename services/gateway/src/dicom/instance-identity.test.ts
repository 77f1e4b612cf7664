import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticDataSet, syntheticPart10 } from '../test/synthetic-dicom.js';
import { readInstanceIdentity, UnreadableInstanceError } from './instance-identity.js';
import { encodeFileMetaHeader, IMPLEMENTATION_CLASS_UID } from './part10.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gateway-identity-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('reading an instance identity', () => {
  it('reads the transfer syntax from the File Meta header written by the gateway and the UIDs from the data set', async () => {
    const path = join(dir, 'ct.dcm');
    await writeFile(path, syntheticPart10({ sopInstanceUid: '1.2.3.4.5', studyInstanceUid: '1.2.3.4' }));
    expect(await readInstanceIdentity(path)).toEqual({
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: '1.2.3.4.5',
      studyInstanceUid: '1.2.3.4',
    });
  });

  it('finds the study UID past the first slice of a file with a large leading element', async () => {
    const path = join(dir, 'big.dcm');
    const meta = encodeFileMetaHeader({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: '1.9',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      sourceAeTitle: 'X',
    });
    const dataSet = syntheticDataSet({ sopInstanceUid: '1.9', studyInstanceUid: '1.8' });
    const privateBlock = Buffer.alloc(12 + 400 * 1024);
    privateBlock.writeUInt16LE(0x0009, 0);
    privateBlock.writeUInt16LE(0x1010, 2);
    privateBlock.write('OB', 4, 'ascii');
    privateBlock.writeUInt32LE(400 * 1024, 8);
    // A 400 KiB private element between group 0008 and Patient's Name pushes (0020,000D) past the first slice.
    const split = dataSet.indexOf(Buffer.from([0x10, 0x00, 0x10, 0x00]));
    await writeFile(
      path,
      Buffer.concat([meta, dataSet.subarray(0, split), privateBlock, dataSet.subarray(split)]),
    );
    expect((await readInstanceIdentity(path)).studyInstanceUid).toBe('1.8');
  });

  it('reads deflated data sets', async () => {
    const path = join(dir, 'deflated.dcm');
    const meta = encodeFileMetaHeader({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: '1.7',
      transferSyntaxUid: '1.2.840.10008.1.2.1.99',
      sourceAeTitle: 'X',
    });
    const dataSet = syntheticDataSet({ sopInstanceUid: '1.7', studyInstanceUid: '1.6' });
    await writeFile(path, Buffer.concat([meta, deflateRawSync(dataSet)]));
    expect((await readInstanceIdentity(path)).studyInstanceUid).toBe('1.6');
  });

  it('reports a missing study UID as empty and garbage as unreadable', async () => {
    const missing = join(dir, 'missing.dcm');
    await writeFile(missing, syntheticPart10({ sopInstanceUid: '1.5' }));
    expect((await readInstanceIdentity(missing)).studyInstanceUid).toBe('');
    const garbage = join(dir, 'garbage.dcm');
    await writeFile(garbage, Buffer.from('this is not DICOM at all'));
    await expect(readInstanceIdentity(garbage)).rejects.toBeInstanceOf(UnreadableInstanceError);
  });

  it('writes a File Meta group with even-length values and its own implementation UID', () => {
    const header = encodeFileMetaHeader({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.4',
      sopInstanceUid: '1.2.345',
      transferSyntaxUid: '1.2.840.10008.1.2',
      sourceAeTitle: 'MRI',
    });
    expect(header.subarray(128, 132).toString('ascii')).toBe('DICM');
    const groupLength = header.readUInt32LE(140);
    expect(header.length).toBe(144 + groupLength);
    expect(header.includes(Buffer.from(IMPLEMENTATION_CLASS_UID))).toBe(true);
    expect(header.includes(Buffer.from('1.2.345\0'))).toBe(true);
    expect(header.includes(Buffer.from('MRI '))).toBe(true);
  });
});
