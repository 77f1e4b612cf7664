import { isStorageSopClass, SopClassUid, TransferSyntaxUid } from '@telemed/dicom';
import { ACCEPTED_STORAGE_TRANSFER_SYNTAXES } from './storage-syntaxes.js';

/** Who may associate with the gateway. */
export interface AssociationPolicy {
  /** The gateway's own AE title; associations called to any other are rejected. */
  aeTitle: string;
  /** Calling AE titles allowed; empty allows any. */
  allowedCallingAes: readonly string[];
}

/** Why an association request is refused (PS3.8 9.3.4, source: service user). */
export type AssociationRefusal = 'called-ae-not-recognized' | 'calling-ae-not-recognized';

/** Checks the AE titles of an association request; undefined when it may go ahead. */
export function refuseAssociation(
  calledAeTitle: string,
  callingAeTitle: string,
  policy: AssociationPolicy,
): AssociationRefusal | undefined {
  // AE titles are compared without their space padding (PS3.5 6.2: leading and trailing spaces are insignificant).
  if (calledAeTitle.trim() !== policy.aeTitle.trim()) return 'called-ae-not-recognized';
  if (policy.allowedCallingAes.length && !policy.allowedCallingAes.includes(callingAeTitle.trim()))
    return 'calling-ae-not-recognized';
  return undefined;
}

/** The answer to one proposed presentation context. */
export type ContextDecision =
  | { result: 'accept'; transferSyntaxUid: string }
  | { result: 'abstract-syntax-not-supported' }
  | { result: 'transfer-syntaxes-not-supported' };

const VERIFICATION_TRANSFER_SYNTAXES: ReadonlySet<string> = new Set([
  TransferSyntaxUid.ImplicitVRLittleEndian,
  TransferSyntaxUid.ExplicitVRLittleEndian,
]);

/**
 * Decides one presentation context: Verification and the standard storage SOP classes are accepted, each with
 * the first transfer syntax in the modality's own order of preference that the gateway takes. Keeping the
 * modality's choice means the bytes that reach the archive are the ones it chose to send, compressed or not.
 */
export function decidePresentationContext(
  abstractSyntaxUid: string,
  proposedTransferSyntaxes: readonly string[],
): ContextDecision {
  const acceptable =
    abstractSyntaxUid === SopClassUid.Verification
      ? VERIFICATION_TRANSFER_SYNTAXES
      : isStorageSopClass(abstractSyntaxUid)
        ? ACCEPTED_STORAGE_TRANSFER_SYNTAXES
        : undefined;
  if (!acceptable) return { result: 'abstract-syntax-not-supported' };
  const chosen = proposedTransferSyntaxes.find((uid) => acceptable.has(uid.trim()));
  return chosen === undefined
    ? { result: 'transfer-syntaxes-not-supported' }
    : { result: 'accept', transferSyntaxUid: chosen.trim() };
}
