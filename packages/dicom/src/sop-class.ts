/**
 * SOP classes (PS3.4) that decide what a DIMSE peer accepts.
 */

/** SOP class UIDs named in code. */
export const SopClassUid = {
  /** C-ECHO (PS3.4 Annex A). */
  Verification: '1.2.840.10008.1.1',
  CTImageStorage: '1.2.840.10008.5.1.4.1.1.2',
  MRImageStorage: '1.2.840.10008.5.1.4.1.1.4',
} as const;

/** The Media Storage SOP Class of a DICOMDIR: an index of files, not an image to send. */
export const MEDIA_STORAGE_DIRECTORY = '1.2.840.10008.1.3.10';

// PS3.4 Annex B: the standard storage SOP classes are all registered under this arc (CT, MR, CR, DX, US, SC,
// SR, PET, segmentation, RT images ...). Matching the arc rather than a list accepts classes added to the
// standard after this was written.
const STORAGE_SOP_CLASS_ARC = '1.2.840.10008.5.1.4.1.1.';

/** Whether a SOP class is one of the standard storage classes (PS3.4 Annex B). */
export function isStorageSopClass(uid: string): boolean {
  return uid.startsWith(STORAGE_SOP_CLASS_ARC) && uid.length > STORAGE_SOP_CLASS_ARC.length;
}
