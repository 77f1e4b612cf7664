/**
 * The identity of an instance (transfer syntax, SOP class and instance, study) read from the start of a Part 10
 * file, for a receiver that must file an instance without loading or checking all of it.
 */
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { DicomError } from './types.js';

/** The attributes an instance is filed and checked by; a missing one is an empty string. */
export interface InstanceIdentity {
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
}

/** Options for instanceIdentity. */
export interface InstanceIdentityOptions {
  /**
   * Inflates as much of a raw DEFLATE stream as the bytes hold, for Deflated Explicit VR Little Endian; the bytes
   * may stop mid-stream when only the start of a file was read. `inflateRawPrefix` in '@telemed/dicom/node'.
   */
  inflatePrefix?: (deflated: Uint8Array) => Uint8Array;
}

const STUDY_INSTANCE_UID = 'x0020000d';

/**
 * Reads the identity of a Part 10 file, or of its first bytes: parsing stops at Study Instance UID (0020,000D), so
 * the pixel data is never touched. Throws DicomError when the bytes are not DICOM, or end before the study UID
 * (read more of the file then; on the whole file a missing study UID is an empty string).
 */
export function instanceIdentity(bytes: Uint8Array, options: InstanceIdentityOptions = {}): InstanceIdentity {
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, {
      untilTag: STUDY_INSTANCE_UID,
      ...(options.inflatePrefix ? { inflater: inflaterOf(options.inflatePrefix) } : {}),
    });
  } catch (error) {
    throw new DicomError('not_dicom', `not readable as DICOM: ${parseFailure(error)}`);
  }
  const read = (tag: string): string => (dataSet.string(tag) ?? '').replace(/[\0 ]+$/, '').trim();
  return {
    transferSyntaxUid: read('x00020010'),
    sopClassUid: read('x00080016'),
    sopInstanceUid: read('x00080018'),
    studyInstanceUid: read(STUDY_INSTANCE_UID),
  };
}

// dicom-parser hands over the whole file and the dataset's start, and reads on in whatever comes back.
function inflaterOf(inflate: (deflated: Uint8Array) => Uint8Array) {
  return (bytes: Uint8Array, position: number): Uint8Array => {
    const inflated = inflate(bytes.subarray(position));
    const out = new Uint8Array(position + inflated.length);
    out.set(bytes.subarray(0, position));
    out.set(inflated, position);
    return out;
  };
}

function parseFailure(error: unknown): string {
  // dicom-parser throws strings as well as Errors, sometimes with the partial data set attached.
  if (error instanceof Error) return error.message;
  if (typeof error === 'string') return error;
  if (typeof error === 'object' && error !== null && 'exception' in error) return String(error.exception);
  return 'unknown parse error';
}
