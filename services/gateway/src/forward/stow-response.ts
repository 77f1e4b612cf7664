/** What a STOW-RS response body (PS3.18 10.5.3, DICOM JSON) says about each instance. */
export interface StowReport {
  /** SOP Instance UIDs in ReferencedSOPSequence (0008,1199): stored. */
  stored: Set<string>;
  /** SOP Instance UIDs in FailedSOPSequence (0008,1198) with their FailureReason (0008,1197), if given. */
  failed: Map<string, number | undefined>;
}

const REFERENCED_SOP_SEQUENCE = '00081199';
const FAILED_SOP_SEQUENCE = '00081198';
const REFERENCED_SOP_INSTANCE_UID = '00081155';
const FAILURE_REASON = '00081197';

/**
 * Reads the stored and failed instances out of a STOW-RS response in DICOM JSON (PS3.18 F.2). Anything that is
 * not that shape yields an empty report, which leaves every instance unaccounted for and so retried.
 */
export function parseStowReport(body: unknown): StowReport {
  const report: StowReport = { stored: new Set(), failed: new Map() };
  // A response for one request is an object; some servers wrap it in a one-element array.
  const dataset = Array.isArray(body) ? (body[0] as unknown) : body;
  if (!isObject(dataset)) return report;
  for (const item of sequenceItems(dataset, REFERENCED_SOP_SEQUENCE)) {
    const uid = firstString(item, REFERENCED_SOP_INSTANCE_UID);
    if (uid) report.stored.add(uid);
  }
  for (const item of sequenceItems(dataset, FAILED_SOP_SEQUENCE)) {
    const uid = firstString(item, REFERENCED_SOP_INSTANCE_UID);
    if (uid) report.failed.set(uid, firstNumber(item, FAILURE_REASON));
  }
  return report;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// DICOM JSON keys are eight upper-case hex digits; lower case is tolerated since it costs nothing.
function attribute(dataset: Record<string, unknown>, tag: string): unknown[] {
  const element = dataset[tag] ?? dataset[tag.toLowerCase()];
  if (!isObject(element)) return [];
  const value = element.Value;
  return Array.isArray(value) ? value : [];
}

function sequenceItems(dataset: Record<string, unknown>, tag: string): Record<string, unknown>[] {
  return attribute(dataset, tag).filter(isObject);
}

function firstString(dataset: Record<string, unknown>, tag: string): string | undefined {
  const [value] = attribute(dataset, tag);
  return typeof value === 'string' ? value.trim() : undefined;
}

function firstNumber(dataset: Record<string, unknown>, tag: string): number | undefined {
  const [value] = attribute(dataset, tag);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  // Some servers write US values as strings.
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}
