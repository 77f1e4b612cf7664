/**
 * Identifies files written by this gateway (PS3.7 D.3.3.2). A UUID-derived UID (PS3.5 B.2) because the project
 * has no registered root; it must never change, so it is a constant rather than generated at start-up.
 */
export const IMPLEMENTATION_CLASS_UID = '2.25.219475404865617556569129999418089403225';

/** The implementation version name written beside the class UID: at most 16 characters. */
export const IMPLEMENTATION_VERSION_NAME = 'TELEMED_GW_1';

/** What the File Meta Information of one received instance records. */
export interface FileMeta {
  sopClassUid: string;
  sopInstanceUid: string;
  /** The transfer syntax the data set that follows is actually encoded in. */
  transferSyntaxUid: string;
  /** The calling AE title of the association the instance came in on. */
  sourceAeTitle: string;
}

type Vr = 'UL' | 'OB' | 'UI' | 'SH' | 'AE';

/**
 * The 128-byte preamble, `DICM` and the File Meta group (PS3.10 7.1), encoded in Explicit VR Little Endian as the
 * standard requires. Received data set bytes appended unchanged make a valid Part 10 file, which is how the
 * gateway avoids decoding and re-encoding what a modality sent.
 */
export function encodeFileMetaHeader(meta: FileMeta): Buffer {
  const elements = Buffer.concat([
    element(0x0001, 'OB', Buffer.from([0x00, 0x01])),
    element(0x0002, 'UI', text(meta.sopClassUid, 0)),
    element(0x0003, 'UI', text(meta.sopInstanceUid, 0)),
    element(0x0010, 'UI', text(meta.transferSyntaxUid, 0)),
    element(0x0012, 'UI', text(IMPLEMENTATION_CLASS_UID, 0)),
    element(0x0013, 'SH', text(IMPLEMENTATION_VERSION_NAME, 0x20)),
    ...(meta.sourceAeTitle.trim() ? [element(0x0016, 'AE', text(meta.sourceAeTitle.trim(), 0x20))] : []),
  ]);
  const groupLength = Buffer.alloc(4);
  groupLength.writeUInt32LE(elements.length);
  return Buffer.concat([
    Buffer.alloc(128),
    Buffer.from('DICM', 'ascii'),
    element(0x0000, 'UL', groupLength),
    elements,
  ]);
}

// Values have even length (PS3.5 7.1.1): UIDs pad with NUL, text with a space.
function text(value: string, pad: number): Buffer {
  const bytes = Buffer.from(value, 'ascii');
  return bytes.length % 2 === 0 ? bytes : Buffer.concat([bytes, Buffer.from([pad])]);
}

function element(elementNumber: number, vr: Vr, value: Buffer): Buffer {
  // OB has a reserved field and a 32-bit length; the other VRs used here have a 16-bit length (PS3.5 7.1.2).
  const longForm = vr === 'OB';
  const header = Buffer.alloc(longForm ? 12 : 8);
  header.writeUInt16LE(0x0002, 0);
  header.writeUInt16LE(elementNumber, 2);
  header.write(vr, 4, 'ascii');
  if (longForm) header.writeUInt32LE(value.length, 8);
  else header.writeUInt16LE(value.length, 6);
  return Buffer.concat([header, value]);
}
