import { TransferSyntaxUid } from '@telemed/dicom';

/**
 * Transfer syntaxes the gateway accepts for storage. It stores what the modality sends byte for byte and never
 * transcodes, so accepting a compressed syntax costs nothing here; the viewer and the api decode it later.
 * Explicit VR Big Endian is retired (PS3.5 A.3) and left out on purpose: modalities also propose a little-endian
 * syntax, and refusing it keeps the archive free of byte-swapped data.
 */
export const ACCEPTED_STORAGE_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  TransferSyntaxUid.ImplicitVRLittleEndian,
  TransferSyntaxUid.ExplicitVRLittleEndian,
  TransferSyntaxUid.DeflatedExplicitVRLittleEndian,
  TransferSyntaxUid.RLELossless,
  TransferSyntaxUid.JPEGBaseline8Bit,
  '1.2.840.10008.1.2.4.51', // JPEG Extended (Process 2 & 4)
  '1.2.840.10008.1.2.4.57', // JPEG Lossless, Non-Hierarchical (Process 14)
  TransferSyntaxUid.JPEGLossless,
  TransferSyntaxUid.JPEGLSLossless,
  '1.2.840.10008.1.2.4.81', // JPEG-LS Near-Lossless
  TransferSyntaxUid.JPEG2000Lossless,
  TransferSyntaxUid.JPEG2000,
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
