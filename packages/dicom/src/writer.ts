/**
 * Writing Part 10 files (PS3.10 7, PS3.5 7): preamble, 'DICM', a File Meta group with its group length, then the
 * dataset in the requested transfer syntax. Sequences and items get defined lengths, so the output needs no
 * delimitation items except around encapsulated Pixel Data, where PS3.5 A.4 requires them.
 */
import { decodeBase64 } from './base64.js';
import { encodeText, parseCharacterSets } from './charset.js';
import { formatTag, normalizeTag } from './tags.js';
import { transferSyntax, TransferSyntaxUid } from './transfer-syntax.js';
import type { TransferSyntax } from './transfer-syntax.js';
import type { DicomJsonAttribute, PersonNameJson } from './types.js';
import { IMPLEMENTATION_CLASS_UID, IMPLEMENTATION_VERSION_NAME } from './uid.js';
import { bulkWordSize, hasLongLength, isStringVr, numberSize, paddingByte, usesCharset } from './vr.js';

/** A DICOM JSON attribute, plus raw forms the JSON model has no room for. */
export interface WritableAttribute extends DicomJsonAttribute {
  /** The value of a binary VR as little endian bytes; used instead of InlineBinary. */
  bytes?: Uint8Array;
  /** Encapsulated Pixel Data: the fragments in order (compressed transfer syntaxes only). */
  fragments?: Uint8Array[];
  /** Basic Offset Table for `fragments` (byte offset of each frame's first fragment item); empty when omitted. */
  offsetTable?: number[];
}

/** A dataset to write, keyed like DICOM JSON; SQ values are arrays of such datasets. */
export type WritableDataset = Record<string, WritableAttribute>;

/** One element of a dataset given as a list. */
export interface WritableElement extends WritableAttribute {
  /** '00100010', '(0010,0010)' or '0010,0010'. */
  tag: string;
}

/** Options for writePart10. */
export interface WriteOptions {
  /** Defaults to Explicit VR Little Endian. */
  transferSyntaxUid?: string;
  /** Raw DEFLATE, required for Deflated Explicit VR Little Endian (the core has no zlib). */
  deflate?: (bytes: Uint8Array) => Uint8Array;
  /** Written as Source Application Entity Title (0002,0016) when given. */
  sourceApplicationEntityTitle?: string;
}

interface EncodeContext {
  syntax: TransferSyntax;
  charsets: readonly string[];
}

const ITEM = 0xfffee000;
const SEQUENCE_DELIMITATION = 0xfffee0dd;
const UNDEFINED_LENGTH = 0xffffffff;

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((sum, chunk) => sum + chunk.length, 0));
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.length;
  }
  return out;
}

function ascii(text: string, tag: string, vr: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code > 0x7f) {
      throw new RangeError(
        `${formatTag(tag)} ${vr} allows only the default character repertoire, got '${text}'`,
      );
    }
    out[i] = code;
  }
  return out;
}

/** Decimal String (PS3.5 6.2): at most 16 characters, so precision is given up until the number fits. */
export function formatDecimalString(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`DS cannot hold ${value}`);
  let text = String(value);
  for (let precision = 15; text.length > 16 && precision > 0; precision--) {
    text = value.toPrecision(precision).replace(/\.?0+(e|$)/, '$1');
  }
  return text;
}

function personNameString(value: PersonNameJson): string {
  const groups = [value.Alphabetic ?? '', value.Ideographic ?? '', value.Phonetic ?? ''];
  while (groups.length > 0 && groups[groups.length - 1] === '') groups.pop();
  return groups.join('=');
}

function stringOf(value: unknown, vr: string, tag: string): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    if (vr === 'IS') {
      if (!Number.isInteger(value)) {
        throw new RangeError(`${formatTag(tag)} IS needs an integer, got ${value}`);
      }
      return String(value);
    }
    return vr === 'DS' ? formatDecimalString(value) : String(value);
  }
  if (vr === 'PN' && typeof value === 'object') return personNameString(value);
  throw new TypeError(`${formatTag(tag)} ${vr} cannot hold ${JSON.stringify(value)}`);
}

function encodeStrings(
  values: readonly unknown[],
  vr: string,
  tag: string,
  context: EncodeContext,
): Uint8Array {
  const text = values.map((value) => stringOf(value, vr, tag)).join('\\');
  return usesCharset(vr) ? encodeText(text, context.charsets, vr) : ascii(text, tag, vr);
}

function encodeNumbers(
  values: readonly unknown[],
  vr: string,
  size: number,
  tag: string,
  le: boolean,
): Uint8Array {
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((value, i) => {
    const at = i * size;
    if (vr === 'AT') {
      const hex = normalizeTag(String(value));
      view.setUint16(at, Number.parseInt(hex.slice(0, 4), 16), le);
      view.setUint16(at + 2, Number.parseInt(hex.slice(4, 8), 16), le);
      return;
    }
    if (vr === 'SV' || vr === 'UV') {
      const big = BigInt(value as string | number);
      if (vr === 'SV') view.setBigInt64(at, big, le);
      else view.setBigUint64(at, big, le);
      return;
    }
    if (typeof value !== 'number') {
      throw new TypeError(`${formatTag(tag)} ${vr} needs numbers, got ${String(value)}`);
    }
    if (vr === 'US') view.setUint16(at, value, le);
    else if (vr === 'SS') view.setInt16(at, value, le);
    else if (vr === 'UL') view.setUint32(at, value, le);
    else if (vr === 'SL') view.setInt32(at, value, le);
    else if (vr === 'FL') view.setFloat32(at, value, le);
    else view.setFloat64(at, value, le);
  });
  return out;
}

/** Binary values are given little endian (as DICOMweb presents them) and swapped word-wise for big endian. */
function encodeBulk(attribute: WritableAttribute, vr: string, tag: string, le: boolean): Uint8Array {
  let bytes = attribute.bytes;
  if (!bytes && attribute.InlineBinary !== undefined) bytes = decodeBase64(attribute.InlineBinary);
  if (!bytes && attribute.BulkDataURI !== undefined) {
    throw new TypeError(`${formatTag(tag)} has only a BulkDataURI; pass its bytes to write it`);
  }
  bytes ??= new Uint8Array(0);
  const wordSize = bulkWordSize(vr) ?? 1;
  if (le || wordSize === 1) return bytes;
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i + wordSize <= bytes.length; i += wordSize) {
    for (let j = 0; j < wordSize; j++) swapped[i + j] = bytes[i + wordSize - 1 - j] ?? 0;
  }
  return swapped;
}

function padded(value: Uint8Array, vr: string): Uint8Array {
  if (value.length % 2 === 0) return value;
  const out = new Uint8Array(value.length + 1);
  out.set(value);
  out[value.length] = paddingByte(vr);
  return out;
}

function header(tag: string, vr: string, length: number, context: EncodeContext): Uint8Array {
  const { explicitVr, littleEndian: le } = context.syntax;
  const long = !explicitVr || hasLongLength(vr);
  const out = new Uint8Array(explicitVr ? (long ? 12 : 8) : 8);
  const view = new DataView(out.buffer);
  view.setUint16(0, Number.parseInt(tag.slice(0, 4), 16), le);
  view.setUint16(2, Number.parseInt(tag.slice(4, 8), 16), le);
  if (!explicitVr) {
    view.setUint32(4, length, le);
    return out;
  }
  out[4] = vr.charCodeAt(0);
  out[5] = vr.charCodeAt(1);
  if (long) {
    view.setUint32(8, length, le);
  } else {
    if (length > 0xffff) {
      throw new RangeError(`${formatTag(tag)} ${vr} value is ${length} bytes; this VR allows at most 65534`);
    }
    view.setUint16(6, length, le);
  }
  return out;
}

function itemHeader(tag: number, length: number, le: boolean): Uint8Array {
  const out = new Uint8Array(8);
  const view = new DataView(out.buffer);
  view.setUint16(0, tag >>> 16, le);
  view.setUint16(2, tag & 0xffff, le);
  view.setUint32(4, length, le);
  return out;
}

function encodeFragments(attribute: WritableAttribute, tag: string, context: EncodeContext): Uint8Array[] {
  const le = context.syntax.littleEndian;
  const table = attribute.offsetTable ?? [];
  const offsets = new Uint8Array(table.length * 4);
  table.forEach((offset, i) => {
    new DataView(offsets.buffer).setUint32(i * 4, offset, le);
  });
  const chunks = [
    header(tag, 'OB', UNDEFINED_LENGTH, context),
    itemHeader(ITEM, offsets.length, le),
    offsets,
  ];
  for (const fragment of attribute.fragments ?? []) {
    const value = padded(fragment, 'OB');
    chunks.push(itemHeader(ITEM, value.length, le), value);
  }
  chunks.push(itemHeader(SEQUENCE_DELIMITATION, 0, le));
  return chunks;
}

function encodeElement(tag: string, attribute: WritableAttribute, context: EncodeContext): Uint8Array[] {
  const vr = attribute.vr;
  const le = context.syntax.littleEndian;
  if (attribute.fragments) {
    if (!context.syntax.encapsulated) {
      throw new TypeError(
        `${formatTag(tag)} has fragments but ${context.syntax.name} is not an encapsulated syntax`,
      );
    }
    return encodeFragments(attribute, tag, context);
  }
  if (tag === '7FE00010' && context.syntax.encapsulated) {
    throw new TypeError(`${context.syntax.name} needs encapsulated Pixel Data: give PixelData as fragments`);
  }
  if (vr === 'SQ') {
    const items = (attribute.Value ?? []).map((item) => {
      const body = concat(encodeDataset(item as WritableDataset, context));
      return concat([itemHeader(ITEM, body.length, le), body]);
    });
    const value = concat(items);
    return [header(tag, vr, value.length, context), value];
  }
  let value: Uint8Array;
  const size = numberSize(vr);
  if (isStringVr(vr)) value = encodeStrings(attribute.Value ?? [], vr, tag, context);
  else if (size !== undefined) value = encodeNumbers(attribute.Value ?? [], vr, size, tag, le);
  else value = encodeBulk(attribute, vr, tag, le);
  value = padded(value, vr);
  if (value.length >= UNDEFINED_LENGTH) throw new RangeError(`${formatTag(tag)} is too long to encode`);
  return [header(tag, vr, value.length, context), value];
}

function encodeDataset(dataset: WritableDataset, parent: EncodeContext): Uint8Array[] {
  const charsetValue = dataset['00080005']?.Value;
  const context: EncodeContext = charsetValue
    ? { ...parent, charsets: parseCharacterSets(charsetValue.map((v) => (typeof v === 'string' ? v : ''))) }
    : parent;
  const tags = Object.keys(dataset)
    .map((key) => [normalizeTag(key), key] as const)
    // Group lengths are retired outside File Meta and would be wrong after re-encoding; File Meta is built below.
    .filter(([tag]) => !tag.startsWith('0002') && !tag.endsWith('0000'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return tags.flatMap(([tag, key]) => {
    const attribute = dataset[key];
    return attribute ? encodeElement(tag, attribute, context) : [];
  });
}

function firstString(dataset: WritableDataset, tag: string): string | undefined {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** What the File Meta group (PS3.10 7.1) of one instance records besides this implementation's identity. */
export interface FileMetaFields {
  sopClassUid: string;
  sopInstanceUid: string;
  /** The transfer syntax the dataset after the File Meta group is actually encoded in. */
  transferSyntaxUid: string;
  /** Written as Source Application Entity Title (0002,0016) when not blank. */
  sourceApplicationEntityTitle?: string;
}

// File Meta is always Explicit VR Little Endian (PS3.10 7.1), whatever the dataset uses.
const FILE_META_CONTEXT: EncodeContext = {
  syntax: {
    uid: TransferSyntaxUid.ExplicitVRLittleEndian,
    name: 'Explicit VR Little Endian',
    explicitVr: true,
    littleEndian: true,
    deflated: false,
    encapsulated: false,
  },
  charsets: [],
};

/**
 * The 128-byte preamble, 'DICM' and the File Meta group with its group length and this platform's implementation
 * class UID and version name. Dataset bytes appended unchanged, in the transfer syntax named here, make a valid
 * Part 10 file: a receiver can store what it was sent without decoding and re-encoding it.
 */
export function part10Header(fields: FileMetaFields): Uint8Array {
  const meta: WritableDataset = {
    '00020001': { vr: 'OB', bytes: Uint8Array.of(0, 1) },
    '00020002': { vr: 'UI', Value: [fields.sopClassUid] },
    '00020003': { vr: 'UI', Value: [fields.sopInstanceUid] },
    '00020010': { vr: 'UI', Value: [fields.transferSyntaxUid] },
    '00020012': { vr: 'UI', Value: [IMPLEMENTATION_CLASS_UID] },
    '00020013': { vr: 'SH', Value: [IMPLEMENTATION_VERSION_NAME] },
  };
  const sourceAe = fields.sourceApplicationEntityTitle?.trim();
  if (sourceAe) meta['00020016'] = { vr: 'AE', Value: [sourceAe] };
  const body = concat(
    Object.entries(meta).flatMap(([tag, attribute]) => encodeElement(tag, attribute, FILE_META_CONTEXT)),
  );
  const groupLength = concat(
    encodeElement('00020000', { vr: 'UL', Value: [body.length] }, FILE_META_CONTEXT),
  );
  const preamble = new Uint8Array(132);
  preamble.set([0x44, 0x49, 0x43, 0x4d], 128);
  return concat([preamble, groupLength, body]);
}

function fileMetaFields(
  dataset: WritableDataset,
  syntax: TransferSyntax,
  options: WriteOptions,
): FileMetaFields {
  const sopClassUid = firstString(dataset, '00080016');
  const sopInstanceUid = firstString(dataset, '00080018');
  if (!sopClassUid || !sopInstanceUid) {
    throw new TypeError(
      'SOPClassUID (0008,0016) and SOPInstanceUID (0008,0018) are needed for the File Meta group',
    );
  }
  return {
    sopClassUid,
    sopInstanceUid,
    transferSyntaxUid: syntax.uid,
    sourceApplicationEntityTitle: options.sourceApplicationEntityTitle,
  };
}

function toDataset(input: WritableDataset | readonly WritableElement[]): WritableDataset {
  if (!Array.isArray(input)) return input as WritableDataset;
  const dataset: WritableDataset = {};
  for (const { tag, ...attribute } of input as readonly WritableElement[]) {
    dataset[normalizeTag(tag)] = attribute;
  }
  return dataset;
}

/**
 * Writes a dataset (DICOM JSON, optionally with raw `bytes`/`fragments`, or a list of elements) as a Part 10 file.
 * SOPClassUID and SOPInstanceUID are copied into the File Meta group; text is encoded with the dataset's own
 * Specific Character Set.
 */
export function writePart10(
  input: WritableDataset | readonly WritableElement[],
  options: WriteOptions = {},
): Uint8Array {
  const dataset = toDataset(input);
  const uid = options.transferSyntaxUid ?? TransferSyntaxUid.ExplicitVRLittleEndian;
  const syntax = transferSyntax(uid);
  if (!syntax) throw new RangeError(`cannot write transfer syntax ${uid}`);
  const context: EncodeContext = { syntax, charsets: [] };
  const head = part10Header(fileMetaFields(dataset, syntax, options));
  const body = encodeDataset(dataset, context);
  if (!syntax.deflated) return concat([head, ...body]);
  if (!options.deflate) throw new TypeError('Deflated Explicit VR Little Endian needs options.deflate');
  const deflated = options.deflate(concat(body));
  // The deflated stream is padded to even length like any other DICOM stream (PS3.5 A.5).
  return concat([head, padded(deflated, 'OB')]);
}
