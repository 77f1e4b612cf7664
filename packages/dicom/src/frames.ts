/**
 * Locating frames inside Pixel Data without copying them, so WADO-RS can serve one frame of a 500-frame file by
 * reading its byte range from the blob store.
 */
import type { Element, Fragment } from 'dicom-parser';
import { DicomError } from './types.js';
import type { ByteRange, FrameRange } from './types.js';

/** What the frame arithmetic needs from the Image Pixel module. */
export interface PixelGeometry {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  numberOfFrames: number;
  photometricInterpretation: string;
}

/**
 * Native (uncompressed) frames: consecutive ranges of Rows x Columns x Samples x Bits Allocated / 8 bytes.
 * Single-bit frames need not start on a byte boundary (PS3.5 8.1.1); their ranges are widened to whole bytes, and a
 * reader has to honour the bit offset itself.
 */
export function nativeFrames(pixelData: Element, geometry: PixelGeometry): FrameRange[] {
  // YBR_FULL_422 stores two luminance samples and one pair of chrominance samples per two pixels (PS3.3 C.7.6.3.1.2).
  const samples = geometry.photometricInterpretation === 'YBR_FULL_422' ? 2 : geometry.samplesPerPixel;
  const frameBits = geometry.rows * geometry.columns * samples * geometry.bitsAllocated;
  const needed = Math.ceil((frameBits * geometry.numberOfFrames) / 8);
  if (needed > pixelData.length) {
    throw new DicomError(
      'bad_pixel_data',
      `Pixel Data holds ${pixelData.length} bytes, but ${geometry.numberOfFrames} frame(s) of ${geometry.rows} x ` +
        `${geometry.columns} pixels, ${samples} sample(s) of ${geometry.bitsAllocated} bits need ${needed}; ` +
        'Rows, Columns, Samples per Pixel, Bits Allocated or Number of Frames is wrong.',
    );
  }
  return Array.from({ length: geometry.numberOfFrames }, (_, i) => {
    const start = Math.floor((i * frameBits) / 8);
    const end = Math.ceil(((i + 1) * frameBits) / 8);
    return { offset: pixelData.dataOffset + start, length: end - start };
  });
}

function frameOf(fragments: readonly Fragment[]): FrameRange {
  const ranges: ByteRange[] = fragments.map((f) => ({ offset: f.position, length: f.length }));
  const [first] = ranges;
  if (!first) throw new Error('a frame needs at least one fragment');
  if (ranges.length === 1) return first;
  return { offset: first.offset, length: ranges.reduce((sum, r) => sum + r.length, 0), fragments: ranges };
}

/** Whether a fragment begins a JPEG, JPEG-LS (SOI) or JPEG 2000 (SOC) codestream. */
function startsCodestream(bytes: Uint8Array, fragment: Fragment): boolean {
  const a = bytes[fragment.position];
  const b = bytes[fragment.position + 1];
  return a === 0xff && (b === 0xd8 || b === 0x4f);
}

/**
 * Encapsulated frames (PS3.5 A.4): one frame per fragment, frames grouped by the Basic Offset Table, or, when neither
 * applies, grouped at the fragments that open a new JPEG / JPEG 2000 codestream.
 */
export function encapsulatedFrames(
  bytes: Uint8Array,
  pixelData: Element,
  numberOfFrames: number,
): FrameRange[] {
  const fragments = pixelData.fragments ?? [];
  const offsets = pixelData.basicOffsetTable ?? [];
  if (fragments.length === 0) {
    throw new DicomError(
      'bad_pixel_data',
      'Encapsulated Pixel Data has no fragments: the image data is missing.',
    );
  }
  if (numberOfFrames === 1) return [frameOf(fragments)];
  let starts: number[];
  if (offsets.length > 0) {
    if (offsets.length !== numberOfFrames) {
      throw new DicomError(
        'bad_pixel_data',
        `The Basic Offset Table lists ${offsets.length} frames but Number of Frames is ${numberOfFrames}.`,
      );
    }
    starts = offsets.map((offset, i) => {
      const index = fragments.findIndex((f) => f.offset === offset);
      if (index < 0 || (i > 0 && offset <= (offsets[i - 1] ?? 0))) {
        throw new DicomError(
          'bad_pixel_data',
          `Basic Offset Table entry ${i + 1} (${offset}) does not point at the start of a fragment after the previous frame.`,
        );
      }
      return index;
    });
  } else if (fragments.length === numberOfFrames) {
    starts = fragments.map((_, i) => i);
  } else {
    starts = fragments.flatMap((f, i) => (startsCodestream(bytes, f) ? [i] : []));
    if (starts.length !== numberOfFrames || starts[0] !== 0) {
      throw new DicomError(
        'bad_pixel_data',
        `Pixel Data has ${fragments.length} fragments for ${numberOfFrames} frames and no Basic Offset Table, so ` +
          'its frames cannot be told apart; send it with one fragment per frame or with an offset table.',
      );
    }
  }
  return starts.map((start, i) => frameOf(fragments.slice(start, starts[i + 1] ?? fragments.length)));
}

/**
 * The bytes of one frame: a view when the frame is contiguous, a copy when it is the concatenation of fragments.
 * `source` is the Part 10 file (or ParsedInstance.inflated for deflated files).
 */
export function frameBytes(source: Uint8Array, frame: FrameRange): Uint8Array {
  if (!frame.fragments) return source.subarray(frame.offset, frame.offset + frame.length);
  const out = new Uint8Array(frame.length);
  let at = 0;
  for (const fragment of frame.fragments) {
    out.set(source.subarray(fragment.offset, fragment.offset + fragment.length), at);
    at += fragment.length;
  }
  return out;
}
