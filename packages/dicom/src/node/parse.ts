import { parsePart10 } from '../part10.js';
import type { ParseOptions } from '../part10.js';
import type { ParsedInstance } from '../types.js';
import { inflateRawLimited } from './inflate.js';

/** parsePart10 with zlib wired in, so Node callers accept Deflated Explicit VR Little Endian without extra setup. */
export function parsePart10WithZlib(
  bytes: Uint8Array,
  options: Omit<ParseOptions, 'inflate'> = {},
): ParsedInstance {
  return parsePart10(bytes, { ...options, inflate: inflateRawLimited });
}
