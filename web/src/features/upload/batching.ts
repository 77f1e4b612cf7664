import { closeDelimiter, partHead } from '@telemed/dicom';

/**
 * How files travel: a few MB of them in one STOW-RS multipart/related body, sent as one tus upload. On a satellite
 * link with 300 ms of latency, one tus upload per file (a POST, a PATCH, each a round trip or more) would spend most of
 * a 3,000-file study waiting; a batch of a few MB spends a fraction of a second per batch instead.
 */
export const BATCH_TARGET_BYTES = 4 * 1024 * 1024;

/** One file to batch: its place in the plan, its size, and the series it belongs to (for per-series progress). */
export interface BatchInput {
  index: number;
  size: number;
  seriesInstanceUid: string;
}

/** Which files go into one batch, and how many images of each series it carries. */
export interface BatchAssignment {
  files: number[];
  /** the files' own bytes, without the multipart framing */
  bytes: number;
  perSeries: Record<string, number>;
}

/**
 * Cuts the files, in order, into batches of about `target` bytes: a batch is closed before a file would take it past
 * the target, so a file larger than the target travels alone (a 300 MB multi-frame file is one batch of its own, and
 * tus resumes it from the byte where it stopped).
 */
export function assignBatches(files: readonly BatchInput[], target = BATCH_TARGET_BYTES): BatchAssignment[] {
  if (!(target > 0)) throw new RangeError('the batch target must be a positive number of bytes');
  const batches: BatchAssignment[] = [];
  let current: BatchAssignment | null = null;
  for (const file of files) {
    if (current && current.files.length > 0 && current.bytes + file.size > target) {
      batches.push(current);
      current = null;
    }
    current ??= { files: [], bytes: 0, perSeries: {} };
    current.files.push(file.index);
    current.bytes += file.size;
    current.perSeries[file.seriesInstanceUid] = (current.perSeries[file.seriesInstanceUid] ?? 0) + 1;
  }
  if (current) batches.push(current);
  return batches;
}

/** The Content-Type of a batch body, as the api's tus endpoint and STOW-RS take it. */
export function batchContentType(boundary: string): string {
  return `multipart/related; type="application/dicom"; boundary=${boundary}`;
}

/**
 * A batch body as a Blob made of parts: the multipart framing around each file's own Blob. Nothing is read: the
 * browser keeps Blob parts where they are (a dropped file stays on disk) until the body is written or sent.
 */
export function batchBody(files: readonly Blob[], boundary: string): Blob {
  const parts: BlobPart[] = [];
  for (const file of files) {
    parts.push(partHead(boundary, 'application/dicom') as Uint8Array<ArrayBuffer>, file);
  }
  parts.push(closeDelimiter(boundary) as Uint8Array<ArrayBuffer>);
  return new Blob(parts, { type: batchContentType(boundary) });
}
