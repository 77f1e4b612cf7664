import { part10Header, SopClassUid, TransferSyntaxUid } from '@telemed/dicom';

/** UIDs of a made-up instance. */
export interface SyntheticInstance {
  sopClassUid?: string;
  sopInstanceUid: string;
  studyInstanceUid?: string;
  /** Bytes of made-up pixel data, to give the file a size. */
  pixelBytes?: number;
}

/** A small Explicit VR Little Endian data set (no File Meta) with the identifying attributes. */
export function syntheticDataSet(instance: SyntheticInstance): Buffer {
  const parts = [
    shortElement(0x0008, 0x0016, 'UI', uid(instance.sopClassUid ?? SopClassUid.CTImageStorage)),
    shortElement(0x0008, 0x0018, 'UI', uid(instance.sopInstanceUid)),
    shortElement(0x0008, 0x0060, 'CS', text('CT')),
    shortElement(0x0010, 0x0010, 'PN', text('TEST^PATIENT')),
    ...(instance.studyInstanceUid === undefined
      ? []
      : [shortElement(0x0020, 0x000d, 'UI', uid(instance.studyInstanceUid))]),
    shortElement(0x0020, 0x000e, 'UI', uid(`${instance.studyInstanceUid ?? '1.2.3'}.1`)),
  ];
  const pixels = Buffer.alloc(instance.pixelBytes ?? 64, 0x5a);
  const pixelHeader = Buffer.alloc(12);
  pixelHeader.writeUInt16LE(0x7fe0, 0);
  pixelHeader.writeUInt16LE(0x0010, 2);
  pixelHeader.write('OW', 4, 'ascii');
  pixelHeader.writeUInt32LE(pixels.length, 8);
  return Buffer.concat([...parts, pixelHeader, pixels]);
}

/** A whole Part 10 file around `syntheticDataSet`. */
export function syntheticPart10(instance: SyntheticInstance): Buffer {
  return Buffer.concat([
    part10Header({
      sopClassUid: instance.sopClassUid ?? SopClassUid.CTImageStorage,
      sopInstanceUid: instance.sopInstanceUid,
      transferSyntaxUid: TransferSyntaxUid.ExplicitVRLittleEndian,
      sourceApplicationEntityTitle: 'TEST',
    }),
    syntheticDataSet(instance),
  ]);
}

function uid(value: string): Buffer {
  const bytes = Buffer.from(value, 'ascii');
  return bytes.length % 2 ? Buffer.concat([bytes, Buffer.from([0])]) : bytes;
}

function text(value: string): Buffer {
  return Buffer.from(value.length % 2 ? `${value} ` : value, 'ascii');
}

function shortElement(group: number, element: number, vr: string, value: Buffer): Buffer {
  const header = Buffer.alloc(8);
  header.writeUInt16LE(group, 0);
  header.writeUInt16LE(element, 2);
  header.write(vr, 4, 'ascii');
  header.writeUInt16LE(value.length, 6);
  return Buffer.concat([header, value]);
}
