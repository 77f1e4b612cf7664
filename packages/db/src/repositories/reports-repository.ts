import type { Report, ReportCreate } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, isoNotNull } from '../rows.js';

/** The report versions of cases: preliminary, final and addenda, numbered per case. */
export class ReportsRepository {
  constructor(private readonly db: Queryable) {}

  /** Writes the next version of a case's report; its version number. */
  async add(caseId: string, authorId: string, report: ReportCreate): Promise<number> {
    const { rows } = await this.db.query<{ version: number }>(
      `INSERT INTO case_reports (case_id, version, kind, findings, impression, critical, author_id, reason)
       SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6, $7 FROM case_reports WHERE case_id = $1
       RETURNING version`,
      [
        caseId,
        report.kind,
        report.findings,
        report.impression,
        report.critical ?? false,
        authorId,
        report.reason?.trim() ?? '',
      ],
    );
    return firstRow(rows).version;
  }

  /** Every report version of a case, oldest first. */
  async list(caseId: string): Promise<Report[]> {
    const { rows } = await this.db.query<{
      id: string;
      case_id: string;
      version: number;
      kind: Report['kind'];
      findings: string;
      impression: string;
      critical: boolean;
      reason: string;
      author_id: string;
      author_name: string;
      created_at: Date;
    }>(
      `SELECT r.*, u.display_name AS author_name FROM case_reports r JOIN users u ON u.id = r.author_id
       WHERE r.case_id = $1 ORDER BY r.version`,
      [caseId],
    );
    return rows.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      version: r.version,
      kind: r.kind,
      findings: r.findings,
      impression: r.impression,
      critical: r.critical,
      reason: r.reason,
      authorId: r.author_id,
      authorName: r.author_name,
      createdAt: isoNotNull(r.created_at),
    }));
  }
}
