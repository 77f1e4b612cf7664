/** The Verification SOP Class (C-ECHO). */
export const VERIFICATION_SOP_CLASS = '1.2.840.10008.1.1';

/** Implicit VR Little Endian, the default transfer syntax every SCP must accept. */
export const IMPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2';

/** Explicit VR Little Endian, the encoding of every File Meta group. */
export const EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1';

/** Deflated Explicit VR Little Endian: the data set after the File Meta group is raw deflate. */
export const DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN = '1.2.840.10008.1.2.1.99';

/**
 * Transfer syntaxes the gateway accepts for storage. It stores what the modality sends byte for byte and never
 * transcodes, so accepting a compressed syntax costs nothing here; the viewer and the api decode it later.
 * Explicit VR Big Endian is retired (PS3.5 A.3) and left out on purpose: modalities also propose a little-endian
 * syntax, and refusing it keeps the archive free of byte-swapped data.
 */
export const ACCEPTED_STORAGE_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  IMPLICIT_VR_LITTLE_ENDIAN,
  EXPLICIT_VR_LITTLE_ENDIAN,
  DEFLATED_EXPLICIT_VR_LITTLE_ENDIAN,
  '1.2.840.10008.1.2.5', // RLE Lossless
  '1.2.840.10008.1.2.4.50', // JPEG Baseline (Process 1)
  '1.2.840.10008.1.2.4.51', // JPEG Extended (Process 2 & 4)
  '1.2.840.10008.1.2.4.57', // JPEG Lossless, Non-Hierarchical (Process 14)
  '1.2.840.10008.1.2.4.70', // JPEG Lossless, First-Order Prediction (Process 14, SV1)
  '1.2.840.10008.1.2.4.80', // JPEG-LS Lossless
  '1.2.840.10008.1.2.4.81', // JPEG-LS Near-Lossless
  '1.2.840.10008.1.2.4.90', // JPEG 2000 Lossless Only
  '1.2.840.10008.1.2.4.91', // JPEG 2000
  '1.2.840.10008.1.2.4.100', // MPEG2 Main Profile / Main Level
  '1.2.840.10008.1.2.4.101', // MPEG2 Main Profile / High Level
  '1.2.840.10008.1.2.4.102', // MPEG-4 AVC/H.264 High Profile / Level 4.1
  '1.2.840.10008.1.2.4.103', // MPEG-4 AVC/H.264 BD-compatible High Profile / Level 4.1
  '1.2.840.10008.1.2.4.104', // MPEG-4 AVC/H.264 High Profile / Level 4.2 for 2D Video
  '1.2.840.10008.1.2.4.105', // MPEG-4 AVC/H.264 High Profile / Level 4.2 for 3D Video
  '1.2.840.10008.1.2.4.106', // MPEG-4 AVC/H.264 Stereo High Profile / Level 4.2
  '1.2.840.10008.1.2.4.107', // HEVC/H.265 Main Profile / Level 5.1
  '1.2.840.10008.1.2.4.108', // HEVC/H.265 Main 10 Profile / Level 5.1
  '1.2.840.10008.1.2.4.110', // JPEG XL Lossless
  '1.2.840.10008.1.2.4.111', // JPEG XL JPEG Recompression
  '1.2.840.10008.1.2.4.112', // JPEG XL
  '1.2.840.10008.1.2.4.201', // High-Throughput JPEG 2000 Lossless Only
  '1.2.840.10008.1.2.4.202', // High-Throughput JPEG 2000 with RPCL Options Lossless Only
  '1.2.840.10008.1.2.4.203', // High-Throughput JPEG 2000
]);

// PS3.4 Annex B: the standard storage SOP classes are all registered under this arc (CT, MR, CR, DX, US, SC,
// SR, PET, segmentation, RT images ...). Matching the arc rather than a list accepts classes added to the
// standard after this was written.
const STORAGE_SOP_CLASS_ARC = '1.2.840.10008.5.1.4.1.1.';

/** Whether a SOP class is one of the standard storage classes the gateway accepts with C-STORE. */
export function isStorageSopClass(uid: string): boolean {
  return uid.startsWith(STORAGE_SOP_CLASS_ARC) && uid.length > STORAGE_SOP_CLASS_ARC.length;
}

/**
 * Whether a string has the shape of a UID (PS3.5 9.1): numbers separated by dots, at most 64 characters.
 * Leading zeros inside a component are tolerated because some modalities emit them and the archive can still
 * index such an instance; anything else cannot be a UID and cannot name a spool file either.
 */
export function isUidShaped(uid: string): boolean {
  return uid.length > 0 && uid.length <= 64 && /^[0-9]+(\.[0-9]+)*$/.test(uid);
}
