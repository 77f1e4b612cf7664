import type { CriticalAckMethod, CriticalFinding, CriticalStage, Urgency } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, iso, isoNotNull } from '../rows.js';

interface FindingRow {
  id: string;
  case_id: string;
  report_version: number;
  flagged_by: string;
  flagged_by_name: string;
  flagged_at: Date;
  head_due_at: Date;
  admin_due_at: Date;
  head_escalated_at: Date | null;
  admin_escalated_at: Date | null;
  acknowledged_at: Date | null;
  acknowledged_by: string | null;
  acknowledged_by_name: string | null;
  ack_method: CriticalAckMethod | null;
  ack_note: string;
}

const FINDING_SELECT = `SELECT f.*, fu.display_name AS flagged_by_name, au.display_name AS acknowledged_by_name
  FROM critical_findings f JOIN users fu ON fu.id = f.flagged_by LEFT JOIN users au ON au.id = f.acknowledged_by`;

function toFinding(r: FindingRow): CriticalFinding {
  return {
    id: r.id,
    caseId: r.case_id,
    reportVersion: r.report_version,
    flaggedBy: r.flagged_by,
    flaggedByName: r.flagged_by_name,
    flaggedAt: isoNotNull(r.flagged_at),
    headDueAt: isoNotNull(r.head_due_at),
    adminDueAt: isoNotNull(r.admin_due_at),
    headEscalatedAt: iso(r.head_escalated_at),
    adminEscalatedAt: iso(r.admin_escalated_at),
    acknowledgedAt: iso(r.acknowledged_at),
    acknowledgedBy: r.acknowledged_by,
    acknowledgedByName: r.acknowledged_by_name,
    method: r.ack_method,
    note: r.ack_note,
  };
}

/** A critical finding as its escalation sees it while holding its row lock. */
export interface LockedFinding {
  finding: CriticalFinding;
  requestingDepartmentId: string;
  urgency: Urgency;
  /** the database's clock, which stamped the due times */
  now: Date;
}

/** An escalation stage that is due and has not happened: what the sweep queues. */
export interface DueEscalation {
  criticalId: string;
  caseId: string;
  stage: CriticalStage;
  dueAt: Date;
}

/**
 * Critical findings and their acknowledgement by the requesting side: at most one open per case. The due times are
 * set when the finding is flagged, from the requesting hospital's agreed minutes, so later changes to the agreement
 * do not move a clock already running.
 */
export class CriticalFindingsRepository {
  constructor(private readonly db: Queryable) {}

  /** Opens a finding for a report version; null when the case already has one open (it still stands). */
  async flag(caseId: string, reportVersion: number, flaggedBy: string): Promise<CriticalFinding | null> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO critical_findings (case_id, report_version, flagged_by, head_due_at, admin_due_at)
       SELECT c.id, $2, $3,
              date_trunc('milliseconds', now()) + make_interval(secs => h.critical_head_minutes::float8 * 60),
              date_trunc('milliseconds', now()) + make_interval(secs => h.critical_admin_minutes::float8 * 60)
       FROM cases c JOIN hospitals h ON h.id = c.requesting_hospital_id WHERE c.id = $1
       ON CONFLICT (case_id) WHERE acknowledged_at IS NULL DO NOTHING
       RETURNING id`,
      [caseId, reportVersion, flaggedBy],
    );
    const row = rows[0];
    return row ? this.get(row.id) : null;
  }

  /** The case's open finding, or null. */
  async openFor(caseId: string): Promise<CriticalFinding | null> {
    const { rows } = await this.db.query<FindingRow>(
      `${FINDING_SELECT} WHERE f.case_id = $1 AND f.acknowledged_at IS NULL`,
      [caseId],
    );
    const row = rows[0];
    return row ? toFinding(row) : null;
  }

  /** The case's latest finding, open or acknowledged, or null. */
  async latest(caseId: string): Promise<CriticalFinding | null> {
    const { rows } = await this.db.query<FindingRow>(
      `${FINDING_SELECT} WHERE f.case_id = $1 ORDER BY f.flagged_at DESC, f.report_version DESC LIMIT 1`,
      [caseId],
    );
    const row = rows[0];
    return row ? toFinding(row) : null;
  }

  /** Every finding of a case, oldest first. */
  async list(caseId: string): Promise<CriticalFinding[]> {
    const { rows } = await this.db.query<FindingRow>(
      `${FINDING_SELECT} WHERE f.case_id = $1 ORDER BY f.flagged_at, f.report_version`,
      [caseId],
    );
    return rows.map(toFinding);
  }

  /** Records who acknowledged an open finding, how, and when. */
  async acknowledge(
    id: string,
    by: string,
    method: CriticalAckMethod,
    note: string,
  ): Promise<CriticalFinding> {
    await this.db.query(
      `UPDATE critical_findings SET acknowledged_at = now(), acknowledged_by = $2, ack_method = $3, ack_note = $4
       WHERE id = $1 AND acknowledged_at IS NULL`,
      [id, by, method, note],
    );
    return this.get(id);
  }

  /** Locks a finding for an escalation decision; null when it does not exist. Inside a transaction. */
  async lock(id: string): Promise<LockedFinding | null> {
    const { rows } = await this.db.query<
      FindingRow & { requesting_department_id: string; urgency: Urgency; now: Date }
    >(
      `SELECT f.*, fu.display_name AS flagged_by_name, au.display_name AS acknowledged_by_name,
              c.requesting_department_id, c.urgency, clock_timestamp() AS now
       FROM critical_findings f JOIN cases c ON c.id = f.case_id JOIN users fu ON fu.id = f.flagged_by
       LEFT JOIN users au ON au.id = f.acknowledged_by
       WHERE f.id = $1 FOR UPDATE OF f`,
      [id],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      finding: toFinding(r),
      requestingDepartmentId: r.requesting_department_id,
      urgency: r.urgency,
      now: r.now,
    };
  }

  /** Stamps an escalation stage, so it happens once. */
  async markEscalated(id: string, stage: CriticalStage): Promise<void> {
    const column = stage === 'head' ? 'head_escalated_at' : 'admin_escalated_at';
    await this.db.query(`UPDATE critical_findings SET ${column} = now() WHERE id = $1`, [id]);
  }

  /** Escalations due by the database's clock that have not happened, most overdue first. */
  async due(limit: number): Promise<DueEscalation[]> {
    const { rows } = await this.db.query<{
      id: string;
      case_id: string;
      stage: CriticalStage;
      due_at: Date;
    }>(
      `SELECT id, case_id, stage, due_at FROM (
         SELECT id, case_id, 'head' AS stage, head_due_at AS due_at FROM critical_findings
         WHERE acknowledged_at IS NULL AND head_escalated_at IS NULL AND head_due_at <= clock_timestamp()
         UNION ALL
         SELECT id, case_id, 'admin', admin_due_at FROM critical_findings
         WHERE acknowledged_at IS NULL AND head_escalated_at IS NOT NULL AND admin_escalated_at IS NULL
           AND admin_due_at <= clock_timestamp()
       ) d ORDER BY due_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ criticalId: r.id, caseId: r.case_id, stage: r.stage, dueAt: r.due_at }));
  }

  /** The active staff of a department: who is told of a critical finding to acknowledge. */
  async departmentStaff(departmentId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      'SELECT id FROM users WHERE department_id = $1 AND active ORDER BY id',
      [departmentId],
    );
    return rows.map((r) => r.id);
  }

  /** The active administrators of the platform. */
  async administrators(): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      "SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id",
    );
    return rows.map((r) => r.id);
  }

  private async get(id: string): Promise<CriticalFinding> {
    const { rows } = await this.db.query<FindingRow>(`${FINDING_SELECT} WHERE f.id = $1`, [id]);
    return toFinding(firstRow(rows));
  }
}
