/**
 * UIDs (PS3.5 9): dotted decimal, at most 64 characters.
 */

/** Root under which this platform creates UIDs (implementation class, generated studies). */
export const UID_ROOT = '1.2.826.0.1.3680043.10.1207';

/** Implementation Class UID written into the File Meta group of every file this package writes. */
export const IMPLEMENTATION_CLASS_UID = `${UID_ROOT}.1.1`;

/** Implementation Version Name (SH, at most 16 characters) paired with IMPLEMENTATION_CLASS_UID. */
export const IMPLEMENTATION_VERSION_NAME = 'TELEMED_DICOM_1';

const UID_PATTERN = /^[0-9]+(\.[0-9]+)*$/;

/** Whether a string is a syntactically valid UID. */
export function isValidUid(uid: string): boolean {
  return uid.length <= 64 && UID_PATTERN.test(uid);
}
