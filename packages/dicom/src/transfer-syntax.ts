/**
 * Transfer syntaxes (PS3.5 10, PS3.6 Table A-1) this package reads and writes. Compressed syntaxes keep their pixel
 * data encapsulated: the archive stores and serves frames as they arrived and never decodes them.
 */

/** How the dataset after the File Meta group is encoded. */
export interface TransferSyntax {
  uid: string;
  name: string;
  explicitVr: boolean;
  littleEndian: boolean;
  deflated: boolean;
  encapsulated: boolean;
}

/** Well-known transfer syntax UIDs. */
export const TransferSyntaxUid = {
  ImplicitVRLittleEndian: '1.2.840.10008.1.2',
  ExplicitVRLittleEndian: '1.2.840.10008.1.2.1',
  EncapsulatedUncompressedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.98',
  DeflatedExplicitVRLittleEndian: '1.2.840.10008.1.2.1.99',
  ExplicitVRBigEndian: '1.2.840.10008.1.2.2',
  JPEGBaseline8Bit: '1.2.840.10008.1.2.4.50',
  JPEGLossless: '1.2.840.10008.1.2.4.70',
  JPEGLSLossless: '1.2.840.10008.1.2.4.80',
  JPEG2000Lossless: '1.2.840.10008.1.2.4.90',
  JPEG2000: '1.2.840.10008.1.2.4.91',
  RLELossless: '1.2.840.10008.1.2.5',
} as const;

const NATIVE: readonly [string, string, boolean, boolean, boolean][] = [
  [TransferSyntaxUid.ImplicitVRLittleEndian, 'Implicit VR Little Endian', false, true, false],
  [TransferSyntaxUid.ExplicitVRLittleEndian, 'Explicit VR Little Endian', true, true, false],
  [TransferSyntaxUid.DeflatedExplicitVRLittleEndian, 'Deflated Explicit VR Little Endian', true, true, true],
  [TransferSyntaxUid.ExplicitVRBigEndian, 'Explicit VR Big Endian (retired)', true, false, false],
];

const ENCAPSULATED: readonly [string, string][] = [
  [TransferSyntaxUid.EncapsulatedUncompressedExplicitVRLittleEndian, 'Encapsulated Uncompressed'],
  [TransferSyntaxUid.JPEGBaseline8Bit, 'JPEG Baseline'],
  ['1.2.840.10008.1.2.4.51', 'JPEG Extended'],
  ['1.2.840.10008.1.2.4.57', 'JPEG Lossless'],
  [TransferSyntaxUid.JPEGLossless, 'JPEG Lossless SV1'],
  [TransferSyntaxUid.JPEGLSLossless, 'JPEG-LS Lossless'],
  ['1.2.840.10008.1.2.4.81', 'JPEG-LS Near-Lossless'],
  [TransferSyntaxUid.JPEG2000Lossless, 'JPEG 2000 Lossless'],
  [TransferSyntaxUid.JPEG2000, 'JPEG 2000'],
  ['1.2.840.10008.1.2.4.92', 'JPEG 2000 Multi-component Lossless'],
  ['1.2.840.10008.1.2.4.93', 'JPEG 2000 Multi-component'],
  ['1.2.840.10008.1.2.4.201', 'HTJ2K Lossless'],
  ['1.2.840.10008.1.2.4.202', 'HTJ2K Lossless RPCL'],
  ['1.2.840.10008.1.2.4.203', 'HTJ2K'],
  [TransferSyntaxUid.RLELossless, 'RLE Lossless'],
];

const KNOWN: ReadonlyMap<string, TransferSyntax> = new Map([
  ...NATIVE.map(([uid, name, explicitVr, littleEndian, deflated]): [string, TransferSyntax] => [
    uid,
    { uid, name, explicitVr, littleEndian, deflated, encapsulated: false },
  ]),
  ...ENCAPSULATED.map(([uid, name]): [string, TransferSyntax] => [
    uid,
    { uid, name, explicitVr: true, littleEndian: true, deflated: false, encapsulated: true },
  ]),
]);

/** The transfer syntax with this UID, or undefined when this package cannot read it. */
export function transferSyntax(uid: string): TransferSyntax | undefined {
  return KNOWN.get(uid);
}

/** Names of every supported transfer syntax, for messages that tell a sender what to use instead. */
export function supportedTransferSyntaxNames(): string[] {
  return [...KNOWN.values()].map((ts) => ts.name);
}
