import type { CaseState, RoutingDecision, Urgency } from '@telemed/contracts';
import type { Queryable } from '../pool.js';

/** A submitted case whose routing round is due, with what its route job needs. */
export interface RoutableCase {
  caseId: string;
  urgency: Urgency;
  routingDueAt: Date;
}

/** An assignment whose report is overdue. */
export interface OverdueAssignment {
  caseId: string;
  urgency: Urgency;
  slaDueAt: Date;
}

/** A case as the router sees it while holding its row lock. */
export interface LockedCase {
  id: string;
  state: CaseState;
  urgency: Urgency;
  requestingHospitalId: string;
  targetDepartmentId: string | null;
  assignedSpecialistId: string | null;
  routingDueAt: Date | null;
  slaDueAt: Date | null;
  slaEscalatedAt: Date | null;
  /** the case names no study, or its study has stopped receiving instances */
  studyReady: boolean;
  /** a previous decision left it in the pool */
  wasPooled: boolean;
  /** everyone who has held the case (assigned, claimed, reassigned to): never given it again */
  previousHolders: string[];
  /** the database's clock: every service decides by the clock that stamped the due times */
  now: Date;
}

// The study a case names is ready once it is stable; a case naming no study is ready at once. A case naming a study
// that has not arrived waits for it.
const STUDY_READY = `(c.study_instance_uid IS NULL OR EXISTS (
    SELECT 1 FROM dicom_studies s
    WHERE s.study_instance_uid = c.study_instance_uid AND s.hospital_id = c.requesting_hospital_id
      AND s.stable_at IS NOT NULL))`;

/**
 * What the router reads and writes around a decision: which cases are due for routing or overdue for a report,
 * the row lock it decides under, and the decision it keeps on the case. Postgres is the record of all of it, so a
 * queue lost with Redis is rebuilt by the router's sweep from here.
 */
export class DispatchRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * Submitted cases due for routing (by the database's clock, which stamped them) whose study is ready, most urgent
   * and oldest first; or just `caseId`, if it is.
   */
  async dueForRouting(limit: number, caseId?: string): Promise<RoutableCase[]> {
    const { rows } = await this.db.query<{ id: string; urgency: Urgency; routing_due_at: Date }>(
      `SELECT c.id, c.urgency, c.routing_due_at FROM cases c
       WHERE c.state = 'submitted' AND c.routing_due_at <= clock_timestamp() AND ($2::uuid IS NULL OR c.id = $2)
         AND ${STUDY_READY}
       ORDER BY c.urgency, c.routing_due_at LIMIT $1`,
      [limit, caseId ?? null],
    );
    return rows.map((r) => ({ caseId: r.id, urgency: r.urgency, routingDueAt: r.routing_due_at }));
  }

  /** Assignments past their SLA (by the database's clock) with no report and no escalation yet. */
  async overdue(limit: number): Promise<OverdueAssignment[]> {
    const { rows } = await this.db.query<{ id: string; urgency: Urgency; sla_due_at: Date }>(
      `SELECT id, urgency, sla_due_at FROM cases
       WHERE state IN ('assigned', 'in_review') AND sla_due_at <= clock_timestamp() AND sla_escalated_at IS NULL
       ORDER BY sla_due_at LIMIT $1`,
      [limit],
    );
    return rows.map((r) => ({ caseId: r.id, urgency: r.urgency, slaDueAt: r.sla_due_at }));
  }

  /** Locks a case for a routing or SLA decision; null when it does not exist. Inside a transaction. */
  async lock(caseId: string): Promise<LockedCase | null> {
    const { rows } = await this.db.query<{
      id: string;
      state: CaseState;
      urgency: Urgency;
      requesting_hospital_id: string;
      target_department_id: string | null;
      assigned_specialist_id: string | null;
      routing_due_at: Date | null;
      sla_due_at: Date | null;
      sla_escalated_at: Date | null;
      study_ready: boolean;
      was_pooled: boolean;
      previous_holders: string[];
      now: Date;
    }>(
      `SELECT c.id, c.state, c.urgency, c.requesting_hospital_id, c.target_department_id, c.assigned_specialist_id,
              c.routing_due_at, c.sla_due_at, c.sla_escalated_at, ${STUDY_READY} AS study_ready,
              COALESCE(c.routing_decision->>'outcome' = 'pool', false) AS was_pooled,
              ARRAY(SELECT DISTINCT h.details->>'specialistId' FROM case_history h
                    WHERE h.case_id = c.id AND h.action IN ('assign', 'claim') AND h.details ? 'specialistId'
              ) AS previous_holders,
              clock_timestamp() AS now
       FROM cases c WHERE c.id = $1 FOR UPDATE OF c`,
      [caseId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      state: r.state,
      urgency: r.urgency,
      requestingHospitalId: r.requesting_hospital_id,
      targetDepartmentId: r.target_department_id,
      assignedSpecialistId: r.assigned_specialist_id,
      routingDueAt: r.routing_due_at,
      slaDueAt: r.sla_due_at,
      slaEscalatedAt: r.sla_escalated_at,
      studyReady: r.study_ready,
      wasPooled: r.was_pooled,
      previousHolders: r.previous_holders,
      now: r.now,
    };
  }

  /** Keeps a decision that left the case in the pool, and when to try again. */
  async recordPooled(caseId: string, decision: RoutingDecision, retryAt: Date): Promise<void> {
    await this.db.query(
      `UPDATE cases SET routing_decision = $2, routing_due_at = date_trunc('milliseconds', $3::timestamptz)
       WHERE id = $1`,
      [caseId, JSON.stringify(decision), retryAt],
    );
  }

  /** Stamps the SLA escalation of the current assignment, so it happens once. */
  async markEscalated(caseId: string): Promise<void> {
    await this.db.query('UPDATE cases SET sla_escalated_at = now() WHERE id = $1', [caseId]);
  }

  /**
   * Who hears of a department's breaches and of cases nobody can take: its active heads, or the platform's
   * administrators when it has none, so an escalation always reaches someone.
   */
  async departmentHeads(departmentId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ id: string }>(
      `WITH heads AS (
         SELECT id, username FROM users WHERE department_id = $1 AND is_department_head AND active
       )
       SELECT id FROM heads
       UNION ALL
       SELECT id FROM users WHERE role = 'admin' AND active AND NOT EXISTS (SELECT 1 FROM heads)
       ORDER BY id`,
      [departmentId],
    );
    return rows.map((r) => r.id);
  }
}
