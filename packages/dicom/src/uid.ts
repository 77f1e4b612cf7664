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

/**
 * A new UID derived from a random UUID (PS3.5 B.2: '2.25.' and the UUID as one decimal number), for objects that
 * need a unique name and no meaning: a study made by a test or a benchmark, a secondary capture.
 */
export function randomUid(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  // RFC 9562 version 4 and variant bits, so the number is a well-formed random UUID.
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40;
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80;
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return `2.25.${value.toString()}`;
}
