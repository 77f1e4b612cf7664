/**
 * Reading a Part 10 file (PS3.10 7) once at ingestion: identity, DICOM JSON and frame locations, or a DicomError
 * whose message tells the sender what to fix. dicom-parser locates elements lazily (it records offsets and lengths and
 * allocates nothing per element), so a forged 4 GB length costs nothing until it is checked against the file size.
 */
import dicomParser from 'dicom-parser';
import type { DataSet, Element } from 'dicom-parser';
import { dataSetToJson, readAsciiValue } from './dicom-json.js';
import { encapsulatedFrames, nativeFrames } from './frames.js';
import { formatTag, tagInfo, vrOf } from './tags.js';
import { supportedTransferSyntaxNames, transferSyntax } from './transfer-syntax.js';
import type { TransferSyntax } from './transfer-syntax.js';
import { DicomError } from './types.js';
import type { DicomJson, FrameRange, ParsedInstance } from './types.js';
import { isValidUid } from './uid.js';

/** Inflates raw DEFLATE data, failing once the output would exceed `maxOutput` bytes. */
export type Inflate = (deflated: Uint8Array, maxOutput: number) => Uint8Array;

/** Limits and capabilities for parsePart10. */
export interface ParseOptions {
  /** Largest file accepted, and largest inflated dataset for deflated files. */
  maxBytes?: number;
  /**
   * Needed only for Deflated Explicit VR Little Endian. The core has no zlib; Node callers pass
   * `inflateRawLimited` from '@telemed/dicom/node', browsers a wrapper around DecompressionStream or pako.
   */
  inflate?: Inflate;
}

/** Inflated datasets are capped at 1 GiB when no maxBytes is given, so a zip bomb cannot exhaust memory. */
const DEFAULT_MAX_INFLATED = 1024 * 1024 * 1024;

/** Lengths this large cannot come from truncation of any file we would accept: the length field itself is bad. */
const IMPLAUSIBLE_LENGTH = 0x80000000;

const REQUIRED_UIDS = [
  ['x00080016', 'SOPClassUID'],
  ['x00080018', 'SOPInstanceUID'],
  ['x0020000d', 'StudyInstanceUID'],
  ['x0020000e', 'SeriesInstanceUID'],
] as const;

function describe(tag: string): string {
  const info = tagInfo(tag);
  return info ? `${info.keyword} ${formatTag(tag)}` : formatTag(tag);
}

function looksLikeText(bytes: Uint8Array): boolean {
  const sample = bytes.subarray(0, 512);
  let printable = 0;
  for (const b of sample) {
    if (b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b !== 0x7f)) printable++;
  }
  return sample.length > 0 && printable / sample.length > 0.95;
}

function notDicom(bytes: Uint8Array): DicomError {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) {
    return new DicomError(
      'not_dicom',
      'This is a ZIP archive, not a DICOM file: unpack it and send the files inside.',
    );
  }
  if (looksLikeText(bytes)) {
    return new DicomError(
      'not_dicom',
      'This is a text file, not a DICOM file: send the images exported as DICOM.',
    );
  }
  return new DicomError(
    'not_dicom',
    "Not a DICOM Part 10 file: 'DICM' is missing at byte 128. Export the images as DICOM files (with the 128-byte " +
      'preamble and File Meta Information), not as raw datasets or pictures.',
  );
}

function overrun(tag: string, declared: number, available: number, maxBytes: number | undefined): DicomError {
  const remaining = Math.max(0, available);
  if (declared >= IMPLAUSIBLE_LENGTH || (maxBytes !== undefined && declared > maxBytes)) {
    return new DicomError(
      'bad_length',
      `Element ${describe(tag)} declares a length of ${declared} bytes but only ${remaining} remain in the file; ` +
        'the length field is corrupt. Export the study again from the source system.',
    );
  }
  return new DicomError(
    'truncated',
    `The file ends inside element ${describe(tag)}: it declares ${declared} bytes but only ${remaining} remain. The ` +
      'file was cut short, probably during transfer; send it again.',
  );
}

function truncated(detail: string): DicomError {
  return new DicomError(
    'truncated',
    `The file ends before its last element is complete (${detail}); it was probably cut short during transfer. Send it again.`,
  );
}

/** Finds the first element, item or fragment whose declared extent runs past the end of the bytes. */
function checkExtents(dataSet: DataSet, end: number, maxBytes: number | undefined, meta = false): void {
  for (const [key, element] of Object.entries(dataSet.elements)) {
    // File Meta elements are merged into the dataset but point into the file, not into an inflated dataset.
    if (key.startsWith('x0002') !== meta) continue;
    const tag = key.slice(1).toUpperCase();
    if (!element.hadUndefinedLength && element.dataOffset + element.length > end) {
      throw overrun(tag, element.length, end - element.dataOffset, maxBytes);
    }
    for (const fragment of element.fragments ?? []) {
      if (fragment.position + fragment.length > end) {
        throw overrun(tag, fragment.length, end - fragment.position, maxBytes);
      }
    }
    for (const item of element.items ?? []) {
      if (item.dataOffset + item.length > end && !item.hadUndefinedLength) {
        throw overrun(tag, item.length, end - item.dataOffset, maxBytes);
      }
      if (item.dataSet) checkExtents(item.dataSet, end, maxBytes);
    }
  }
}

/**
 * Checks File Meta as a whole. A file cut inside it may lose the Transfer Syntax UID entirely; the group length tells
 * that apart from a file that never had one.
 */
function checkMetaLength(meta: DataSet, end: number): void {
  // dicom-parser ends File Meta at the first tag above group 0002, so an illegal group 0001 or 0000 element lands in it.
  const stray = Object.keys(meta.elements).find((key) => !key.startsWith('x0002'));
  if (stray) {
    throw new DicomError(
      'malformed',
      `The dataset starts with element ${formatTag(stray)}, in a group DICOM does not allow; the file cannot be read.`,
    );
  }
  const groupLength = meta.elements.x00020000;
  if (!groupLength || groupLength.length !== 4 || groupLength.dataOffset + 4 > end) return;
  const declared = new DataView(meta.byteArray.buffer, meta.byteArray.byteOffset).getUint32(
    groupLength.dataOffset,
    true,
  );
  if (groupLength.dataOffset + 4 + declared > end) {
    throw truncated('the File Meta Information group is incomplete');
  }
}

function messageOf(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown;
  if (thrown instanceof Error) return thrown.message;
  if (typeof thrown === 'object' && thrown !== null && 'exception' in thrown) {
    return messageOf(thrown.exception);
  }
  return String(thrown);
}

/** dicom-parser throws strings, Errors, or { exception, dataSet } with what it read so far. */
function translateParserError(thrown: unknown, end: number, maxBytes: number | undefined): DicomError {
  if (thrown instanceof DicomError) return thrown;
  if (typeof thrown === 'object' && thrown !== null && 'dataSet' in thrown) {
    const partial = thrown.dataSet as DataSet | undefined;
    if (partial?.elements) {
      try {
        checkExtents(partial, end, maxBytes);
      } catch (error) {
        if (error instanceof DicomError) return error;
      }
    }
  }
  const message = messageOf(thrown).replace(/^dicomParser[.:]\S*:?\s*/, '');
  if (/past end|overrun|overread|maxP ?osition|greater than or equal|eof/i.test(message)) {
    return truncated(message);
  }
  return new DicomError('malformed', `The DICOM data is structurally invalid (${message}). Export it again.`);
}

function readMeta(bytes: Uint8Array): DataSet {
  try {
    return dicomParser.readPart10Header(bytes);
  } catch (thrown) {
    throw translateParserError(thrown, bytes.length, undefined);
  }
}

function requireString(dataSet: DataSet, key: string, keyword: string): string {
  const element = dataSet.elements[key];
  const value = element ? readAsciiValue(dataSet, element) : '';
  if (value === '') {
    throw new DicomError(
      'missing_attribute',
      `${keyword} ${formatTag(key)} is missing or empty; every stored instance needs it. Check the sending system's export.`,
    );
  }
  return value;
}

function requireUid(dataSet: DataSet, key: string, keyword: string): string {
  const uid = requireString(dataSet, key, keyword);
  if (!isValidUid(uid)) {
    throw new DicomError(
      'invalid_uid',
      `${keyword} ${formatTag(key)} '${uid.slice(0, 80)}' is not a valid UID: only digits separated by single dots, ` +
        'at most 64 characters.',
    );
  }
  return uid;
}

function resolveTransferSyntax(meta: DataSet, options: ParseOptions): TransferSyntax {
  const uid = requireUid(meta, 'x00020010', 'TransferSyntaxUID');
  const syntax = transferSyntax(uid);
  if (!syntax) {
    throw new DicomError(
      'unsupported_transfer_syntax',
      `Transfer syntax ${uid} is not supported. Send the images in one of: ${supportedTransferSyntaxNames().join(', ')}.`,
    );
  }
  if (syntax.deflated && !options.inflate) {
    throw new DicomError(
      'unsupported_transfer_syntax',
      'Deflated Explicit VR Little Endian cannot be read here; send the images uncompressed or in a JPEG syntax.',
    );
  }
  return syntax;
}

function inflater(
  inflate: Inflate,
  limit: number,
  keep: (dataset: Uint8Array) => void,
): (bytes: Uint8Array, position: number) => Uint8Array {
  return (bytes, position) => {
    const maxOutput = Math.max(1, limit - position);
    let inflated: Uint8Array;
    try {
      inflated = inflate(bytes.subarray(position), maxOutput);
    } catch (error) {
      if (error instanceof DicomError) throw error;
      throw new DicomError(
        'truncated',
        `The deflated dataset cannot be inflated (${messageOf(error)}); the file is damaged or cut short.`,
      );
    }
    if (inflated.length > maxOutput) {
      throw new DicomError('too_large', `The deflated dataset inflates to more than ${maxOutput} bytes.`);
    }
    // dicom-parser starts reading the returned array at offset 0, so it gets the dataset alone; handing back the
    // File Meta bytes in front of it (as its own zlib path does) would make it parse the preamble as elements.
    keep(inflated);
    return inflated;
  };
}

function readInteger(dataSet: DataSet, key: string, littleEndian: boolean): number | undefined {
  const element = dataSet.elements[key];
  if (!element || element.length === 0) return undefined;
  const vr = element.vr ?? vrOf(key);
  if (vr === 'IS') {
    const value = Number.parseInt(readAsciiValue(dataSet, element), 10);
    return Number.isFinite(value) ? value : undefined;
  }
  const bytes = dataSet.byteArray.subarray(element.dataOffset, element.dataOffset + 2);
  if (bytes.length < 2) return undefined;
  return new DataView(bytes.buffer, bytes.byteOffset, 2).getUint16(0, littleEndian);
}

function requireInteger(dataSet: DataSet, key: string, keyword: string, littleEndian: boolean): number {
  const value = readInteger(dataSet, key, littleEndian);
  if (value === undefined) {
    throw new DicomError(
      'missing_attribute',
      `${keyword} ${formatTag(key)} is missing but the file has Pixel Data.`,
    );
  }
  return value;
}

function locateFrames(dataSet: DataSet, syntax: TransferSyntax): FrameRange[] {
  const key = ['x7fe00010', 'x7fe00008', 'x7fe00009'].find((k) => dataSet.elements[k]);
  const pixelData: Element | undefined = key ? dataSet.elements[key] : undefined;
  if (!pixelData || (pixelData.length === 0 && !pixelData.encapsulatedPixelData)) return [];
  const le = syntax.littleEndian;
  const numberOfFrames = readInteger(dataSet, 'x00280008', le) ?? 1;
  if (numberOfFrames < 1) {
    throw new DicomError(
      'bad_pixel_data',
      `Number of Frames is ${numberOfFrames}, but the file has Pixel Data.`,
    );
  }
  const isFloatPixelData = key !== 'x7fe00010';
  if (syntax.encapsulated && !isFloatPixelData) {
    if (!pixelData.encapsulatedPixelData) {
      throw new DicomError(
        'bad_pixel_data',
        `Transfer syntax ${syntax.name} requires encapsulated Pixel Data, but it has a defined length.`,
      );
    }
    return encapsulatedFrames(dataSet.byteArray, pixelData, numberOfFrames);
  }
  if (pixelData.encapsulatedPixelData) {
    throw new DicomError(
      'bad_pixel_data',
      `Pixel Data is encapsulated (compressed) but the transfer syntax ${syntax.name} is not.`,
    );
  }
  const photometric = dataSet.elements.x00280004;
  return nativeFrames(pixelData, {
    rows: requireInteger(dataSet, 'x00280010', 'Rows', le),
    columns: requireInteger(dataSet, 'x00280011', 'Columns', le),
    bitsAllocated: requireInteger(dataSet, 'x00280100', 'BitsAllocated', le),
    samplesPerPixel: readInteger(dataSet, 'x00280002', le) ?? 1,
    numberOfFrames,
    photometricInterpretation: photometric ? readAsciiValue(dataSet, photometric) : '',
  });
}

interface ReadResult {
  syntax: TransferSyntax;
  dataSet: DataSet;
  inflated: Uint8Array | undefined;
}

/** Checks the envelope (size, preamble, File Meta, transfer syntax) and parses the dataset, checking every extent. */
function readPart10(bytes: Uint8Array, options: ParseOptions): ReadResult {
  const { maxBytes } = options;
  if (maxBytes !== undefined && bytes.length > maxBytes) {
    throw new DicomError('too_large', `The file is ${bytes.length} bytes; the limit is ${maxBytes}.`);
  }
  if (
    bytes.length < 132 ||
    bytes[128] !== 0x44 ||
    bytes[129] !== 0x49 ||
    bytes[130] !== 0x43 ||
    bytes[131] !== 0x4d
  ) {
    throw notDicom(bytes);
  }
  const meta = readMeta(bytes);
  checkMetaLength(meta, bytes.length);
  checkExtents(meta, bytes.length, maxBytes, true);
  const syntax = resolveTransferSyntax(meta, options);

  let inflated: Uint8Array | undefined;
  let dataSet: DataSet;
  try {
    dataSet = dicomParser.parseDicom(bytes, {
      // Only dictionary VRs are passed: for unknown tags dicom-parser must keep peeking for item tags to find
      // sequences, and dicom-json maps what is still unknown to UN.
      vrCallback: (tag: string) => {
        const vr = vrOf(tag);
        return vr === 'UN' ? undefined : vr;
      },
      ...(syntax.deflated && options.inflate
        ? {
            inflater: inflater(options.inflate, maxBytes ?? DEFAULT_MAX_INFLATED, (dataset) => {
              inflated = dataset;
            }),
          }
        : {}),
    });
  } catch (thrown) {
    throw translateParserError(thrown, inflated?.length ?? bytes.length, maxBytes);
  }
  checkExtents(dataSet, dataSet.byteArray.length, maxBytes);
  if (dataSet.warnings.some((warning) => /eof encountered|missing sequence delimiter/i.test(warning))) {
    throw truncated('a sequence or the pixel data has no end marker');
  }
  return { syntax, dataSet, inflated };
}

function toJson({ syntax, dataSet }: ReadResult): DicomJson {
  return dataSetToJson(dataSet, { littleEndian: syntax.littleEndian, charsets: [], pixelRepresentation: 0 });
}

/**
 * Parses a Part 10 file for ingestion: validates what the archive relies on, returns the dataset as DICOM JSON and
 * where each frame lies. Throws DicomError (reason + a message for the sender) for anything it cannot accept.
 */
export function parsePart10(bytes: Uint8Array, options: ParseOptions = {}): ParsedInstance {
  const read = readPart10(bytes, options);
  const { syntax, dataSet, inflated } = read;
  const [sopClassUid, sopInstanceUid, studyInstanceUid, seriesInstanceUid] = REQUIRED_UIDS.map(
    ([key, keyword]) => requireUid(dataSet, key, keyword),
  ) as [string, string, string, string];
  const frames = locateFrames(dataSet, syntax);
  return {
    transferSyntaxUid: syntax.uid,
    sopClassUid,
    sopInstanceUid,
    studyInstanceUid,
    seriesInstanceUid,
    json: toJson(read),
    frames,
    encapsulated: syntax.encapsulated,
    ...(inflated ? { inflated } : {}),
  };
}

/**
 * Reads any well-formed Part 10 file as DICOM JSON, without the identity checks of parsePart10 (for files that are
 * not stored instances, e.g. a DICOMDIR, or for inspection tools). Still throws DicomError for broken files.
 */
export function part10ToJson(bytes: Uint8Array, options: ParseOptions = {}): DicomJson {
  return toJson(readPart10(bytes, options));
}
