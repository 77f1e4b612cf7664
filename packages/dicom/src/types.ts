/** One attribute in the DICOM JSON model (PS3.18 F.2). */
export interface DicomJsonAttribute {
  vr: string;
  Value?: unknown[];
  BulkDataURI?: string;
  InlineBinary?: string;
}

/** A PN value in the DICOM JSON model (PS3.18 F.2.2): component groups, each with '^'-separated components. */
export interface PersonNameJson {
  Alphabetic?: string;
  Ideographic?: string;
  Phonetic?: string;
}

/** A dataset in the DICOM JSON model: attributes keyed by 8-hex-digit upper-case tag, e.g. "0020000D". */
export type DicomJson = Record<string, DicomJsonAttribute>;

/** A run of bytes inside a Part 10 file. */
export interface ByteRange {
  offset: number;
  length: number;
}

/**
 * Where one frame's bytes sit inside the Part 10 file. Usually one contiguous range. When an encapsulated frame is
 * split over several fragments, `fragments` lists them in order and the frame is their concatenation; `offset` is
 * then the first fragment's and `length` the frame's total size. `frameBytes()` reads either form.
 */
export interface FrameRange extends ByteRange {
  fragments?: ByteRange[];
}

/** What the archive needs from one Part 10 instance, read once at ingestion. */
export interface ParsedInstance {
  transferSyntaxUid: string;
  sopClassUid: string;
  sopInstanceUid: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  /**
   * The dataset (without the File Meta group) as DICOM JSON with text decoded by its Specific Character Set.
   * Pixel Data and other large binary values are left out of `Value` and carry `BulkDataURI: ''` (the archive fills in
   * the URI it serves them at).
   */
  json: DicomJson;
  /** Byte ranges of each frame inside the file: native pixel data by arithmetic, encapsulated by fragments. */
  frames: FrameRange[];
  /** Whether pixel data is encapsulated (compressed transfer syntax). */
  encapsulated: boolean;
  /**
   * Only for Deflated Explicit VR Little Endian: the inflated dataset (without preamble and File Meta). `frames` index
   * into these bytes, since the file itself holds only the compressed stream.
   */
  inflated?: Uint8Array;
}

/** Why a byte sequence is not an instance we can store; each says what is wrong. */
export type DicomErrorReason =
  | 'not_dicom'
  | 'truncated'
  | 'bad_length'
  | 'missing_attribute'
  | 'invalid_uid'
  | 'unsupported_transfer_syntax'
  | 'too_large'
  /** The byte structure is inconsistent (e.g. a sequence item without its item tag). */
  | 'malformed'
  /** Pixel Data does not match Rows, Columns, Bits Allocated and Number of Frames, or its frames cannot be found. */
  | 'bad_pixel_data';

/** A Part 10 file that cannot be accepted, with a message a sender can act on. */
export class DicomError extends Error {
  readonly reason: DicomErrorReason;

  constructor(reason: DicomErrorReason, message: string) {
    super(message);
    this.name = 'DicomError';
    this.reason = reason;
  }
}
