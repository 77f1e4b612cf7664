import type { SpooledInstance } from '../spool/spooled-instance.js';

/**
 * The next STOW-RS request's instances: the study of the oldest waiting instance, in the order received, up to
 * `maxBytes` of files (always at least one, so an instance larger than the limit still goes, alone). Instances
 * of one study travel together because the api treats a request as one arrival of that study. A second copy of
 * an instance already in the batch waits for the next one, so the api's answer names each instance once.
 */
export function nextBatch(
  pending: readonly SpooledInstance[],
  maxBytes: number,
): SpooledInstance[] | undefined {
  const first = pending[0];
  if (!first) return undefined;
  const batch: SpooledInstance[] = [];
  const sopInstanceUids = new Set<string>();
  let bytes = 0;
  for (const instance of pending) {
    if (instance.studyInstanceUid !== first.studyInstanceUid) continue;
    if (sopInstanceUids.has(instance.sopInstanceUid)) continue;
    if (batch.length > 0 && bytes + instance.size > maxBytes) break;
    batch.push(instance);
    sopInstanceUids.add(instance.sopInstanceUid);
    bytes += instance.size;
  }
  return batch;
}
