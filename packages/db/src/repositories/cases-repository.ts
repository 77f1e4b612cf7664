import {
  AppError,
  CASE_TRANSITIONS,
  nextState,
  type Case,
  type CaseAction,
  type CaseComment,
  type CaseCreate,
  type CaseHistoryEntry,
  type CaseListQuery,
  type CasePage,
  type CaseState,
  type Report,
  type ReportCreate,
  type RoutingDecision,
  type Urgency,
} from '@telemed/contracts';
import { recordedUserId, type Actor, type RequestOrigin } from '../actor.js';
import { caseVisibility } from '../case-scope.js';
import type { Queryable } from '../pool.js';
import { AuditRepository } from './audit-repository.js';
import { HospitalsRepository } from './hospitals-repository.js';
import { decodeCursor, encodeCursor, firstRow, iso, isoNotNull } from '../rows.js';

/** The facts about a case that decide who may act on it. */
export interface CaseFacts {
  id: string;
  state: CaseState;
  requestingHospitalId: string;
  requestingDepartmentId: string;
  targetDepartmentId: string | null;
  assignedSpecialistId: string | null;
  createdBy: string;
}

/** What a transition needs beyond the action itself. */
export interface TransitionOptions {
  origin: RequestOrigin;
  /** Throws when the actor may not take this action on this case (after the case is found and locked). */
  authorize: (facts: CaseFacts) => void;
  reason?: string;
  /** assign, claim, reassign: who holds the case afterwards (reassign: null returns it to the pool). */
  specialistId?: string | null;
  /** preliminary, finalize, addendum: the report version written with the transition. */
  report?: ReportCreate;
  /** assign, reassign: the router's decision behind it, kept on the case */
  routingDecision?: RoutingDecision;
}

interface CaseRow {
  id: string;
  state: CaseState;
  urgency: Urgency;
  patient_id: string;
  mrn: string;
  patient_name: string;
  sex: 'M' | 'F' | 'O';
  birth_date: string | null;
  clinical_question: string;
  clinical_history: string;
  modality: string | null;
  body_part: string | null;
  study_instance_uid: string | null;
  accession_number: string | null;
  requesting_hospital_id: string;
  hospital_name: string;
  requesting_department_id: string;
  department_name: string;
  target_department_id: string | null;
  assigned_specialist_id: string | null;
  specialist_name: string | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
  submitted_at: Date | null;
  assigned_at: Date | null;
  review_started_at: Date | null;
  preliminary_at: Date | null;
  finalized_at: Date | null;
  cancelled_at: Date | null;
  sla_due_at: Date | null;
  routing_due_at: Date | null;
  routing_decision: RoutingDecision | null;
}

const CASE_SELECT = `
  SELECT c.*, p.mrn, p.name AS patient_name, p.sex, p.birth_date,
         h.name AS hospital_name, d.name AS department_name, s.display_name AS specialist_name
  FROM cases c
  JOIN patients p ON p.id = c.patient_id
  JOIN hospitals h ON h.id = c.requesting_hospital_id
  JOIN departments d ON d.id = c.requesting_department_id
  LEFT JOIN users s ON s.id = c.assigned_specialist_id`;

// The timestamp column each target state stamps.
const STAMP: Partial<Record<CaseState, string>> = {
  submitted: 'submitted_at',
  assigned: 'assigned_at',
  in_review: 'review_started_at',
  preliminary: 'preliminary_at',
  final: 'finalized_at',
  cancelled: 'cancelled_at',
};

// Millisecond precision: job ids carry these instants through JavaScript and must compare equal afterwards.
const ROUTE_NOW = "routing_due_at = date_trunc('milliseconds', now())";
// A released case stays in the department pool a while for a colleague to claim, except STAT work.
const ROUTE_AFTER_GRACE =
  "routing_due_at = date_trunc('milliseconds', now()) + CASE urgency WHEN 'stat' THEN interval '0' ELSE interval '5 minutes' END";
// The requesting hospital's agreed time to a first report, by urgency.
const SLA_FROM_NOW = `sla_due_at = date_trunc('milliseconds', now()) + make_interval(mins => (
    SELECT CASE cases.urgency WHEN 'stat' THEN h.sla_stat_minutes WHEN 'urgent' THEN h.sla_urgent_minutes
                              ELSE h.sla_routine_minutes END
    FROM hospitals h WHERE h.id = cases.requesting_hospital_id))`;

const REPORT_ACTION: Record<ReportCreate['kind'], CaseAction> = {
  preliminary: 'preliminary',
  final: 'finalize',
  addendum: 'addendum',
};

/** The case action a report of this kind performs. */
export function reportAction(kind: ReportCreate['kind']): CaseAction {
  return REPORT_ACTION[kind];
}

/**
 * Consultation cases. Every method takes the actor and applies `caseVisibility`, so a case the actor may not see
 * does not exist for them. Methods that write expect to run inside a transaction.
 */
export class CasesRepository {
  private readonly audit: AuditRepository;

  constructor(private readonly db: Queryable) {
    this.audit = new AuditRepository(db);
  }

  /** A draft case for a patient of the technician's hospital; the patient is registered or updated by MRN. */
  async create(actor: Actor, input: CaseCreate, origin: RequestOrigin): Promise<Case> {
    const hospitalId = actor.hospitalId;
    const departmentId = input.requestingDepartmentId ?? actor.departmentId;
    if (!hospitalId || !departmentId) {
      throw new AppError('forbidden', 'only staff of a county hospital open cases');
    }
    const { rows: dept } = await this.db.query<{ id: string }>(
      'SELECT id FROM departments WHERE id = $1 AND hospital_id = $2 AND active',
      [departmentId, hospitalId],
    );
    if (!dept[0]) {
      throw new AppError(
        'validation_failed',
        'the requesting department is not an active department of your hospital',
        [{ field: 'requestingDepartmentId', message: 'choose a department of your own hospital' }],
      );
    }
    const p = input.patient;
    const { rows: patients } = await this.db.query<{ id: string }>(
      `INSERT INTO patients (hospital_id, mrn, name, sex, birth_date) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (hospital_id, mrn) DO UPDATE
         SET name = EXCLUDED.name, sex = EXCLUDED.sex, birth_date = COALESCE(EXCLUDED.birth_date, patients.birth_date),
             updated_at = now()
       RETURNING id`,
      [hospitalId, p.mrn.trim(), p.name.trim(), p.sex, p.birthDate ?? null],
    );
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO cases (patient_id, requesting_hospital_id, requesting_department_id, created_by, urgency,
                          clinical_question, clinical_history, modality, body_part, study_instance_uid, accession_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        firstRow(patients).id,
        hospitalId,
        departmentId,
        actor.userId,
        input.urgency,
        input.clinicalQuestion.trim(),
        input.clinicalHistory ?? '',
        input.modality ?? null,
        input.bodyPart ?? null,
        input.studyInstanceUid ?? null,
        input.accessionNumber ?? null,
      ],
    );
    const id = firstRow(rows).id;
    // the study may have arrived first: link it now, as the stability sweep would have
    const { rows: linked } = await this.db.query<{ study_instance_uid: string }>(
      `UPDATE dicom_studies SET case_id = $1
       WHERE hospital_id = $2 AND case_id IS NULL
         AND (study_instance_uid = $3 OR ($3::text IS NULL AND $4::text IS NOT NULL AND accession_number = $4))
       RETURNING study_instance_uid`,
      [id, hospitalId, input.studyInstanceUid ?? null, input.accessionNumber ?? null],
    );
    const study = linked[0];
    if (study && !input.studyInstanceUid) {
      await this.db.query('UPDATE cases SET study_instance_uid = $2 WHERE id = $1', [
        id,
        study.study_instance_uid,
      ]);
    }
    await this.writeHistory(id, 'create', null, 'draft', actor, '', {});
    await this.audit.record({
      actor,
      action: 'case.create',
      resourceType: 'case',
      resourceId: id,
      hospitalId,
      outcome: 'success',
      origin,
    });
    return this.get(actor, id);
  }

  /** One visible case, or not_found. */
  async get(actor: Actor, id: string): Promise<Case> {
    const params: unknown[] = [id];
    const scope = caseVisibility(actor, params);
    const { rows } = await this.db.query<CaseRow>(`${CASE_SELECT} WHERE c.id = $1 AND ${scope}`, params);
    const row = rows[0];
    if (!row) throw notFound(id);
    return toCase(row);
  }

  /** Visible cases, newest first, filtered, with keyset pagination. */
  async list(actor: Actor, q: CaseListQuery): Promise<CasePage> {
    const params: unknown[] = [];
    const where = [caseVisibility(actor, params)];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (q.state?.length) add('c.state = ANY(?::case_state[])', q.state);
    if (q.urgency?.length) add('c.urgency = ANY(?::case_urgency[])', q.urgency);
    if (q.hospitalId) add('c.requesting_hospital_id = ?', q.hospitalId);
    if (q.assigneeId) add('c.assigned_specialist_id = ?', q.assigneeId);
    if (q.from) add('c.created_at >= ?', q.from);
    if (q.to) add('c.created_at < ?', q.to);
    const worklist = q.sort === 'worklist';
    if (q.cursor && worklist) {
      throw new AppError(
        'bad_request',
        'the worklist comes as one page: leave out cursor and raise limit (up to 200) to see more',
      );
    }
    if (q.cursor) {
      const c = decodeCursor(q.cursor);
      if (!c)
        throw new AppError('bad_request', 'cursor is not valid: pass the nextCursor of the previous page');
      params.push(c.at, c.id);
      where.push(`(c.created_at, c.id) < ($${params.length - 1}, $${params.length}::uuid)`);
    }
    const limit = q.limit ?? 50;
    params.push(limit + 1);
    // the worklist: what must be read first on top (STAT, then the SLA closest to running out)
    const order = worklist
      ? 'c.urgency, c.sla_due_at NULLS LAST, c.created_at, c.id'
      : 'c.created_at DESC, c.id DESC';
    const { rows } = await this.db.query<CaseRow>(
      `${CASE_SELECT} WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toCase),
      nextCursor: rows.length > limit && last && !worklist ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  /**
   * Moves a case through the state machine: locks it, checks the action is legal from its state and the actor may
   * take it, applies the change, and writes the history row and the audit event. Must run inside a transaction.
   */
  async transition(actor: Actor, id: string, action: CaseAction, options: TransitionOptions): Promise<Case> {
    const facts = await this.lockVisible(actor, id);
    // Legality before permission: anyone who can see the case learns why the action cannot happen now.
    const to = nextState(facts.state, action);
    if (!to) {
      const allowed = CASE_TRANSITIONS[action].from.join(', ');
      throw new AppError(
        'illegal_transition',
        `cannot ${action.replace('_', ' ')} a case that is ${facts.state}; allowed from: ${allowed}`,
      );
    }
    options.authorize(facts);
    const details: Record<string, unknown> = {};
    const sets: string[] = ['state = $2', 'updated_at = now()'];
    const params: unknown[] = [id, to];
    const set = (column: string, value: unknown): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    const stamp = STAMP[to];
    if (stamp && action !== 'addendum') sets.push(`${stamp} = now()`);
    if (options.routingDecision) set('routing_decision', JSON.stringify(options.routingDecision));

    switch (action) {
      case 'submit': {
        const target = await new HospitalsRepository(this.db).partnerOf(facts.requestingDepartmentId);
        if (!target) {
          throw new AppError(
            'conflict',
            'the requesting department has no active partner department in a city hospital; ask an administrator to add a partnership',
          );
        }
        set('target_department_id', target);
        sets.push(ROUTE_NOW);
        details.targetDepartmentId = target;
        break;
      }
      case 'assign':
      case 'claim': {
        const specialistId = action === 'claim' ? actor.userId : options.specialistId;
        if (!specialistId) throw new AppError('validation_failed', 'name the specialist to assign');
        await this.requireSpecialist(specialistId, action === 'claim' ? facts.targetDepartmentId : null);
        set('assigned_specialist_id', specialistId);
        sets.push('routing_due_at = NULL', SLA_FROM_NOW, 'sla_escalated_at = NULL');
        details.specialistId = specialistId;
        break;
      }
      case 'reassign':
        sets.push(
          'assigned_specialist_id = NULL',
          'assigned_at = NULL',
          'review_started_at = NULL',
          'sla_due_at = NULL',
          'sla_escalated_at = NULL',
          ROUTE_AFTER_GRACE,
        );
        details.previousSpecialistId = facts.assignedSpecialistId;
        break;
      case 'preliminary':
      case 'finalize':
      case 'addendum': {
        if (!options.report) throw new AppError('validation_failed', 'a report is required for this action');
        details.reportVersion = await this.writeReport(id, actor.userId, options.report);
        break;
      }
      case 'cancel':
        sets.push('routing_due_at = NULL', 'sla_due_at = NULL');
        break;
      case 'start_review':
        break;
    }

    await this.db.query(`UPDATE cases SET ${sets.join(', ')} WHERE id = $1`, params);
    await this.recordEvent(actor, facts, action, to, options.reason ?? '', details, options.origin);

    if (action === 'reassign' && options.specialistId) {
      return this.transition(actor, id, 'assign', {
        ...options,
        authorize: () => undefined,
        reason: options.reason ?? '',
        specialistId: options.specialistId,
      });
    }
    return this.get(actor, id);
  }

  /**
   * Records an event in a case's history that changes no state (an SLA breach, an escalation), with its audit
   * event. Must run inside a transaction that holds the case.
   */
  async note(
    actor: Actor,
    id: string,
    action: string,
    reason: string,
    details: Record<string, unknown>,
    origin: RequestOrigin,
  ): Promise<void> {
    const facts = await this.requireVisible(actor, id);
    await this.recordEvent(actor, facts, action, facts.state, reason, details, origin);
  }

  /** The history row and the audit event of something that happened to a case. */
  private async recordEvent(
    actor: Actor,
    facts: CaseFacts,
    action: string,
    to: CaseState,
    reason: string,
    details: Record<string, unknown>,
    origin: RequestOrigin,
  ): Promise<void> {
    await this.writeHistory(facts.id, action, facts.state, to, actor, reason, details);
    await this.audit.record({
      actor,
      action: `case.${action}`,
      resourceType: 'case',
      resourceId: facts.id,
      hospitalId: facts.requestingHospitalId,
      outcome: 'success',
      origin,
      details: { from: facts.state, to, ...details, ...(reason ? { reason } : {}) },
    });
  }

  /** The state history of a visible case, oldest first. */
  async history(actor: Actor, id: string): Promise<CaseHistoryEntry[]> {
    await this.requireVisible(actor, id);
    const { rows } = await this.db.query<{
      id: string;
      action: string;
      from_state: CaseState | null;
      to_state: CaseState;
      actor_id: string | null;
      actor_name: string | null;
      reason: string;
      at: Date;
    }>(
      `SELECT h.*, u.display_name AS actor_name FROM case_history h LEFT JOIN users u ON u.id = h.actor_id
       WHERE h.case_id = $1 ORDER BY h.id`,
      [id],
    );
    return rows.map((r) => ({
      id: Number(r.id),
      action: r.action,
      fromState: r.from_state,
      toState: r.to_state,
      actorId: r.actor_id,
      actorName: r.actor_name,
      reason: r.reason,
      at: isoNotNull(r.at),
    }));
  }

  /** The comment thread of a visible case, oldest first. */
  async comments(actor: Actor, id: string): Promise<CaseComment[]> {
    await this.requireVisible(actor, id);
    const { rows } = await this.db.query<CommentRow>(
      `${COMMENT_SELECT} WHERE m.case_id = $1 ORDER BY m.created_at, m.id`,
      [id],
    );
    return rows.map(toComment);
  }

  /** Adds a comment to a visible case that is not cancelled. */
  async addComment(actor: Actor, id: string, body: string, origin: RequestOrigin): Promise<CaseComment> {
    const facts = await this.requireVisible(actor, id);
    const { rows } = await this.db.query<{ id: string }>(
      'INSERT INTO case_comments (case_id, author_id, body) VALUES ($1, $2, $3) RETURNING id',
      [id, actor.userId, body.trim()],
    );
    const commentId = firstRow(rows).id;
    await this.audit.record({
      actor,
      action: 'case.comment',
      resourceType: 'case',
      resourceId: id,
      hospitalId: facts.requestingHospitalId,
      outcome: 'success',
      origin,
      details: { commentId },
    });
    const { rows: created } = await this.db.query<CommentRow>(`${COMMENT_SELECT} WHERE m.id = $1`, [
      commentId,
    ]);
    return toComment(firstRow(created));
  }

  /** Every report version of a visible case, oldest first. */
  async reports(actor: Actor, id: string): Promise<Report[]> {
    await this.requireVisible(actor, id);
    const { rows } = await this.db.query<{
      id: string;
      case_id: string;
      version: number;
      kind: Report['kind'];
      findings: string;
      impression: string;
      critical: boolean;
      author_id: string;
      author_name: string;
      created_at: Date;
    }>(
      `SELECT r.*, u.display_name AS author_name FROM case_reports r JOIN users u ON u.id = r.author_id
       WHERE r.case_id = $1 ORDER BY r.version`,
      [id],
    );
    return rows.map((r) => ({
      id: r.id,
      caseId: r.case_id,
      version: r.version,
      kind: r.kind,
      findings: r.findings,
      impression: r.impression,
      critical: r.critical,
      authorId: r.author_id,
      authorName: r.author_name,
      createdAt: isoNotNull(r.created_at),
    }));
  }

  /** The facts of a visible case, or not_found. */
  async requireVisible(actor: Actor, id: string): Promise<CaseFacts> {
    return this.facts(actor, id, '');
  }

  private async lockVisible(actor: Actor, id: string): Promise<CaseFacts> {
    return this.facts(actor, id, 'FOR UPDATE');
  }

  private async facts(actor: Actor, id: string, lock: string): Promise<CaseFacts> {
    const params: unknown[] = [id];
    const scope = caseVisibility(actor, params);
    const { rows } = await this.db.query<{
      id: string;
      state: CaseState;
      requesting_hospital_id: string;
      requesting_department_id: string;
      target_department_id: string | null;
      assigned_specialist_id: string | null;
      created_by: string;
    }>(
      `SELECT c.id, c.state, c.requesting_hospital_id, c.requesting_department_id, c.target_department_id,
              c.assigned_specialist_id, c.created_by
       FROM cases c WHERE c.id = $1 AND ${scope} ${lock}`,
      params,
    );
    const r = rows[0];
    if (!r) throw notFound(id);
    return {
      id: r.id,
      state: r.state,
      requestingHospitalId: r.requesting_hospital_id,
      requestingDepartmentId: r.requesting_department_id,
      targetDepartmentId: r.target_department_id,
      assignedSpecialistId: r.assigned_specialist_id,
      createdBy: r.created_by,
    };
  }

  private async requireSpecialist(userId: string, departmentId: string | null): Promise<void> {
    const { rows } = await this.db.query<{ department_id: string | null }>(
      `SELECT department_id FROM users WHERE id = $1 AND role = 'specialist' AND active`,
      [userId],
    );
    const user = rows[0];
    if (!user) {
      throw new AppError('validation_failed', 'the case can only go to an active specialist', [
        { field: 'specialistId', message: 'must be an active specialist' },
      ]);
    }
    if (departmentId && user.department_id !== departmentId) {
      throw new AppError('forbidden', "only specialists of the case's department can claim it");
    }
  }

  private async writeReport(caseId: string, authorId: string, report: ReportCreate): Promise<number> {
    const { rows } = await this.db.query<{ version: number }>(
      `INSERT INTO case_reports (case_id, version, kind, findings, impression, critical, author_id)
       SELECT $1, COALESCE(MAX(version), 0) + 1, $2, $3, $4, $5, $6 FROM case_reports WHERE case_id = $1
       RETURNING version`,
      [caseId, report.kind, report.findings, report.impression, report.critical ?? false, authorId],
    );
    return firstRow(rows).version;
  }

  private async writeHistory(
    caseId: string,
    action: string,
    from: CaseState | null,
    to: CaseState,
    actor: Actor,
    reason: string,
    details: Record<string, unknown>,
  ): Promise<void> {
    await this.db.query(
      `INSERT INTO case_history (case_id, action, from_state, to_state, actor_id, reason, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [caseId, action, from, to, recordedUserId(actor), reason, JSON.stringify(details)],
    );
  }
}

interface CommentRow {
  id: string;
  case_id: string;
  author_id: string;
  author_name: string;
  author_role: string;
  body: string;
  created_at: Date;
}

const COMMENT_SELECT = `SELECT m.*, u.display_name AS author_name, u.role AS author_role
  FROM case_comments m JOIN users u ON u.id = m.author_id`;

function toComment(r: CommentRow): CaseComment {
  return {
    id: r.id,
    caseId: r.case_id,
    authorId: r.author_id,
    authorName: r.author_name,
    authorRole: r.author_role,
    body: r.body,
    createdAt: isoNotNull(r.created_at),
  };
}

function notFound(id: string): AppError {
  return new AppError('not_found', `case ${id} was not found`);
}

function toCase(r: CaseRow): Case {
  return {
    id: r.id,
    state: r.state,
    urgency: r.urgency,
    patient: {
      id: r.patient_id,
      hospitalId: r.requesting_hospital_id,
      mrn: r.mrn,
      name: r.patient_name,
      sex: r.sex,
      birthDate: r.birth_date,
    },
    clinicalQuestion: r.clinical_question,
    clinicalHistory: r.clinical_history,
    modality: r.modality,
    bodyPart: r.body_part,
    studyInstanceUid: r.study_instance_uid,
    accessionNumber: r.accession_number,
    requestingHospitalId: r.requesting_hospital_id,
    requestingHospitalName: r.hospital_name,
    requestingDepartmentId: r.requesting_department_id,
    requestingDepartmentName: r.department_name,
    targetDepartmentId: r.target_department_id,
    assignedSpecialistId: r.assigned_specialist_id,
    assignedSpecialistName: r.specialist_name,
    createdBy: r.created_by,
    createdAt: isoNotNull(r.created_at),
    updatedAt: isoNotNull(r.updated_at),
    submittedAt: iso(r.submitted_at),
    assignedAt: iso(r.assigned_at),
    reviewStartedAt: iso(r.review_started_at),
    preliminaryAt: iso(r.preliminary_at),
    finalizedAt: iso(r.finalized_at),
    cancelledAt: iso(r.cancelled_at),
    routingDueAt: iso(r.routing_due_at),
    slaDueAt: iso(r.sla_due_at),
    routingDecision: r.routing_decision,
  };
}
