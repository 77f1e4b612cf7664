import { DicomError, parsePart10, type ParsedInstance } from '@telemed/dicom';
import { inflateRawLimited } from '@telemed/dicom/node';
import type { Database, DicomJsonObject, InstanceToIndex, IndexOutcome } from '@telemed/db';
import type { BlobStore } from './blob-store.js';
import { int, pick, text } from './dicom-json-values.js';
import { SERIES_TAGS, STUDY_TAGS } from './dicom-levels.js';
import { FAILURE, type StowItem } from './stow-status.js';

/** What ingesting one instance needs to know beyond its bytes. */
export interface IngestContext {
  db: Database;
  store: BlobStore;
  hospitalId: string;
  /** POST /studies/{study}: every instance must belong to this study. */
  studyInstanceUid: string | null;
  maxInstanceBytes: number;
}

const DICOM_ERROR_STATUS: Record<DicomError['reason'], number> = {
  not_dicom: FAILURE.cannotUnderstand,
  truncated: FAILURE.cannotUnderstand,
  bad_length: FAILURE.cannotUnderstand,
  missing_attribute: FAILURE.doesNotMatchSopClass,
  invalid_uid: FAILURE.doesNotMatchSopClass,
  unsupported_transfer_syntax: FAILURE.transferSyntaxNotSupported,
  too_large: FAILURE.outOfResources,
  malformed: FAILURE.cannotUnderstand,
  bad_pixel_data: FAILURE.doesNotMatchSopClass,
};

/** What a sender reads when the index refuses an instance: what it collides with, and what to do. */
const CONFLICT_MESSAGE: Record<Extract<IndexOutcome, { kind: 'conflict' }>['with'], string> = {
  other_instance_bytes:
    'an instance with this SOP Instance UID is already stored with different content; the stored copy was kept. ' +
    'Send changed images with new SOP Instance UIDs',
  other_hospital_study: 'this Study Instance UID already belongs to a study of another hospital',
  other_study_series: 'this Series Instance UID already belongs to another study',
};

class IndexConflict extends Error {
  constructor(readonly outcome: Extract<IndexOutcome, { kind: 'conflict' }>) {
    super(CONFLICT_MESSAGE[outcome.with]);
  }
}

/** The index row for a parsed instance. */
export function toIndexRow(
  parsed: ParsedInstance,
  hospitalId: string,
  blobKey: string,
  size: number,
  framesBlobKey: string,
): InstanceToIndex {
  const json: DicomJsonObject = parsed.json;
  return {
    hospitalId,
    studyInstanceUid: parsed.studyInstanceUid,
    seriesInstanceUid: parsed.seriesInstanceUid,
    sopInstanceUid: parsed.sopInstanceUid,
    sopClassUid: parsed.sopClassUid,
    transferSyntaxUid: parsed.transferSyntaxUid,
    instanceNumber: int(json, '00200013'),
    numberOfFrames: parsed.frames.length,
    rows: int(json, '00280010'),
    columns: int(json, '00280011'),
    blobKey,
    sizeBytes: size,
    frames: parsed.frames,
    framesBlobKey,
    metadata: json,
    study: {
      patientName: text(json, '00100010'),
      patientId: text(json, '00100020'),
      patientBirthDate: text(json, '00100030'),
      patientSex: text(json, '00100040'),
      studyDate: text(json, '00080020'),
      studyTime: text(json, '00080030'),
      accessionNumber: text(json, '00080050'),
      studyId: text(json, '00200010'),
      studyDescription: text(json, '00081030'),
      referringPhysician: text(json, '00080090'),
      attributes: pick(json, STUDY_TAGS),
    },
    series: {
      modality: text(json, '00080060'),
      seriesNumber: int(json, '00200011'),
      seriesDescription: text(json, '0008103E'),
      bodyPart: text(json, '00180015'),
      attributes: pick(json, SERIES_TAGS),
    },
  };
}

/**
 * Parses, stores and indexes one Part 10 instance. Never throws for a bad instance: the answer says why it failed,
 * and a failed instance leaves neither a file nor an index row behind.
 */
export async function ingestInstance(bytes: Buffer, ctx: IngestContext): Promise<StowItem> {
  let parsed: ParsedInstance;
  try {
    parsed = parsePart10(bytes, { maxBytes: ctx.maxInstanceBytes, inflate: inflateRawLimited });
  } catch (error) {
    if (error instanceof DicomError) {
      return {
        ok: false,
        sopClassUid: null,
        sopInstanceUid: null,
        failureReason: DICOM_ERROR_STATUS[error.reason],
        message: error.message,
      };
    }
    throw error;
  }
  const ids = { sopClassUid: parsed.sopClassUid, sopInstanceUid: parsed.sopInstanceUid };
  if (ctx.studyInstanceUid && parsed.studyInstanceUid !== ctx.studyInstanceUid) {
    return {
      ok: false,
      ...ids,
      failureReason: FAILURE.studyUidMismatch,
      message: `the instance belongs to study ${parsed.studyInstanceUid}, not to ${ctx.studyInstanceUid} named in the URL`,
    };
  }
  const blob = await ctx.store.put(bytes);
  // frames of a deflated file are found in its inflated dataset, kept beside it
  const framesBlob = parsed.inflated ? await ctx.store.put(parsed.inflated) : blob;
  try {
    const outcome = await ctx.db.transaction(async (tx) => {
      const result = await tx.archive.index(
        toIndexRow(parsed, ctx.hospitalId, blob.key, blob.size, framesBlob.key),
      );
      // roll the transaction back: a conflict must change nothing
      if (result.kind === 'conflict') throw new IndexConflict(result);
      return result;
    });
    return {
      ok: true,
      ...ids,
      studyInstanceUid: parsed.studyInstanceUid,
      duplicate: outcome.kind === 'duplicate',
    };
  } catch (error) {
    // the same bytes may have been indexed by a concurrent upload meanwhile: remove only what nothing points at
    for (const stored of framesBlob === blob ? [blob] : [blob, framesBlob]) {
      if (stored.created && !(await ctx.db.archive.blobInUse(stored.key))) await ctx.store.remove(stored.key);
    }
    if (error instanceof IndexConflict) {
      return { ok: false, ...ids, failureReason: FAILURE.duplicateInstance, message: error.message };
    }
    throw error;
  }
}
