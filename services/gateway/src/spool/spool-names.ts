import { randomBytes } from 'node:crypto';
import { isValidUid } from '@telemed/dicom';

/** What a spool file's name records, so that listing the queue never has to open a file. */
export interface SpoolName {
  studyInstanceUid: string;
  sopInstanceUid: string;
  /** When and in which order the instance was received; sorts as received. */
  receipt: string;
}

const EXTENSION = '.dcm';
const NAME_PATTERN = /^([0-9.]{1,64})_([0-9.]{1,64})_([0-9]{13}-[0-9]{6}-[0-9a-f]{8})\.dcm$/;
let sequence = 0;

/**
 * A fresh receipt: milliseconds, a per-process counter so instances in the same millisecond keep their order, and
 * randomness so two copies of one instance never share a name. Each copy is forwarded on its own; a later copy
 * of a re-sent instance must not overwrite one the forwarder may be reading.
 */
export function newReceipt(now: number = Date.now()): string {
  sequence = (sequence + 1) % 1_000_000;
  return `${String(now).padStart(13, '0')}-${String(sequence).padStart(6, '0')}-${randomBytes(4).toString('hex')}`;
}

/** The spool file name of an instance; its UIDs must be UID-shaped, which is checked before it gets here. */
export function spoolFileName(name: SpoolName): string {
  if (!isValidUid(name.studyInstanceUid) || !isValidUid(name.sopInstanceUid))
    throw new Error('spool names are made of UIDs only');
  return `${name.studyInstanceUid}_${name.sopInstanceUid}_${name.receipt}${EXTENSION}`;
}

/** Reads a spool file name back; undefined for any other file, which the forwarder leaves alone. */
export function parseSpoolFileName(fileName: string): SpoolName | undefined {
  const match = NAME_PATTERN.exec(fileName);
  if (!match) return undefined;
  const [, studyInstanceUid = '', sopInstanceUid = '', receipt = ''] = match;
  if (!isValidUid(studyInstanceUid) || !isValidUid(sopInstanceUid)) return undefined;
  return { studyInstanceUid, sopInstanceUid, receipt };
}
