/**
 * RLE Lossless (PS3.5 Annex G), decoded as cornerstone's image loader does it: one PackBits segment per byte of
 * each sample, most significant byte first, written back as little-endian samples.
 */
import { DicomError } from '../types.js';
import type { ImageInfo } from './image-info.js';

/** Decodes one RLE frame into little-endian samples, interleaved or planar as Planar Configuration says. */
export function decodeRle(frame: Uint8Array, info: ImageInfo): Uint8Array {
  if (info.bitsAllocated % 8 !== 0) {
    throw new DicomError(
      'bad_pixel_data',
      `RLE frames of ${info.bitsAllocated}-bit samples cannot be decoded.`,
    );
  }
  if (frame.length < 64) {
    throw new DicomError(
      'bad_pixel_data',
      `the RLE frame is ${frame.length} bytes, shorter than its 64-byte header`,
    );
  }
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const bytesPerSample = info.bitsAllocated / 8;
  const expected = info.samplesPerPixel * bytesPerSample;
  const segments = view.getUint32(0, true);
  if (segments !== expected) {
    throw new DicomError(
      'bad_pixel_data',
      `the RLE frame has ${segments} segment(s); ${info.samplesPerPixel} sample(s) of ${info.bitsAllocated} bits ` +
        `need ${expected}`,
    );
  }
  const pixels = info.rows * info.columns;
  const out = new Uint8Array(pixels * expected);
  const planar = info.planarConfiguration === 1;
  for (let sample = 0; sample < info.samplesPerPixel; sample++) {
    for (let byte = 0; byte < bytesPerSample; byte++) {
      const segment = sample * bytesPerSample + byte;
      const start = view.getUint32(4 + segment * 4, true);
      const end = segment + 1 < segments ? view.getUint32(8 + segment * 4, true) : frame.length;
      // segment 0 of a sample holds its most significant byte, which comes last in little endian
      const little = bytesPerSample - 1 - byte;
      const first = planar ? sample * pixels * bytesPerSample + little : sample * bytesPerSample + little;
      const stride = planar ? bytesPerSample : expected;
      unpackBits(frame, start, Math.min(end, frame.length), out, first, stride, pixels);
    }
  }
  return out;
}

/** PackBits (PS3.5 G.3.1): `count` bytes from `frame[start, end)` to `out` from `first`, every `stride` bytes. */
function unpackBits(
  frame: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  first: number,
  stride: number,
  count: number,
): void {
  let at = start;
  let written = 0;
  let to = first;
  while (written < count && at < end) {
    const header = frame[at++] ?? 0;
    const n = header > 127 ? header - 256 : header;
    if (n >= 0) {
      for (let i = 0; i <= n && written < count; i++, written++, to += stride) out[to] = frame[at + i] ?? 0;
      at += n + 1;
    } else if (n !== -128) {
      const value = frame[at++] ?? 0;
      for (let i = 0; i <= -n && written < count; i++, written++, to += stride) out[to] = value;
    }
  }
  if (written < count) {
    throw new DicomError(
      'bad_pixel_data',
      `an RLE segment ends after ${written} of its ${count} bytes; the frame is truncated`,
    );
  }
}
