import type { Actor } from '../actor.js';
import { studyVisibility } from '../case-scope.js';
import type { Queryable } from '../pool.js';
import { firstRow } from '../rows.js';
import { whereFor, type MatchCondition } from './qido-match.js';

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

/**
 * What became of an instance offered to the index. A conflict names what it collides with: an instance stored under
 * its SOP Instance UID with other bytes, a study of that UID of another hospital, or a series of that UID in another
 * study.
 */
export type IndexOutcome =
  | { kind: 'stored'; studyId: string }
  | { kind: 'duplicate'; studyId: string }
  | { kind: 'conflict'; with: 'other_instance_bytes' | 'other_hospital_study' | 'other_study_series' };

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

/** The archive index: its studies, series and instances, where their bytes are, and who may see them. */
export class DicomIndexRepository {
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
      return { kind: 'conflict', with: 'other_instance_bytes' };
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
      return { kind: 'conflict', with: 'other_hospital_study' };
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
      return { kind: 'conflict', with: 'other_study_series' };
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
}
