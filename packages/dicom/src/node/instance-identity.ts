import { open } from 'node:fs/promises';
import { constants as bufferConstants } from 'node:buffer';
import { constants as zlibConstants, inflateRawSync } from 'node:zlib';
import { instanceIdentity } from '../identity.js';
import type { InstanceIdentity } from '../identity.js';
import { DicomError } from '../types.js';

// Group 0008 and the Study Instance UID sit near the start of every data set, so a first slice of the file nearly
// always holds them; only when it does not (huge leading sequences) is the whole file read.
const FIRST_SLICE_BYTES = 256 * 1024;

// A deflated data set is never inflated past this, so a small file cannot expand to exhaust memory.
const MAX_INFLATED_BYTES = Math.min(1024 * 1024 * 1024, bufferConstants.MAX_LENGTH);

/**
 * Raw DEFLATE for instanceIdentity: inflates with a sync flush, so the first slice of a file inflates as far as it
 * goes instead of failing for want of the end of the stream.
 */
export function inflateRawPrefix(deflated: Uint8Array): Uint8Array {
  try {
    const inflated = inflateRawSync(deflated, {
      finishFlush: zlibConstants.Z_SYNC_FLUSH,
      maxOutputLength: MAX_INFLATED_BYTES,
    });
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DicomError(
        'too_large',
        `The deflated dataset inflates to more than ${MAX_INFLATED_BYTES} bytes.`,
      );
    }
    throw error;
  }
}

/**
 * Reads the transfer syntax, SOP class, SOP instance and study UIDs of a Part 10 file without loading its pixel
 * data. Missing attributes come back as empty strings; a file that cannot be parsed throws DicomError.
 */
export async function readInstanceIdentity(path: string): Promise<InstanceIdentity> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const slice = new Uint8Array(Math.min(size, FIRST_SLICE_BYTES));
    await file.read(slice, 0, slice.length, 0);
    try {
      return instanceIdentity(slice, { inflatePrefix: inflateRawPrefix });
    } catch (error) {
      if (size <= slice.length) throw error;
    }
    const whole = new Uint8Array(size);
    await file.read(whole, 0, size, 0);
    return instanceIdentity(whole, { inflatePrefix: inflateRawPrefix });
  } finally {
    await file.close();
  }
}
