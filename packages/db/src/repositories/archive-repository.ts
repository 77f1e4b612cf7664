import { AppError } from '@telemed/contracts';
import type { Actor } from '../actor.js';
import { studyVisibility } from '../case-scope.js';
import type { Queryable } from '../pool.js';
import { firstRow } from '../rows.js';

/** DICOM JSON: attributes keyed by 8-hex tag. */
export type DicomJsonObject = Record<
  string,
  { vr: string; Value?: unknown[]; BulkDataURI?: string; InlineBinary?: string }
>;

/** Everything the index keeps of one received instance. */
export interface InstanceToIndex {
  hospitalId: string;
  studyInstanceUid: string;
  seriesInstanceUid: string;
  sopInstanceUid: string;
  sopClassUid: string;
  transferSyntaxUid: string;
  instanceNumber: number | null;
  numberOfFrames: number;
  rows: number | null;
  columns: number | null;
  blobKey: string;
  sizeBytes: number;
  frames: unknown;
  framesBlobKey: string;
  metadata: DicomJsonObject;
  study: {
    patientName: string;
    patientId: string;
    patientBirthDate: string;
    patientSex: string;
    studyDate: string;
    studyTime: string;
    accessionNumber: string;
    studyId: string;
    studyDescription: string;
    referringPhysician: string;
    attributes: DicomJsonObject;
  };
  series: {
    modality: string;
    seriesNumber: number | null;
    seriesDescription: string;
    bodyPart: string;
    attributes: DicomJsonObject;
  };
}

/** What became of an instance offered to the index. */
export type IndexOutcome =
  | { kind: 'stored'; studyId: string }
  | { kind: 'duplicate'; studyId: string }
  | { kind: 'conflict'; message: string };

/** One QIDO match condition on a whitelisted column. */
export type MatchCondition =
  | { column: string; op: 'equals'; value: string }
  | { column: string; op: 'wildcard'; value: string; caseInsensitive: boolean }
  | { column: string; op: 'range'; from: string | null; to: string | null }
  | { column: string; op: 'anyOf'; values: string[] }
  | { column: string; op: 'arrayHas'; value: string }
  | { column: string; op: 'intEquals'; value: number };

export interface StudyRow {
  id: string;
  hospital_id: string;
  study_instance_uid: string;
  modalities: string[];
  series_count: number;
  instance_count: number;
  attributes: DicomJsonObject;
  last_instance_at: Date;
  stable_at: Date | null;
  case_id: string | null;
}

export interface SeriesRow {
  id: string;
  study_instance_uid: string;
  series_instance_uid: string;
  modality: string;
  series_number: number | null;
  series_description: string;
  instance_count: number;
  attributes: DicomJsonObject;
}

export interface InstanceRow {
  study_instance_uid: string;
  series_instance_uid: string;
  sop_instance_uid: string;
  sop_class_uid: string;
  instance_number: number | null;
  transfer_syntax_uid: string;
  number_of_frames: number;
  rows: number | null;
  columns: number | null;
  blob_key: string;
  size_bytes: string;
  frames: unknown;
  frames_blob_key: string;
  metadata: DicomJsonObject;
}

/** Columns QIDO may match on, per level; keys are what the api passes, values the SQL expression. */
const COLUMNS = {
  study: {
    StudyInstanceUID: 's.study_instance_uid',
    PatientName: 's.patient_name',
    PatientID: 's.patient_id',
    PatientBirthDate: 's.patient_birth_date',
    PatientSex: 's.patient_sex',
    StudyDate: 's.study_date',
    StudyTime: 's.study_time',
    AccessionNumber: 's.accession_number',
    StudyID: 's.study_id',
    StudyDescription: 's.study_description',
    ReferringPhysicianName: 's.referring_physician',
    ModalitiesInStudy: 's.modalities',
  },
  series: {
    SeriesInstanceUID: 'se.series_instance_uid',
    Modality: 'se.modality',
    SeriesNumber: 'se.series_number',
    SeriesDescription: 'se.series_description',
    BodyPartExamined: 'se.body_part',
  },
  instance: {
    SOPInstanceUID: 'i.sop_instance_uid',
    SOPClassUID: 'i.sop_class_uid',
    InstanceNumber: 'i.instance_number',
  },
} as const;

/** The matching keys the index can answer, by level. */
export const QIDO_KEYS = {
  study: Object.keys(COLUMNS.study),
  series: Object.keys(COLUMNS.series),
  instance: Object.keys(COLUMNS.instance),
};

function columnFor(key: string): string {
  for (const level of Object.values(COLUMNS)) {
    const col = (level as Record<string, string>)[key];
    if (col) return col;
  }
  throw new AppError('bad_request', `${key} is not a matching key`);
}

function likePattern(value: string): string {
  return value
    .replace(/[\\%_]/g, (c) => `\\${c}`)
    .replaceAll('*', '%')
    .replaceAll('?', '_');
}

function whereFor(conditions: MatchCondition[], params: unknown[]): string[] {
  return conditions.map((c) => {
    const col = columnFor(c.column);
    switch (c.op) {
      case 'equals':
        params.push(c.value);
        return `${col} = $${params.length}`;
      case 'wildcard':
        params.push(likePattern(c.value));
        // a person name matches when any of its groups (alphabetic=ideographic=phonetic) does
        return c.caseInsensitive
          ? `EXISTS (SELECT 1 FROM unnest(string_to_array(${col}, '=')) g WHERE g ILIKE $${params.length})`
          : `${col} LIKE $${params.length}`;
      case 'range': {
        const parts: string[] = [];
        if (c.from !== null) {
          params.push(c.from);
          parts.push(`${col} >= $${params.length}`);
        }
        if (c.to !== null) {
          params.push(c.to);
          parts.push(`${col} <= $${params.length}`);
        }
        // an empty value never matches a range
        parts.push(`${col} <> ''`);
        return `(${parts.join(' AND ')})`;
      }
      case 'anyOf':
        params.push(c.values);
        return `${col} = ANY($${params.length}::text[])`;
      case 'arrayHas':
        params.push(c.value);
        return `$${params.length} = ANY(${col})`;
      case 'intEquals':
        params.push(c.value);
        return `${col} = $${params.length}`;
    }
  });
}

/** The archive index: what is stored, where its bytes are, and who may see it. */
export class ArchiveRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Adds an instance to the index, creating its study and series as needed. The same SOP Instance UID with the same
   * bytes is a duplicate (success); with other bytes, a conflict that leaves the stored copy as it is. Must run
   * inside a transaction, which the caller rolls back on a conflict.
   */
  async index(instance: InstanceToIndex): Promise<IndexOutcome> {
    const { rows: existing } = await this.db.query<{
      blob_key: string;
      study_id: string;
      hospital_id: string;
    }>(
      `SELECT i.blob_key, st.id AS study_id, st.hospital_id FROM dicom_instances i
       JOIN dicom_series se ON se.id = i.series_id JOIN dicom_studies st ON st.id = se.study_id
       WHERE i.sop_instance_uid = $1 FOR UPDATE OF i`,
      [instance.sopInstanceUid],
    );
    const found = existing[0];
    if (found) {
      if (found.hospital_id === instance.hospitalId && found.blob_key === instance.blobKey) {
        return { kind: 'duplicate', studyId: found.study_id };
      }
      return {
        kind: 'conflict',
        message:
          'an instance with this SOP Instance UID is already stored with different content; the stored copy was kept. ' +
          'Send changed images with new SOP Instance UIDs',
      };
    }
    const s = instance.study;
    const { rows: studies } = await this.db.query<{ id: string; hospital_id: string }>(
      `INSERT INTO dicom_studies (hospital_id, study_instance_uid, patient_name, patient_id, patient_birth_date,
         patient_sex, study_date, study_time, accession_number, study_id, study_description, referring_physician,
         attributes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (study_instance_uid) DO UPDATE SET last_instance_at = now(), stable_at = NULL, stable_queued_at = NULL
         WHERE dicom_studies.hospital_id = EXCLUDED.hospital_id
       RETURNING id, hospital_id`,
      [
        instance.hospitalId,
        instance.studyInstanceUid,
        s.patientName,
        s.patientId,
        s.patientBirthDate,
        s.patientSex,
        s.studyDate,
        s.studyTime,
        s.accessionNumber,
        s.studyId,
        s.studyDescription,
        s.referringPhysician,
        JSON.stringify(s.attributes),
      ],
    );
    const study = studies[0];
    if (!study) {
      return {
        kind: 'conflict',
        message: 'this Study Instance UID already belongs to a study of another hospital',
      };
    }
    const se = instance.series;
    await this.db.query(
      `INSERT INTO dicom_series (study_id, series_instance_uid, modality, series_number, series_description, body_part,
         attributes)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (series_instance_uid) DO NOTHING`,
      [
        study.id,
        instance.seriesInstanceUid,
        se.modality,
        se.seriesNumber,
        se.seriesDescription,
        se.bodyPart,
        JSON.stringify(se.attributes),
      ],
    );
    const { rows: series } = await this.db.query<{ id: string; study_id: string }>(
      'SELECT id, study_id FROM dicom_series WHERE series_instance_uid = $1',
      [instance.seriesInstanceUid],
    );
    const seriesRow = firstRow(series);
    if (seriesRow.study_id !== study.id) {
      return { kind: 'conflict', message: 'this Series Instance UID already belongs to another study' };
    }
    await this.db.query(
      `INSERT INTO dicom_instances (series_id, sop_instance_uid, sop_class_uid, instance_number, transfer_syntax_uid,
         number_of_frames, rows, columns, blob_key, size_bytes, frames, frames_blob_key, metadata)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        seriesRow.id,
        instance.sopInstanceUid,
        instance.sopClassUid,
        instance.instanceNumber,
        instance.transferSyntaxUid,
        instance.numberOfFrames,
        instance.rows,
        instance.columns,
        instance.blobKey,
        instance.sizeBytes,
        JSON.stringify(instance.frames),
        instance.framesBlobKey,
        JSON.stringify(instance.metadata),
      ],
    );
    await this.db.query('UPDATE dicom_series SET instance_count = instance_count + 1 WHERE id = $1', [
      seriesRow.id,
    ]);
    await this.db.query(
      `UPDATE dicom_studies SET
         instance_count = instance_count + 1,
         series_count = (SELECT count(*) FROM dicom_series WHERE study_id = $1),
         modalities = CASE WHEN $2 = '' OR $2 = ANY(modalities) THEN modalities ELSE modalities || $2 END,
         last_instance_at = now(), stable_at = NULL, stable_queued_at = NULL
       WHERE id = $1`,
      [study.id, se.modality],
    );
    return { kind: 'stored', studyId: study.id };
  }

  /** Whether any indexed instance uses this blob, as its file or as its frames' bytes. */
  async blobInUse(blobKey: string): Promise<boolean> {
    const { rows } = await this.db.query(
      `SELECT 1 FROM dicom_instances
       WHERE blob_key = $1 OR (frames_blob_key = $1 AND frames_blob_key <> blob_key) LIMIT 1`,
      [blobKey],
    );
    return rows.length > 0;
  }

  /** Visible studies matching every condition, newest study date first. */
  async searchStudies(
    actor: Actor,
    conditions: MatchCondition[],
    limit: number,
    offset: number,
  ): Promise<StudyRow[]> {
    const params: unknown[] = [];
    const where = [studyVisibility(actor, params), ...whereFor(conditions, params)];
    params.push(limit, offset);
    const { rows } = await this.db.query<StudyRow>(
      `SELECT s.id, s.hospital_id, s.study_instance_uid, s.modalities, s.series_count, s.instance_count, s.attributes,
              s.last_instance_at, s.stable_at, s.case_id
       FROM dicom_studies s WHERE ${where.join(' AND ')}
       ORDER BY s.study_date DESC, s.study_time DESC, s.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows;
  }

  /** Visible series matching every condition (study-level conditions allowed), by series number. */
  async searchSeries(
    actor: Actor,
    conditions: MatchCondition[],
    limit: number,
    offset: number,
  ): Promise<SeriesRow[]> {
    const params: unknown[] = [];
    const where = [studyVisibility(actor, params), ...whereFor(conditions, params)];
    params.push(limit, offset);
    const { rows } = await this.db.query<SeriesRow>(
      `SELECT se.id, s.study_instance_uid, se.series_instance_uid, se.modality, se.series_number,
              se.series_description, se.instance_count, se.attributes
       FROM dicom_series se JOIN dicom_studies s ON s.id = se.study_id
       WHERE ${where.join(' AND ')}
       ORDER BY s.study_instance_uid, se.series_number NULLS LAST, se.series_instance_uid
       LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows;
  }

  /** Visible instances matching every condition (study and series conditions allowed), by instance number. */
  async searchInstances(
    actor: Actor,
    conditions: MatchCondition[],
    limit: number,
    offset: number,
    withMetadata: boolean,
  ): Promise<InstanceRow[]> {
    const params: unknown[] = [];
    const where = [studyVisibility(actor, params), ...whereFor(conditions, params)];
    params.push(limit, offset);
    const { rows } = await this.db.query<InstanceRow>(
      `SELECT s.study_instance_uid, se.series_instance_uid, i.sop_instance_uid, i.sop_class_uid, i.instance_number,
              i.transfer_syntax_uid, i.number_of_frames, i.rows, i.columns, i.blob_key, i.size_bytes, i.frames,
              i.frames_blob_key,
              ${withMetadata ? 'i.metadata' : `'{}'::jsonb AS metadata`}
       FROM dicom_instances i JOIN dicom_series se ON se.id = i.series_id JOIN dicom_studies s ON s.id = se.study_id
       WHERE ${where.join(' AND ')}
       ORDER BY se.series_number NULLS LAST, se.series_instance_uid, i.instance_number NULLS LAST, i.sop_instance_uid
       LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows;
  }

  /** Whether a study with this UID exists but is hidden from the actor or absent: both are simply not found. */
  async studyVisible(actor: Actor, studyInstanceUid: string): Promise<StudyRow | null> {
    const rows = await this.searchStudies(
      actor,
      [{ column: 'StudyInstanceUID', op: 'equals', value: studyInstanceUid }],
      1,
      0,
    );
    return rows[0] ?? null;
  }
}

/** A study that has just become stable, and the case it now belongs to, if any. */
export interface StableStudy {
  studyId: string;
  studyInstanceUid: string;
  hospitalId: string;
  caseId: string | null;
  instanceCount: number;
  stableAt: Date;
}

/** Study stability and linking studies to cases. */
export class StudyStabilityRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Marks studies with no new instance for `stableSeconds` as stable and links each to its case (the case naming
   * its Study Instance UID, else an open case of the same hospital with its accession number). Rows are claimed
   * with SKIP LOCKED so several api replicas never mark one study twice. Must run inside a transaction. Returns how
   * many became stable.
   */
  async markStable(stableSeconds: number, limit: number): Promise<number> {
    const { rows } = await this.db.query<{
      id: string;
      study_instance_uid: string;
      hospital_id: string;
      accession_number: string;
      case_id: string | null;
    }>(
      `WITH due AS (
         SELECT id FROM dicom_studies
         WHERE stable_at IS NULL AND last_instance_at < now() - make_interval(secs => $1)
         ORDER BY last_instance_at LIMIT $2 FOR UPDATE SKIP LOCKED
       )
       UPDATE dicom_studies s SET stable_at = date_trunc('milliseconds', now()) FROM due WHERE s.id = due.id
       RETURNING s.id, s.study_instance_uid, s.hospital_id, s.accession_number, s.case_id`,
      [stableSeconds, limit],
    );
    for (const r of rows) {
      if (!r.case_id) await this.linkCase(r.id, r.study_instance_uid, r.hospital_id, r.accession_number);
    }
    return rows.length;
  }

  /**
   * Links a study to the case named at upload. Fails when the case already names another study. Both must be of
   * `hospitalId`. Must run inside a transaction.
   */
  async linkExplicit(caseId: string, studyInstanceUid: string, hospitalId: string): Promise<void> {
    const { rows } = await this.db.query<{ study_instance_uid: string | null }>(
      'SELECT study_instance_uid FROM cases WHERE id = $1 AND requesting_hospital_id = $2 FOR UPDATE',
      [caseId, hospitalId],
    );
    const found = rows[0];
    if (!found) throw new AppError('not_found', `case ${caseId} was not found`);
    if (found.study_instance_uid && found.study_instance_uid !== studyInstanceUid) {
      throw new AppError('conflict', `case ${caseId} already names study ${found.study_instance_uid}`);
    }
    await this.db.query('UPDATE cases SET study_instance_uid = $2, updated_at = now() WHERE id = $1', [
      caseId,
      studyInstanceUid,
    ]);
    await this.db.query(
      'UPDATE dicom_studies SET case_id = $1 WHERE study_instance_uid = $2 AND hospital_id = $3',
      [caseId, studyInstanceUid, hospitalId],
    );
  }

  /** Stable studies whose event is not on the queue yet, oldest first. */
  async unqueued(limit: number): Promise<StableStudy[]> {
    const { rows } = await this.db.query<{
      id: string;
      study_instance_uid: string;
      hospital_id: string;
      case_id: string | null;
      instance_count: number;
      stable_at: Date;
    }>(
      `SELECT id, study_instance_uid, hospital_id, case_id, instance_count, stable_at FROM dicom_studies
       WHERE stable_at IS NOT NULL AND stable_queued_at IS NULL ORDER BY stable_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({
      studyId: r.id,
      studyInstanceUid: r.study_instance_uid,
      hospitalId: r.hospital_id,
      caseId: r.case_id,
      instanceCount: r.instance_count,
      stableAt: r.stable_at,
    }));
  }

  /** Records that the event of this stable instant is on the queue (a newer instance since then resets it). */
  async markQueued(studyId: string, stableAt: Date): Promise<void> {
    await this.db.query(
      'UPDATE dicom_studies SET stable_queued_at = now() WHERE id = $1 AND stable_at = $2',
      [studyId, stableAt],
    );
  }

  private async linkCase(
    studyId: string,
    studyInstanceUid: string,
    hospitalId: string,
    accessionNumber: string,
  ): Promise<string | null> {
    const { rows } = await this.db.query<{ id: string }>(
      `SELECT id FROM cases
       WHERE requesting_hospital_id = $1 AND state <> 'cancelled'
         AND (study_instance_uid = $2 OR (study_instance_uid IS NULL AND $3 <> '' AND accession_number = $3))
       ORDER BY (study_instance_uid = $2) DESC NULLS LAST, created_at DESC LIMIT 1 FOR UPDATE`,
      [hospitalId, studyInstanceUid, accessionNumber],
    );
    const found = rows[0];
    if (!found) return null;
    await this.db.query(
      'UPDATE cases SET study_instance_uid = $2, updated_at = now() WHERE id = $1 AND study_instance_uid IS NULL',
      [found.id, studyInstanceUid],
    );
    await this.db.query('UPDATE dicom_studies SET case_id = $2 WHERE id = $1', [studyId, found.id]);
    return found.id;
  }
}
