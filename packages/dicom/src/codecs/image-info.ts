import type { DicomJson } from '../types.js';

/** What a decoder needs to know about the image besides its bytes (the Image Pixel module). */
export interface ImageInfo {
  rows: number;
  columns: number;
  samplesPerPixel: number;
  bitsAllocated: number;
  /** 0 unsigned, 1 two's complement */
  pixelRepresentation: number;
  /** 0 colour-by-pixel, 1 colour-by-plane; what the decoded bytes must follow */
  planarConfiguration: number;
}

/** The bytes of one uncompressed frame of this image. */
export function frameLength(info: ImageInfo): number {
  return Math.ceil((info.rows * info.columns * info.samplesPerPixel * info.bitsAllocated) / 8);
}

function numberAt(json: DicomJson, tag: string): number | undefined {
  const value = json[tag]?.Value?.[0];
  return typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : undefined;
}

/** The Image Pixel module of a dataset in the DICOM JSON model, or null when it has no Rows, Columns or Bits Allocated. */
export function imageInfoOf(json: DicomJson): ImageInfo | null {
  const rows = numberAt(json, '00280010');
  const columns = numberAt(json, '00280011');
  const bitsAllocated = numberAt(json, '00280100');
  if (!rows || !columns || !bitsAllocated) return null;
  return {
    rows,
    columns,
    bitsAllocated,
    samplesPerPixel: numberAt(json, '00280002') ?? 1,
    pixelRepresentation: numberAt(json, '00280103') ?? 0,
    planarConfiguration: numberAt(json, '00280006') ?? 0,
  };
}
