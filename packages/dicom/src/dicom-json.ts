/**
 * The DICOM JSON model (PS3.18 F.2) of a dataset read by dicom-parser. dicom-parser only locates elements; values are
 * read here, so text goes through the Specific Character Set in force (items inherit it unless they carry their
 * own) and numbers through the byte order of the transfer syntax.
 */
import type { DataSet, Element } from 'dicom-parser';
import { encodeBase64 } from './base64.js';
import { decodeText, parseCharacterSets } from './charset.js';
import { vrOf } from './tags.js';
import type { DicomJson, DicomJsonAttribute, PersonNameJson } from './types.js';
import { bulkWordSize, isSingleValuedText, isStringVr, numberSize, usesCharset } from './vr.js';

/** Binary values up to this many bytes are inlined as base64; larger ones become bulk data (PS3.18 F.2.7). */
export const INLINE_BINARY_MAX = 256;

const VALID_VRS: ReadonlySet<string> = new Set(
  'AE AS AT CS DA DS DT FD FL IS LO LT OB OD OF OL OV OW PN SH SL SQ SS ST SV TM UC UI UL UN UR US UT UV'.split(
    ' ',
  ),
);

/** How the dataset's bytes are encoded, and what enclosing datasets pass down to their items. */
export interface JsonContext {
  littleEndian: boolean;
  /** Specific Character Set of the enclosing dataset, inherited by items that do not declare their own. */
  charsets: readonly string[];
  pixelRepresentation: number;
}

/** The bytes of an element's value, clamped to the array so a damaged length cannot read beyond it. */
export function valueBytes(dataSet: DataSet, element: Element): Uint8Array {
  const bytes = dataSet.byteArray;
  const start = Math.min(element.dataOffset, bytes.length);
  return bytes.subarray(start, Math.min(start + element.length, bytes.length));
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return text;
}

/** A default-repertoire value (UI, CS, IS...) as a string, without padding. */
export function readAsciiValue(dataSet: DataSet, element: Element): string {
  return latin1(valueBytes(dataSet, element))
    .replace(/[\0 ]+$/, '')
    .trim();
}

function readUint16(dataSet: DataSet, tag: string, littleEndian: boolean): number | undefined {
  const element = dataSet.elements[tag];
  if (!element || element.length < 2) return undefined;
  const bytes = valueBytes(dataSet, element);
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint16(0, littleEndian);
}

/** Converts a dataset (a Part 10 body or a sequence item) to DICOM JSON with its keys in ascending tag order. */
export function dataSetToJson(dataSet: DataSet, context: JsonContext): DicomJson {
  const charsetElement = dataSet.elements.x00080005;
  const charsets = charsetElement
    ? parseCharacterSets(readAsciiValue(dataSet, charsetElement))
    : context.charsets;
  const pixelRepresentation =
    readUint16(dataSet, 'x00280103', context.littleEndian) ?? context.pixelRepresentation;
  const own: JsonContext = { littleEndian: context.littleEndian, charsets, pixelRepresentation };

  const json: DicomJson = {};
  const tags = Object.keys(dataSet.elements)
    .map((key) => key.slice(1).toUpperCase())
    .filter((tag) => !tag.startsWith('0002') && !tag.startsWith('FFFEE') && !tag.endsWith('0000'))
    .sort();
  // Keys made only of decimal digits with no leading zero (e.g. '20500020') are integer-like, and JavaScript lists
  // those first whatever the insertion order; consumers that need strict tag order must sort the keys themselves.
  for (const tag of tags) {
    const element = dataSet.elements[`x${tag.toLowerCase()}`];
    if (element) json[tag] = toAttribute(dataSet, element, tag, own);
  }
  return json;
}

function resolveVr(element: Element, tag: string, context: JsonContext): string {
  const declared = element.vr;
  if (element.items) return 'SQ';
  if (declared === undefined) return vrOf(tag, context.pixelRepresentation);
  if (!VALID_VRS.has(declared)) return 'UN';
  if (declared === 'UN' && context.littleEndian && !element.hadUndefinedLength) {
    // A UN value is the attribute encoded in implicit VR little endian (PS3.5 6.2.2), so when the dictionary knows
    // the VR the value can be read as what it is.
    const known = vrOf(tag, context.pixelRepresentation);
    if (known !== 'SQ') return known;
  }
  return declared;
}

function toAttribute(
  dataSet: DataSet,
  element: Element,
  tag: string,
  context: JsonContext,
): DicomJsonAttribute {
  const vr = resolveVr(element, tag, context);
  if (vr === 'SQ') {
    const items = (element.items ?? []).flatMap((item) =>
      item.dataSet ? [dataSetToJson(item.dataSet, context)] : [],
    );
    return items.length > 0 ? { vr, Value: items } : { vr };
  }
  if (element.encapsulatedPixelData || element.hadUndefinedLength) return { vr, BulkDataURI: '' };
  if (element.length === 0) return { vr };
  const bytes = valueBytes(dataSet, element);
  if (isStringVr(vr)) return stringAttribute(bytes, vr, context);
  const size = numberSize(vr);
  if (size !== undefined) {
    const values = readNumbers(bytes, vr, size, context.littleEndian);
    return values.length > 0 ? { vr, Value: values } : { vr };
  }
  if (bytes.length > INLINE_BINARY_MAX) return { vr, BulkDataURI: '' };
  return {
    vr,
    InlineBinary: encodeBase64(toLittleEndian(bytes, bulkWordSize(vr) ?? 1, context.littleEndian)),
  };
}

/** DICOMweb presents binary in little endian, so big endian words are swapped before base64. */
export function toLittleEndian(bytes: Uint8Array, wordSize: number, littleEndian: boolean): Uint8Array {
  if (littleEndian || wordSize === 1) return bytes;
  const swapped = new Uint8Array(bytes.length);
  for (let i = 0; i + wordSize <= bytes.length; i += wordSize) {
    for (let j = 0; j < wordSize; j++) swapped[i + j] = bytes[i + wordSize - 1 - j] ?? 0;
  }
  return swapped;
}

function readNumbers(
  bytes: Uint8Array,
  vr: string,
  size: number,
  littleEndian: boolean,
): (number | string)[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const values: (number | string)[] = [];
  for (let at = 0; at + size <= bytes.length; at += size) {
    switch (vr) {
      case 'US':
        values.push(view.getUint16(at, littleEndian));
        break;
      case 'SS':
        values.push(view.getInt16(at, littleEndian));
        break;
      case 'UL':
        values.push(view.getUint32(at, littleEndian));
        break;
      case 'SL':
        values.push(view.getInt32(at, littleEndian));
        break;
      case 'FL':
        values.push(view.getFloat32(at, littleEndian));
        break;
      case 'FD':
        values.push(view.getFloat64(at, littleEndian));
        break;
      case 'SV':
      case 'UV': {
        const big = vr === 'SV' ? view.getBigInt64(at, littleEndian) : view.getBigUint64(at, littleEndian);
        // Beyond 2^53 a JSON number would silently lose digits, so those values travel as strings (PS3.18 F.2.3).
        values.push(Number.isSafeInteger(Number(big)) ? Number(big) : big.toString());
        break;
      }
      case 'AT': {
        const hex = (n: number): string => n.toString(16).toUpperCase().padStart(4, '0');
        values.push(hex(view.getUint16(at, littleEndian)) + hex(view.getUint16(at + 2, littleEndian)));
        break;
      }
    }
  }
  return values;
}

function trimValue(value: string, vr: string): string {
  // Leading spaces are significant in the free-text VRs; everywhere else padding on either side is not (PS3.5 6.2).
  if (vr === 'LT' || vr === 'ST' || vr === 'UT') return value.replace(/[\0 ]+$/, '');
  return value.replace(/\0/g, '').trim();
}

function personName(value: string): PersonNameJson | null {
  if (value === '') return null;
  const [alphabetic = '', ideographic = '', phonetic = ''] = value.split('=').map((group) => group.trimEnd());
  const name: PersonNameJson = {};
  if (alphabetic) name.Alphabetic = alphabetic;
  if (ideographic) name.Ideographic = ideographic;
  if (phonetic) name.Phonetic = phonetic;
  return name;
}

function numberOrString(value: string): number | string | null {
  if (value === '') return null;
  const number = Number(value);
  return Number.isFinite(number) ? number : value;
}

function stringAttribute(bytes: Uint8Array, vr: string, context: JsonContext): DicomJsonAttribute {
  const text = usesCharset(vr) ? decodeText(bytes, context.charsets, vr) : latin1(bytes);
  const raw = isSingleValuedText(vr) ? [text] : text.split('\\');
  const values = raw.map((value) => trimValue(value, vr));
  if (values.length === 1 && values[0] === '') return { vr };
  if (vr === 'PN') return { vr, Value: values.map(personName) };
  if (vr === 'DS' || vr === 'IS') return { vr, Value: values.map(numberOrString) };
  return { vr, Value: values.map((value) => (value === '' ? null : value)) };
}
