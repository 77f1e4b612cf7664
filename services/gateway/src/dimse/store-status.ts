import type { StoreFailureReason } from '../spool/incoming-instance.js';

/** C-STORE response statuses the gateway answers with (PS3.4 B.2.3). */
export const StoreStatus = {
  Success: 0x0000,
  /** Refused: out of resources. The modality keeps the instance and may retry. */
  OutOfResources: 0xa700,
  /** Error: the data set does not match the SOP class. */
  DataSetDoesNotMatchSopClass: 0xa900,
  /** Error: cannot understand. */
  CannotUnderstand: 0xc000,
} as const;

/** The C-STORE status for an instance the spool refused. */
export function storeStatusFor(reason: StoreFailureReason): number {
  switch (reason) {
    case 'out-of-resources':
      return StoreStatus.OutOfResources;
    case 'sop-class-mismatch':
      return StoreStatus.DataSetDoesNotMatchSopClass;
    case 'unreadable':
      return StoreStatus.CannotUnderstand;
  }
}
