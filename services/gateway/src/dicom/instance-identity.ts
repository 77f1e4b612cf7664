import { createRequire } from 'node:module';
import { open } from 'node:fs/promises';
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import type * as DicomParser from 'dicom-parser';
import type { DataSet, ParseDicomOptions } from 'dicom-parser';

// dicom-parser ships a UMD bundle whose named exports Node's ESM loader cannot see, so load it the CommonJS way.
const dicomParser = createRequire(import.meta.url)('dicom-parser') as typeof DicomParser;

/** The attributes the gateway routes and checks an instance by. */
export interface InstanceIdentity {
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
}

/** The file is not DICOM the gateway can read. */
export class UnreadableInstanceError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'UnreadableInstanceError';
  }
}

// Group 0008 and the Study Instance UID sit near the start of every data set, so a first slice of the file nearly
// always holds them; only when it does not (huge leading sequences) is the whole file read.
const FIRST_SLICE_BYTES = 256 * 1024;
const STUDY_INSTANCE_UID = 'x0020000d';

/**
 * Reads the transfer syntax, SOP class, SOP instance and study UIDs of a Part 10 file without loading its pixel
 * data. Missing attributes come back as empty strings; a file that cannot be parsed throws
 * UnreadableInstanceError.
 */
export async function readInstanceIdentity(path: string): Promise<InstanceIdentity> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const slice = Buffer.alloc(Math.min(size, FIRST_SLICE_BYTES));
    await file.read(slice, 0, slice.length, 0);
    try {
      return identityOf(parse(slice));
    } catch (error) {
      if (size <= slice.length) throw unreadable(error);
    }
    const whole = Buffer.alloc(size);
    await file.read(whole, 0, size, 0);
    try {
      return identityOf(parse(whole));
    } catch (error) {
      throw unreadable(error);
    }
  } finally {
    await file.close();
  }
}

function parse(bytes: Buffer): DataSet {
  const options: ParseDicomOptions = { untilTag: STUDY_INSTANCE_UID, inflater };
  return dicomParser.parseDicom(bytes, options);
}

function identityOf(dataSet: DataSet): InstanceIdentity {
  const read = (tag: string): string => (dataSet.string(tag) ?? '').replace(/[\0 ]+$/, '').trim();
  return {
    transferSyntaxUid: read('x00020010'),
    sopClassUid: read('x00080016'),
    sopInstanceUid: read('x00080018'),
    studyInstanceUid: read(STUDY_INSTANCE_UID),
  };
}

// Deflated data sets are inflated with a sync flush so that a first slice of the file inflates as far as it goes
// instead of failing for want of the end of the stream.
function inflater(bytes: Uint8Array, position: number): Uint8Array {
  const inflated = inflateRawSync(bytes.subarray(position), { finishFlush: zlibConstants.Z_SYNC_FLUSH });
  return Buffer.concat([bytes.subarray(0, position), inflated]);
}

function unreadable(error: unknown): UnreadableInstanceError {
  // dicom-parser throws strings as well as Errors, sometimes with the partial data set attached.
  const message =
    error instanceof Error
      ? error.message
      : typeof error === 'string'
        ? error
        : typeof error === 'object' && error !== null && 'exception' in error
          ? String(error.exception)
          : 'unknown parse error';
  return new UnreadableInstanceError(`not readable as DICOM: ${message}`, { cause: error });
}
