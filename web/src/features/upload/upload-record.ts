/**
 * What this browser remembers of an upload, so it continues after a reload or a closed tab: the study it sends, its
 * batches (staged in the origin's private file system), each batch's tus URL and whether it is done. Kept in
 * localStorage: a few hundred batches of a 1.5 GB study are a few tens of KB.
 */

/** One series as the technician saw it in the plan, for per-series progress. */
export interface RecordedSeries {
  seriesInstanceUid: string;
  seriesNumber: string;
  description: string;
  modality: string;
  images: number;
}

/** One batch: a multipart/related body staged on disk, sent as one tus upload. */
export interface RecordedBatch {
  name: string;
  bytes: number;
  contentType: string;
  /** images of each series (by the plan's series UID) in this batch */
  perSeries: Record<string, number>;
  /** the tus upload's URL once created: a resumed batch continues from the offset the server reports */
  url: string | null;
  done: boolean;
}

/** The patient and study the upload is for, as the case form wants them. */
export interface RecordedStudy {
  /** the study's UID as sent (a new one when de-identified) */
  studyInstanceUid: string;
  accessionNumber: string;
  description: string;
  modality: string;
  bodyPart: string;
  patientName: string;
  patientId: string;
  patientSex: string;
  patientBirthDate: string;
}

/** One upload, from staging to sent. */
export interface UploadRecord {
  id: string;
  /** whose upload it is: another person signing in on this computer does not see it */
  userId: string;
  createdAt: string;
  /** staging: batches are being written (the dropped files are needed); sending; done */
  phase: 'staging' | 'sending' | 'done';
  deidentified: boolean;
  study: RecordedStudy;
  series: RecordedSeries[];
  batches: RecordedBatch[];
  images: number;
  /** instances the archive stored, and why any it refused were refused */
  stored: number;
  failures: string[];
}

const KEY = 'telemed.upload';

/** The upload this person left unfinished (or finished but not yet turned into a case) on this computer. */
export function loadRecord(userId: string): UploadRecord | null {
  const raw = localStorage.getItem(KEY);
  if (!raw) return null;
  try {
    const record = JSON.parse(raw) as UploadRecord;
    return record.userId === userId ? record : null;
  } catch {
    return null;
  }
}

/** Remembers the upload's state; called after every step so a reload loses at most the bytes in flight. */
export function saveRecord(record: UploadRecord): void {
  localStorage.setItem(KEY, JSON.stringify(record));
}

/** Forgets the upload (sent and dealt with, or given up). */
export function forgetRecord(): void {
  localStorage.removeItem(KEY);
}

/** Bytes of the batches, and of those already sent. */
export function recordBytes(record: UploadRecord): { total: number; sent: number } {
  let total = 0;
  let sent = 0;
  for (const b of record.batches) {
    total += b.bytes;
    if (b.done) sent += b.bytes;
  }
  return { total, sent };
}

/**
 * Images of each series sent so far: those of the batches done, and the share of the batch in flight that its bytes
 * sent so far stand for.
 */
export function seriesSent(record: UploadRecord, inFlightBytes = 0): Record<string, number> {
  const out: Record<string, number> = {};
  const current = record.batches.find((b) => !b.done);
  for (const b of record.batches) {
    const share = b.done ? 1 : b === current && b.bytes > 0 ? Math.min(1, inFlightBytes / b.bytes) : 0;
    for (const [uid, n] of Object.entries(b.perSeries)) out[uid] = (out[uid] ?? 0) + Math.floor(n * share);
  }
  return out;
}
