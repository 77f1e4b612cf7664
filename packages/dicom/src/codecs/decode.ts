/**
 * Decoding a stored frame into uncompressed little-endian pixels, with the codecs the viewer's image loader
 * (cornerstone-wado-image-loader 4.x) uses, so a frame decoded on the server is the frame the viewer would show.
 * The WebAssembly codecs load on first use.
 */
import { DicomError } from '../types.js';
import { TransferSyntaxUid } from '../transfer-syntax.js';
import { frameLength, type ImageInfo } from './image-info.js';
import { decodeRle } from './rle.js';

export { frameLength, imageInfoOf } from './image-info.js';
export type { ImageInfo } from './image-info.js';

type Decoder = (frame: Uint8Array, info: ImageInfo) => Promise<Uint8Array>;

/** The cornerstone codecs, each loaded once, on first use. */
function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | null = null;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = null;
      throw error;
    });
    return loading;
  };
}

// OpenJPEG narrates every header it reads; a failure is thrown, so the narration is dropped.
const quiet = { print: (): void => undefined, printErr: (): void => undefined };

const charls = lazy(async () => (await import('@cornerstonejs/codec-charls/decodewasmjs')).default(quiet));
const openjpeg = lazy(async () =>
  (await import('@cornerstonejs/codec-openjpeg/decodewasmjs')).default(quiet),
);
const libjpegTurbo = lazy(async () =>
  (await import('@cornerstonejs/codec-libjpeg-turbo-8bit/decodewasmjs')).default(quiet),
);
const jpegLossless = lazy(async () => (await import('jpeg-lossless-decoder-js')).Decoder);

/** Runs one of the Emscripten decoders on `frame`; `read` copies what is needed out of the WebAssembly heap. */
function runWasm<D extends WasmFrameDecoder, R>(decoder: D, frame: Uint8Array, read: (decoder: D) => R): R {
  try {
    decoder.getEncodedBuffer(frame.length).set(frame);
    decoder.decode();
    return read(decoder);
  } finally {
    decoder.delete();
  }
}

const decoded = (decoder: WasmFrameDecoder): Uint8Array => decoder.getDecodedBuffer().slice();

/** Colour-by-plane bytes (RRR…GGG…BBB…) to colour-by-pixel, or back, for `samples` samples of `bytes` bytes each. */
function reorder(pixels: Uint8Array, samples: number, bytes: number, toPlanar: boolean): Uint8Array {
  const count = pixels.length / (samples * bytes);
  const out = new Uint8Array(pixels.length);
  for (let p = 0; p < count; p++) {
    for (let s = 0; s < samples; s++) {
      const planar = (s * count + p) * bytes;
      const interleaved = (p * samples + s) * bytes;
      for (let b = 0; b < bytes; b++) {
        if (toPlanar) out[planar + b] = pixels[interleaved + b] ?? 0;
        else out[interleaved + b] = pixels[planar + b] ?? 0;
      }
    }
  }
  return out;
}

/** The codecs give colour by pixel; a dataset that says colour by plane gets its planes. */
function asPlanarConfiguration(pixels: Uint8Array, info: ImageInfo): Uint8Array {
  if (info.samplesPerPixel < 2 || info.planarConfiguration !== 1) return pixels;
  return reorder(pixels, info.samplesPerPixel, Math.ceil(info.bitsAllocated / 8), true);
}

const jpegLs: Decoder = async (frame, info) => {
  const codec = await charls();
  const { pixels, interleave } = runWasm(new codec.JpegLSDecoder(), frame, (d) => ({
    pixels: decoded(d),
    interleave: d.getInterleaveMode(),
  }));
  // CharLS leaves a frame coded plane by plane (interleave mode 0) in planes
  const byPixel =
    info.samplesPerPixel > 1 && interleave === 0
      ? reorder(pixels, info.samplesPerPixel, Math.ceil(info.bitsAllocated / 8), false)
      : pixels;
  return asPlanarConfiguration(byPixel, info);
};

const jpeg2000: Decoder = async (frame, info) => {
  const codec = await openjpeg();
  return asPlanarConfiguration(runWasm(new codec.J2KDecoder(), frame, decoded), info);
};

const jpegBaseline: Decoder = async (frame, info) => {
  const codec = await libjpegTurbo();
  return asPlanarConfiguration(runWasm(new codec.JPEGDecoder(), frame, decoded), info);
};

const jpegLosslessDecoder: Decoder = async (frame, info) => {
  const Lossless = await jpegLossless();
  // the decoder reads from an ArrayBuffer; give it one that holds this frame only
  const own = frame.slice();
  const samples = new Lossless().decode(own.buffer, 0, own.length, info.bitsAllocated <= 8 ? 1 : 2);
  // Uint16Array samples are in the machine's order, which is little endian wherever this runs
  return asPlanarConfiguration(new Uint8Array(samples.buffer, samples.byteOffset, samples.byteLength), info);
};

/** Native big-endian samples swapped into little endian. */
const bigEndian: Decoder = (frame, info) => {
  const bytes = Math.ceil(info.bitsAllocated / 8);
  const out = new Uint8Array(frame.length);
  if (bytes <= 1) out.set(frame);
  else {
    for (let i = 0; i + bytes <= frame.length; i += bytes) {
      for (let b = 0; b < bytes; b++) out[i + b] = frame[i + bytes - 1 - b] ?? 0;
    }
  }
  return Promise.resolve(out);
};

/** Native little-endian frames (deflated files are indexed from their inflated bytes) need no decoding. */
const asIs: Decoder = (frame) => Promise.resolve(frame.slice());

const DECODERS: ReadonlyMap<string, Decoder> = new Map([
  [TransferSyntaxUid.ImplicitVRLittleEndian, asIs],
  [TransferSyntaxUid.ExplicitVRLittleEndian, asIs],
  [TransferSyntaxUid.DeflatedExplicitVRLittleEndian, asIs],
  [TransferSyntaxUid.ExplicitVRBigEndian, bigEndian],
  [TransferSyntaxUid.RLELossless, (frame, info) => Promise.resolve(decodeRle(frame, info))],
  [TransferSyntaxUid.JPEGBaseline8Bit, jpegBaseline],
  ['1.2.840.10008.1.2.4.57', jpegLosslessDecoder],
  [TransferSyntaxUid.JPEGLossless, jpegLosslessDecoder],
  [TransferSyntaxUid.JPEGLSLossless, jpegLs],
  ['1.2.840.10008.1.2.4.81', jpegLs],
  [TransferSyntaxUid.JPEG2000Lossless, jpeg2000],
  [TransferSyntaxUid.JPEG2000, jpeg2000],
]);

/** Whether frames stored in this transfer syntax can be decoded into uncompressed pixels. */
export function canDecode(transferSyntaxUid: string): boolean {
  return DECODERS.has(transferSyntaxUid);
}

/**
 * One frame stored in `transferSyntaxUid` as uncompressed little-endian pixels (the bytes it would have in Explicit
 * VR Little Endian), colour samples by pixel or by plane as `info.planarConfiguration` says.
 */
export async function decodeFrame(
  transferSyntaxUid: string,
  frame: Uint8Array,
  info: ImageInfo,
): Promise<Uint8Array> {
  const decoder = DECODERS.get(transferSyntaxUid);
  if (!decoder) {
    throw new DicomError(
      'unsupported_transfer_syntax',
      `frames in transfer syntax ${transferSyntaxUid} cannot be decoded here`,
    );
  }
  let pixels: Uint8Array;
  try {
    pixels = await decoder(frame, info);
  } catch (error) {
    if (error instanceof DicomError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw new DicomError('bad_pixel_data', `the frame could not be decoded (${transferSyntaxUid}): ${why}`);
  }
  const expected = frameLength(info);
  if (pixels.length !== expected) {
    throw new DicomError(
      'bad_pixel_data',
      `the frame decodes to ${pixels.length} bytes; ${info.rows} x ${info.columns} pixels of ` +
        `${info.samplesPerPixel} sample(s) of ${info.bitsAllocated} bits are ${expected}`,
    );
  }
  return pixels;
}
