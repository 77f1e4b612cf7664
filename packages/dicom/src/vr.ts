/**
 * Facts about Value Representations (PS3.5 6.2) that both the reader and the writer depend on.
 */

/** VRs whose explicit-VR header has two reserved bytes and a 4-byte length (PS3.5 7.1.2). */
const LONG_LENGTH_VRS: ReadonlySet<string> = new Set([
  'OB',
  'OD',
  'OF',
  'OL',
  'OV',
  'OW',
  'SQ',
  'SV',
  'UC',
  'UN',
  'UR',
  'UT',
  'UV',
]);

/** Character string VRs; all others are binary. */
const STRING_VRS: ReadonlySet<string> = new Set([
  'AE',
  'AS',
  'CS',
  'DA',
  'DS',
  'DT',
  'IS',
  'LO',
  'LT',
  'PN',
  'SH',
  'ST',
  'TM',
  'UC',
  'UI',
  'UR',
  'UT',
]);

/** String VRs whose characters follow Specific Character Set; the rest use the default repertoire only. */
const CHARSET_VRS: ReadonlySet<string> = new Set(['LO', 'LT', 'PN', 'SH', 'ST', 'UC', 'UT']);

/** String VRs with value multiplicity 1, where a backslash is an ordinary character (PS3.5 6.2). */
const SINGLE_VALUED_TEXT_VRS: ReadonlySet<string> = new Set(['LT', 'ST', 'UR', 'UT']);

/** Binary VRs whose values are opaque byte streams rather than numbers, keyed to their word size. */
const BULK_VR_WORD_SIZE: ReadonlyMap<string, number> = new Map([
  ['OB', 1],
  ['UN', 1],
  ['OW', 2],
  ['OF', 4],
  ['OL', 4],
  ['OD', 8],
  ['OV', 8],
]);

/** Binary numeric VRs and the byte size of one value. */
const NUMBER_VR_SIZE: ReadonlyMap<string, number> = new Map([
  ['US', 2],
  ['SS', 2],
  ['UL', 4],
  ['SL', 4],
  ['FL', 4],
  ['FD', 8],
  ['SV', 8],
  ['UV', 8],
  ['AT', 4],
]);

/** Whether an explicit-VR element of this VR carries a 4-byte length. */
export function hasLongLength(vr: string): boolean {
  return LONG_LENGTH_VRS.has(vr);
}

/** Whether values of this VR are character strings. */
export function isStringVr(vr: string): boolean {
  return STRING_VRS.has(vr);
}

/** Whether this VR's text is encoded with Specific Character Set (the others are default repertoire). */
export function usesCharset(vr: string): boolean {
  return CHARSET_VRS.has(vr);
}

/** Whether this string VR holds a single value, so backslash must not split it. */
export function isSingleValuedText(vr: string): boolean {
  return SINGLE_VALUED_TEXT_VRS.has(vr);
}

/** Word size of a bulk binary VR (OB, OW, ...), or undefined when the VR is not bulk binary. */
export function bulkWordSize(vr: string): number | undefined {
  return BULK_VR_WORD_SIZE.get(vr);
}

/** Byte size of one value of a binary numeric VR (US, FD, AT, ...), or undefined. */
export function numberSize(vr: string): number | undefined {
  return NUMBER_VR_SIZE.get(vr);
}

/** Byte that pads a value to even length: NUL for UI and binary VRs, space for other strings (PS3.5 6.2). */
export function paddingByte(vr: string): number {
  return vr === 'UI' || !STRING_VRS.has(vr) ? 0x00 : 0x20;
}
