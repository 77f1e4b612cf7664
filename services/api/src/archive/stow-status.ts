/** Failure reasons of a STOW-RS response item (PS3.18 Table 10.5.3-3, PS3.4 storage statuses). */
export const FAILURE = {
  processingFailure: 0x0110,
  duplicateInstance: 0x0111,
  sopClassNotSupported: 0x0122,
  outOfResources: 0xa700,
  doesNotMatchSopClass: 0xa900,
  cannotUnderstand: 0xc000,
  transferSyntaxNotSupported: 0xc122,
  studyUidMismatch: 0xc409,
} as const;

/** The outcome of one part of a STOW-RS request. */
export type StowItem =
  | { ok: true; sopClassUid: string; sopInstanceUid: string; studyInstanceUid: string; duplicate: boolean }
  | {
      ok: false;
      sopClassUid: string | null;
      sopInstanceUid: string | null;
      failureReason: number;
      /** What is wrong with this part, for a person reading the response. */
      message: string;
    };
