import { deidentifyPart10, type DeidentifiedInstance } from '@telemed/dicom';

/** What a de-identified upload is sent under: its secret key and the pseudonym that stands for the patient. */
export interface Pseudonymisation {
  /** keys the replacement UIDs: one key for a whole upload keeps every UID of the study consistent across its files */
  key: string;
  /** written as Patient's Name and Patient ID */
  pseudonym: string;
}

/** A fresh key and pseudonym for one upload: random, kept only in this browser until the upload is done. */
export function newPseudonymisation(): Pseudonymisation {
  const bytes = new Uint8Array(24);
  crypto.getRandomValues(bytes);
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  return { key: hex, pseudonym: `ANON-${hex.slice(0, 8).toUpperCase()}` };
}

/**
 * De-identifies one Part 10 file before it leaves the hospital, by the DICOM PS3.15 Basic Application Level
 * Confidentiality Profile (every attribute of Table E.1-1: names, IDs, birth date, address, telephone numbers, other
 * patient IDs, the institution's staff names...; private attributes removed), with the patient's name and ID replaced
 * by the pseudonym and every UID replaced by one derived from the upload's key, so the files of one study still
 * name one study, its series and each other. Pixel data passes unchanged.
 */
export function deidentifyForUpload(bytes: Uint8Array, p: Pseudonymisation): DeidentifiedInstance {
  return deidentifyPart10(bytes, { key: p.key, patientName: p.pseudonym, patientId: p.pseudonym });
}
