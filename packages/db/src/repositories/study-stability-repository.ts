import type { Queryable } from '../pool.js';

/** A study that has just become stable, and the case it now belongs to, if any. */
export interface StableStudy {
  studyId: string;
  studyInstanceUid: string;
  hospitalId: string;
  caseId: string | null;
  instanceCount: number;
  stableAt: Date;
}

/** Study stability (no new instance for a while), and linking a stable study to the case that names it. */
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
