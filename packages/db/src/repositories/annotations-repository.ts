import type { Annotation, CaseAnnotations } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { iso } from '../rows.js';

interface AnnotationsRow {
  version: number;
  annotations: Annotation[];
  updated_at: Date;
  updated_by_name: string;
}

/** The measurements and marks kept with each case: one versioned document per case. Storage only. */
export class AnnotationsRepository {
  constructor(private readonly db: Queryable) {}

  /** The case's document; version 0 and no marks while nothing was saved. */
  async get(caseId: string): Promise<CaseAnnotations> {
    const { rows } = await this.db.query<AnnotationsRow>(
      `SELECT a.version, a.annotations, a.updated_at, u.display_name AS updated_by_name
         FROM case_annotations a JOIN users u ON u.id = a.updated_by
        WHERE a.case_id = $1`,
      [caseId],
    );
    const row = rows[0];
    if (!row) return { caseId, version: 0, annotations: [], updatedAt: null, updatedByName: null };
    return {
      caseId,
      version: row.version,
      annotations: row.annotations,
      updatedAt: iso(row.updated_at),
      updatedByName: row.updated_by_name,
    };
  }

  /**
   * Replaces the document if it is still at `fromVersion` (0: none saved yet) and returns the new version; null when
   * someone saved in between.
   */
  async replace(
    caseId: string,
    fromVersion: number,
    annotations: Annotation[],
    userId: string,
  ): Promise<number | null> {
    const json = JSON.stringify(annotations);
    if (fromVersion === 0) {
      const { rows } = await this.db.query<{ version: number }>(
        `INSERT INTO case_annotations (case_id, version, annotations, updated_by) VALUES ($1, 1, $2::jsonb, $3)
         ON CONFLICT (case_id) DO NOTHING RETURNING version`,
        [caseId, json, userId],
      );
      return rows[0]?.version ?? null;
    }
    const { rows } = await this.db.query<{ version: number }>(
      `UPDATE case_annotations SET version = version + 1, annotations = $3::jsonb, updated_by = $4, updated_at = now()
        WHERE case_id = $1 AND version = $2 RETURNING version`,
      [caseId, fromVersion, json, userId],
    );
    return rows[0]?.version ?? null;
  }
}
