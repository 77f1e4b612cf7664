/**
 * De-identification by the DICOM PS3.15 Annex E Basic Application Level Confidentiality Profile: every attribute of
 * Table E.1-1 (deidentify-profile.ts) gets its action, at every depth of nested sequences; private attributes,
 * curves and overlays are removed; what was done is recorded in the instance (PS3.15 E.1.1, PS3.3 C.12.1).
 *
 * Replacement UIDs and the patient pseudonym come from HMAC-SHA-256 under a caller's secret key, so separate calls
 * agree: every slice of a series sent one by one gets the same new Study, Series and Frame of Reference UIDs, and
 * references between instances (Referenced SOP Instance UID) still point at the right, renamed, instance. Without
 * the key the mapping can be neither reversed nor recomputed from a known original UID.
 *
 * Pixel data passes through unchanged. Identity burned into the pixels (the Clean Pixel Data Option) is out of
 * scope; Burned In Annotation (0028,0301) is kept as the source wrote it, so a reader can tell whether the pixels
 * may still show a name.
 */
import dicomParser from 'dicom-parser';
import type { DataSet } from 'dicom-parser';
import { COMPOUND_ACTIONS, profileRow } from './deidentify-profile.js';
import type { ProfileAction, ProfileRow, SimpleAction } from './deidentify-profile.js';
import { decodeBase64 } from './base64.js';
import { toLittleEndian, valueBytes } from './dicom-json.js';
import { parsePart10 } from './part10.js';
import type { Inflate } from './part10.js';
import { normalizeTag, vrOf } from './tags.js';
import { transferSyntax, TransferSyntaxUid } from './transfer-syntax.js';
import { DicomError } from './types.js';
import type { DicomJson } from './types.js';
import { UID_ROOT } from './uid.js';
import { bulkWordSize, numberSize, usesCharset } from './vr.js';
import { writePart10 } from './writer.js';
import type { WritableAttribute, WritableDataset } from './writer.js';

/** Root of the UIDs de-identification makes when the caller names none. */
export const DEIDENTIFIED_UID_ROOT = `${UID_ROOT}.6`;

/** How to de-identify; the three `retain` flags are the options of PS3.15 Table E.1-1 this package offers. */
export interface DeidentifyOptions {
  /**
   * Secret that keys replacement UIDs and the patient pseudonym: the same key gives the same output for the same
   * input, across calls and across studies. Keep it secret, or anyone holding an original UID can compute its
   * replacement and link the two.
   */
  key: string;
  /** Retain UIDs Option: keep Study, Series, SOP Instance and the other UIDs as they are. */
  retainUids?: boolean;
  /** Retain Longitudinal Temporal Information With Full Dates Option: keep dates and times. */
  retainLongitudinalDates?: boolean;
  /** Retain Patient Characteristics Option: keep sex, age, size, weight, ethnic group, smoking and pregnancy status. */
  retainPatientCharacteristics?: boolean;
  /** Root of replacement UIDs (at most 44 characters, leaving room for the hash); default DEIDENTIFIED_UID_ROOT. */
  uidRoot?: string;
  /** Patient's Name written instead of the real one (PN, in the instance's character set); default 'ANONYMOUS'. */
  patientName?: string;
  /** Patient ID written instead of the real one; default a pseudonym derived from the real ID and the key. */
  patientId?: string;
  /** Largest file accepted, as for parsePart10. */
  maxBytes?: number;
  /** Needed to read Deflated Explicit VR Little Endian, as for parsePart10. */
  inflate?: Inflate;
  /** Raw DEFLATE for writing a deflated input back deflated; without it such input is written uncompressed. */
  deflate?: (bytes: Uint8Array) => Uint8Array;
}

/** A de-identified Part 10 file and the identity it now carries. */
export interface DeidentifiedInstance {
  bytes: Uint8Array;
  transferSyntaxUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
}

/** CID 7050 (De-identification Method) codes, coding scheme DCM, recorded in (0012,0064). */
const METHOD_CODES = {
  basic: ['113100', 'Basic Application Confidentiality Profile'],
  retainLongitudinalDates: ['113106', 'Retain Longitudinal Temporal Information Full Dates Option'],
  retainPatientCharacteristics: ['113108', 'Retain Patient Characteristics Option'],
  retainUids: ['113110', 'Retain UIDs Option'],
} as const;

/** Dummy values for D, one per VR, chosen to be valid for the VR and to say plainly that they are not real. */
const DUMMY_VALUES: Readonly<Record<string, unknown>> = {
  AE: 'ANONYMOUS',
  AS: '000Y',
  CS: 'ANONYMOUS',
  DA: '19000101',
  DS: 0,
  DT: '19000101000000',
  IS: 0,
  LO: 'ANONYMOUS',
  LT: 'ANONYMOUS',
  PN: { Alphabetic: 'ANONYMOUS' },
  SH: 'ANONYMOUS',
  ST: 'ANONYMOUS',
  TM: '000000',
  UC: 'ANONYMOUS',
  UR: 'ANONYMOUS',
  UT: 'ANONYMOUS',
  AT: '00000000',
};

const PATIENT_NAME = '00100010';
const PATIENT_ID = '00100020';
const SPECIFIC_CHARACTER_SET = '00080005';
const COMPONENT = /^(0|[1-9][0-9]*)$/;

interface Context {
  retainUids: boolean;
  retainLongitudinalDates: boolean;
  retainPatientCharacteristics: boolean;
  uid: (uid: string) => string;
  /** Values that replace an attribute wherever Z or D applies to it, in place of an empty or dummy value. */
  replacements: ReadonlyMap<string, WritableAttribute>;
}

type Handler = (
  tag: string,
  attribute: WritableAttribute,
  row: ProfileRow,
  context: Context,
) => WritableAttribute | undefined;

/**
 * De-identifies a Part 10 file. Throws DicomError when the file cannot be read (as parsePart10 does) or its kept
 * values cannot be written back.
 */
export function deidentify(bytes: Uint8Array, options: DeidentifyOptions): Uint8Array {
  return deidentifyPart10(bytes, options).bytes;
}

/** De-identifies a Part 10 file and says which UIDs the result carries. */
export function deidentifyPart10(bytes: Uint8Array, options: DeidentifyOptions): DeidentifiedInstance {
  const parsed = parsePart10(bytes, {
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
    ...(options.inflate ? { inflate: options.inflate } : {}),
  });
  const dataSet = dicomParser.parseDicom(bytes, {
    // The same VRs parsePart10 gives dicom-parser, so both parses see the same elements and sequences.
    vrCallback: (tag: string) => {
      const vr = vrOf(tag);
      return vr === 'UN' ? undefined : vr;
    },
    ...(parsed.inflated ? { inflater: () => parsed.inflated } : {}),
  });
  const syntax = parsed.transferSyntaxUid;
  const littleEndian = transferSyntax(syntax)?.littleEndian ?? true;
  const dataset = deidentifyDataset(withRawValues(parsed.json, dataSet, littleEndian), options);
  const deflated = syntax === TransferSyntaxUid.DeflatedExplicitVRLittleEndian;
  const transferSyntaxUid = deflated && !options.deflate ? TransferSyntaxUid.ExplicitVRLittleEndian : syntax;
  let written: Uint8Array;
  try {
    written = writePart10(dataset, {
      transferSyntaxUid,
      ...(deflated && options.deflate ? { deflate: options.deflate } : {}),
    });
  } catch (error) {
    throw new DicomError(
      'malformed',
      `The de-identified instance cannot be written: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return {
    bytes: written,
    transferSyntaxUid,
    sopInstanceUid: firstString(dataset, '00080018'),
    studyInstanceUid: firstString(dataset, '0020000D'),
    seriesInstanceUid: firstString(dataset, '0020000E'),
  };
}

/**
 * De-identifies a dataset (DICOM JSON with raw bytes where the JSON model has none, as writePart10 takes it) and
 * returns a new one; the input is not changed. Adds the attributes that record the de-identification.
 */
export function deidentifyDataset(dataset: WritableDataset, options: DeidentifyOptions): WritableDataset {
  if (options.key === '') throw new RangeError('de-identification needs a key');
  const root = options.uidRoot ?? DEIDENTIFIED_UID_ROOT;
  checkUidRoot(root);
  const key = new TextEncoder().encode(options.key);
  const uids = new Map<string, string>();
  const context: Context = {
    retainUids: options.retainUids ?? false,
    retainLongitudinalDates: options.retainLongitudinalDates ?? false,
    retainPatientCharacteristics: options.retainPatientCharacteristics ?? false,
    uid: (uid) => {
      let replaced = uids.get(uid);
      if (replaced === undefined) {
        replaced = uidFromKey(uid, key, root);
        uids.set(uid, replaced);
      }
      return replaced;
    },
    replacements: new Map([
      [PATIENT_NAME, { vr: 'PN', Value: [{ Alphabetic: options.patientName ?? 'ANONYMOUS' }] }],
      [PATIENT_ID, { vr: 'LO', Value: [options.patientId ?? patientPseudonym(dataset, key)] }],
    ]),
  };
  const out = deidentifyItem(dataset, context);
  recordMethod(out, context);
  declareLatin1IfNeeded(out);
  return out;
}

/**
 * The UID that de-identification with this key puts in place of `uid`. Derived from HMAC-SHA-256 truncated to the
 * decimal digits that fit after the root (34 under the default root, about 112 bits), so two different UIDs
 * collide only with probability near n² / 2^113 for n UIDs: negligible for any archive.
 */
export function replacementUid(uid: string, options: Pick<DeidentifyOptions, 'key' | 'uidRoot'>): string {
  if (options.key === '') throw new RangeError('de-identification needs a key');
  const root = options.uidRoot ?? DEIDENTIFIED_UID_ROOT;
  checkUidRoot(root);
  return uidFromKey(uid, new TextEncoder().encode(options.key), root);
}

function checkUidRoot(root: string): void {
  if (root.length > 44 || !root.split('.').every((component) => COMPONENT.test(component))) {
    throw new RangeError(
      `uidRoot '${root}' must be a UID of at most 44 characters without leading zeros, leaving 19 digits for the hash`,
    );
  }
}

function uidFromKey(uid: string, key: Uint8Array, root: string): string {
  const digits = Math.min(64 - root.length - 1, 77);
  const hash = hmacSha256(key, new TextEncoder().encode(`uid\0${uid.trim()}`));
  const value = BigInt(`0x${hex(hash)}`) % 10n ** BigInt(digits);
  return `${root}.${value.toString()}`;
}

function patientPseudonym(dataset: WritableDataset, key: Uint8Array): string {
  const id = firstString(dataset, PATIENT_ID);
  // Without a Patient ID every such instance would share one pseudonym; the study then stands for the patient.
  const source = id === '' ? `study\0${firstString(dataset, '0020000D')}` : `patient\0${id}`;
  return `ANON${hex(hmacSha256(key, new TextEncoder().encode(source)))
    .slice(0, 16)
    .toUpperCase()}`;
}

function deidentifyItem(dataset: WritableDataset, context: Context): WritableDataset {
  const out: WritableDataset = {};
  for (const [key, attribute] of Object.entries(dataset)) {
    const tag = normalizeTag(key);
    const row = profileRow(tag);
    const action: SimpleAction = row ? resolve(row, attribute, context) : 'K';
    const result = HANDLERS[action](tag, attribute, row ?? KEEP_ROW, context);
    if (result) out[tag] = result;
  }
  return out;
}

const KEEP_ROW: ProfileRow = { tag: '', vr: 'UN', keyword: '', basic: 'K', options: {} };

/** The row's action under the chosen options, with a compound action resolved as COMPOUND_ACTIONS says. */
function resolve(row: ProfileRow, attribute: WritableAttribute, context: Context): SimpleAction {
  let action: ProfileAction = row.basic;
  if (context.retainUids && row.options.uids) action = row.options.uids;
  if (context.retainLongitudinalDates && row.options.dates) action = row.options.dates;
  // 'C' here asks for free text to be cleaned of identity, a judgement this package cannot make: the basic
  // action (removal) stands.
  if (context.retainPatientCharacteristics && row.options.patient === 'K') action = 'K';
  if (!(action in COMPOUND_ACTIONS)) return action as SimpleAction;
  const choice = COMPOUND_ACTIONS[action as keyof typeof COMPOUND_ACTIONS];
  if (attribute.vr === 'SQ') return choice.sequence;
  return hasValue(attribute) ? choice.value : choice.empty;
}

const HANDLERS: Readonly<Record<SimpleAction, Handler>> = {
  K: (_tag, attribute, _row, context) => keep(attribute, context),
  X: () => undefined,
  Z: (tag, attribute, row, context) =>
    context.replacements.get(tag) ?? { vr: attribute.vr === 'UN' ? row.vr : attribute.vr },
  // A sequence cannot be replaced by a dummy item that fits every macro: its items are de-identified instead.
  D: (tag, attribute, row, context) =>
    attribute.vr === 'SQ'
      ? keep(attribute, context)
      : (context.replacements.get(tag) ?? dummy(attribute, row, context)),
  C: (tag, attribute, row, context) =>
    attribute.vr === 'SQ'
      ? keep(attribute, context)
      : (context.replacements.get(tag) ?? dummy(attribute, row, context)),
  U: (_tag, attribute, _row, context) =>
    attribute.vr === 'SQ'
      ? keep(attribute, context)
      : { vr: 'UI', Value: uidValues(attribute).map((uid) => (uid === '' ? uid : context.uid(uid))) },
};

/** K: the value as it is; a sequence's items are de-identified row by row. */
function keep(attribute: WritableAttribute, context: Context): WritableAttribute {
  if (attribute.vr !== 'SQ' || !attribute.Value) return attribute;
  return {
    vr: 'SQ',
    Value: attribute.Value.map((item) => deidentifyItem(item as WritableDataset, context)),
  };
}

function dummy(attribute: WritableAttribute, row: ProfileRow, context: Context): WritableAttribute {
  const vr = attribute.vr === 'UN' ? row.vr : attribute.vr;
  if (vr === 'UI') return HANDLERS.U('', attribute, row, context) ?? { vr };
  const text = DUMMY_VALUES[vr];
  if (text !== undefined) return { vr, Value: [text] };
  if (numberSize(vr) !== undefined) return { vr, Value: [0] };
  // Binary: zeros, as long as the original where it is known, so fixed-size identifiers keep their size.
  const length = binaryLength(attribute);
  return { vr, bytes: new Uint8Array(Math.max(2, length + (length % 2))) };
}

function binaryLength(attribute: WritableAttribute): number {
  if (attribute.bytes) return attribute.bytes.length;
  if (attribute.InlineBinary !== undefined) return decodeBase64(attribute.InlineBinary).length;
  return 0;
}

/** UI values, also from a UN element (an implicit VR file with a UID attribute the reader's dictionary lacks). */
function uidValues(attribute: WritableAttribute): string[] {
  if (attribute.vr !== 'UN')
    return (attribute.Value ?? []).map((value) => (typeof value === 'string' ? value : ''));
  const bytes = attribute.bytes ?? decodeBase64(attribute.InlineBinary ?? '');
  return String.fromCharCode(...bytes)
    .replace(/[\0 ]+$/, '')
    .split('\\')
    .map((value) => value.trim());
}

function hasValue(attribute: WritableAttribute): boolean {
  if (attribute.bytes || attribute.fragments || attribute.InlineBinary || attribute.BulkDataURI !== undefined)
    return true;
  return (attribute.Value ?? []).some((value) => value !== null && value !== '');
}

/** PatientIdentityRemoved, DeidentificationMethod (+ code sequence) and LongitudinalTemporalInformationModified. */
function recordMethod(dataset: WritableDataset, context: Context): void {
  const codes = [
    METHOD_CODES.basic,
    ...(context.retainUids ? [METHOD_CODES.retainUids] : []),
    ...(context.retainLongitudinalDates ? [METHOD_CODES.retainLongitudinalDates] : []),
    ...(context.retainPatientCharacteristics ? [METHOD_CODES.retainPatientCharacteristics] : []),
  ];
  // An instance de-identified before keeps the record of that, with this pass added.
  const methods = (dataset['00120063']?.Value ?? []).filter(
    (value): value is string => typeof value === 'string',
  );
  const items = (dataset['00120064']?.Value ?? []) as WritableDataset[];
  const knownCodes = new Set(items.map((item) => item['00080100']?.Value?.[0]));
  dataset['00120062'] = { vr: 'CS', Value: ['YES'] };
  dataset['00120063'] = {
    vr: 'LO',
    Value: [
      ...methods,
      ...codes.map(([, meaning]) => meaning).filter((meaning) => !methods.includes(meaning)),
    ],
  };
  dataset['00120064'] = {
    vr: 'SQ',
    Value: [
      ...items,
      ...codes
        .filter(([code]) => !knownCodes.has(code))
        .map(([code, meaning]) => ({
          '00080100': { vr: 'SH', Value: [code] },
          '00080102': { vr: 'SH', Value: ['DCM'] },
          '00080104': { vr: 'LO', Value: [meaning] },
        })),
    ],
  };
  const previous = dataset['00280303']?.Value?.[0];
  dataset['00280303'] = {
    vr: 'CS',
    Value: [context.retainLongitudinalDates ? (previous ?? 'UNMODIFIED') : 'REMOVED'],
  };
}

/**
 * A dataset without Specific Character Set was read with bytes above 0x7F taken as Latin-1, as most toolkits do.
 * Text kept from it is declared as what it was read as, ISO_IR 100, so it can be written back and read the same.
 */
function declareLatin1IfNeeded(dataset: WritableDataset): void {
  if (dataset[SPECIFIC_CHARACTER_SET] || !hasNonAsciiText(dataset)) return;
  dataset[SPECIFIC_CHARACTER_SET] = { vr: 'CS', Value: ['ISO_IR 100'] };
}

function hasNonAsciiText(dataset: WritableDataset): boolean {
  return Object.values(dataset).some((attribute) => {
    if (attribute.vr === 'SQ') {
      return (attribute.Value ?? []).some(
        (item) =>
          !(item as WritableDataset)[SPECIFIC_CHARACTER_SET] && hasNonAsciiText(item as WritableDataset),
      );
    }
    return usesCharset(attribute.vr) && /[\u0080-\uffff]/.test(JSON.stringify(attribute.Value ?? []));
  });
}

function firstString(dataset: WritableDataset, tag: string): string {
  const value = dataset[tag]?.Value?.[0];
  return typeof value === 'string' ? value : '';
}

/**
 * Puts back what DICOM JSON leaves out: the bytes of bulk values (Pixel Data and other binary values over
 * INLINE_BINARY_MAX) and the fragments of encapsulated Pixel Data, from the dicom-parser dataset the JSON was made
 * from. Binary values are handed on little endian, as the writer takes them.
 */
function withRawValues(json: DicomJson, dataSet: DataSet, littleEndian: boolean): WritableDataset {
  const out: WritableDataset = {};
  for (const [tag, attribute] of Object.entries(json)) {
    const element = dataSet.elements[`x${tag.toLowerCase()}`];
    const { BulkDataURI, ...rest } = attribute;
    if (attribute.vr === 'SQ' && attribute.Value) {
      const items = (element?.items ?? []).flatMap((item) => (item.dataSet ? [item.dataSet] : []));
      out[tag] = {
        vr: 'SQ',
        Value: attribute.Value.map((item, i) => {
          const itemDataSet = items[i];
          return itemDataSet ? withRawValues(item as DicomJson, itemDataSet, littleEndian) : item;
        }),
      };
    } else if (BulkDataURI !== undefined && element?.encapsulatedPixelData) {
      out[tag] = {
        ...rest,
        fragments: (element.fragments ?? []).map((fragment) =>
          dataSet.byteArray.subarray(fragment.position, fragment.position + fragment.length),
        ),
        offsetTable: element.basicOffsetTable ?? [],
      };
    } else if (BulkDataURI !== undefined && element) {
      const wordSize = bulkWordSize(attribute.vr) ?? numberSize(attribute.vr) ?? 1;
      out[tag] = { ...rest, bytes: toLittleEndian(valueBytes(dataSet, element), wordSize, littleEndian) };
    } else if (attribute.vr === 'IS' && attribute.Value) {
      // The JSON model reads IS as numbers; a malformed non-integer is kept as the text it was.
      out[tag] = {
        vr: 'IS',
        Value: attribute.Value.map((value) =>
          typeof value === 'number' && !Number.isInteger(value) ? String(value) : value,
        ),
      };
    } else {
      out[tag] = attribute;
    }
  }
  return out;
}

function hex(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

// SHA-256 (FIPS 180-4) and HMAC (RFC 2104) in plain JavaScript: the core runs in browsers too, where node:crypto
// does not exist and WebCrypto is asynchronous only.
const K = Uint32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);

const rotr = (x: number, n: number): number => (x >>> n) | (x << (32 - n));

/** SHA-256 of `message`. */
export function sha256(message: Uint8Array): Uint8Array {
  const blocks = new Uint8Array(Math.ceil((message.length + 9) / 64) * 64);
  blocks.set(message);
  blocks[message.length] = 0x80;
  const view = new DataView(blocks.buffer);
  view.setUint32(blocks.length - 8, Math.floor(message.length / 0x20000000));
  view.setUint32(blocks.length - 4, (message.length * 8) >>> 0);
  const state = Uint32Array.of(
    0x6a09e667,
    0xbb67ae85,
    0x3c6ef372,
    0xa54ff53a,
    0x510e527f,
    0x9b05688c,
    0x1f83d9ab,
    0x5be0cd19,
  );
  const w = new Uint32Array(64);
  for (let offset = 0; offset < blocks.length; offset += 64) {
    for (let i = 0; i < 16; i++) w[i] = view.getUint32(offset + i * 4);
    for (let i = 16; i < 64; i++) {
      const a = w[i - 15] ?? 0;
      const b = w[i - 2] ?? 0;
      const s0 = rotr(a, 7) ^ rotr(a, 18) ^ (a >>> 3);
      const s1 = rotr(b, 17) ^ rotr(b, 19) ^ (b >>> 10);
      w[i] = (w[i - 16] ?? 0) + s0 + (w[i - 7] ?? 0) + s1;
    }
    let [a, b, c, d, e, f, g, h] = Array.from(state) as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    for (let i = 0; i < 64; i++) {
      const t1 =
        h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + (K[i] ?? 0) + (w[i] ?? 0);
      const t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c));
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, h].forEach((value, i) => {
      state[i] = (state[i] ?? 0) + value;
    });
  }
  const out = new Uint8Array(32);
  const outView = new DataView(out.buffer);
  state.forEach((value, i) => {
    outView.setUint32(i * 4, value);
  });
  return out;
}

/** HMAC-SHA-256 of `message` under `key`. */
export function hmacSha256(key: Uint8Array, message: Uint8Array): Uint8Array {
  const block = new Uint8Array(64);
  block.set(key.length > 64 ? sha256(key) : key);
  const inner = new Uint8Array(64 + message.length);
  const outer = new Uint8Array(64 + 32);
  for (let i = 0; i < 64; i++) {
    inner[i] = (block[i] ?? 0) ^ 0x36;
    outer[i] = (block[i] ?? 0) ^ 0x5c;
  }
  inner.set(message, 64);
  outer.set(sha256(inner), 64);
  return sha256(outer);
}
