import { constants as bufferConstants } from 'node:buffer';
import { inflateRawSync } from 'node:zlib';
import { DicomError } from '../types.js';

/**
 * Raw DEFLATE for parsePart10's `inflate` option. zlib stops at maxOutput bytes, so a small deflated file that would
 * expand to gigabytes (a zip bomb) fails with too_large instead of exhausting memory.
 */
export function inflateRawLimited(bytes: Uint8Array, maxOutput: number): Uint8Array {
  const limit = Math.max(1, Math.min(maxOutput, bufferConstants.MAX_LENGTH));
  try {
    const inflated = inflateRawSync(bytes, { maxOutputLength: limit });
    return new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.byteLength);
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new DicomError('too_large', `The deflated dataset inflates to more than ${limit} bytes.`);
    }
    throw error;
  }
}
