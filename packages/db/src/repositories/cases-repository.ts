import {
  AppError,
  type Case,
  type CaseHistoryEntry,
  type CaseListQuery,
  type CasePage,
  type CaseParties,
  type CaseState,
  type PriorStudy,
  type RoutingDecision,
  type Urgency,
  type WorklistItem,
  type WorklistQuery,
} from '@telemed/contracts';
import { recordedUserId, type Actor } from '../actor.js';
import { caseVisibility } from '../case-scope.js';
import type { Queryable } from '../pool.js';
import { decodeCursor, encodeCursor, firstRow, iso, isoNotNull } from '../rows.js';

/** The facts about a case that decide who may act on it, as its row holds them. */
export interface CaseFacts extends CaseParties {
  id: string;
  secondOpinionSpecialistId: string | null;
  urgency: Urgency;
  patientId: string;
  studyInstanceUid: string | null;
  createdBy: string;
}

/** A new draft case's row. */
export interface NewCase {
  patientId: string;
  hospitalId: string;
  departmentId: string;
  createdBy: string;
  urgency: Urgency;
  clinicalQuestion: string;
  clinicalHistory: string;
  modality: string | null;
  bodyPart: string | null;
  studyInstanceUid: string | null;
  accessionNumber: string | null;
}

/** What one state change writes to a case's row. */
export interface CaseChange {
  state: CaseState;
  /** stamp the time the case reached `state` (assigned_at, finalized_at...) */
  stamp: boolean;
  targetDepartmentId?: string;
  /** a specialist now holds the case; null: nobody does (its assignment and review times are cleared) */
  assignedSpecialistId?: string | null;
  /** when the router next tries to assign the case, from now; null: it is not waiting to be routed */
  routeInMs?: number | null;
  /** start the SLA clock of a new assignment (minutes agreed with the requesting hospital), or clear it */
  sla?: 'start' | 'clear';
  routingDecision?: RoutingDecision;
}

/** The case's timers after a change: what its follow-up jobs are keyed by. */
export interface CaseTimers {
  urgency: Urgency;
  routingDueAt: Date | null;
  slaDueAt: Date | null;
}

/** One row of a case's history. */
export interface HistoryRow {
  caseId: string;
  action: string;
  from: CaseState | null;
  to: CaseState;
  actor: Pick<Actor, 'userId' | 'system'>;
  reason: string;
  details: Record<string, unknown>;
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
  second_opinion_specialist_id: string | null;
  critical_open: boolean;
}

// the specialist of the case's open second-opinion request, if any
const SECOND_READER = `(SELECT so.specialist_id FROM second_opinions so
    WHERE so.case_id = c.id AND so.answered_at IS NULL AND so.withdrawn_at IS NULL) AS second_opinion_specialist_id`;

const CASE_COLUMNS = `c.*, p.mrn, p.name AS patient_name, p.sex, p.birth_date,
         h.name AS hospital_name, d.name AS department_name, s.display_name AS specialist_name,
         ${SECOND_READER},
         EXISTS (SELECT 1 FROM critical_findings cf WHERE cf.case_id = c.id AND cf.acknowledged_at IS NULL)
           AS critical_open`;
const CASE_FROM = `
  FROM cases c
  JOIN patients p ON p.id = c.patient_id
  JOIN hospitals h ON h.id = c.requesting_hospital_id
  JOIN departments d ON d.id = c.requesting_department_id
  LEFT JOIN users s ON s.id = c.assigned_specialist_id`;
const CASE_SELECT = `SELECT ${CASE_COLUMNS} ${CASE_FROM}`;

// The timestamp column each state stamps.
const STAMP: Partial<Record<CaseState, string>> = {
  submitted: 'submitted_at',
  assigned: 'assigned_at',
  in_review: 'review_started_at',
  preliminary: 'preliminary_at',
  final: 'finalized_at',
  cancelled: 'cancelled_at',
};

// The requesting hospital's agreed time to a first report, by urgency.
const SLA_FROM_NOW = `sla_due_at = date_trunc('milliseconds', now()) + make_interval(mins => (
    SELECT CASE cases.urgency WHEN 'stat' THEN h.sla_stat_minutes WHEN 'urgent' THEN h.sla_urgent_minutes
                              ELSE h.sla_routine_minutes END
    FROM hospitals h WHERE h.id = cases.requesting_hospital_id))`;

/**
 * Consultation cases: their rows, their history and their listing. Reads that take an actor apply `caseVisibility`,
 * so a case the actor may not see is simply absent. Storage only: what is legal and who may do it is decided by the
 * use cases in the domain layer. Methods that write expect to run inside a transaction.
 */
export class CasesRepository {
  constructor(private readonly db: Queryable) {}

  /** Inserts a draft case; its id. */
  async insert(c: NewCase): Promise<string> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO cases (patient_id, requesting_hospital_id, requesting_department_id, created_by, urgency,
                          clinical_question, clinical_history, modality, body_part, study_instance_uid, accession_number)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
      [
        c.patientId,
        c.hospitalId,
        c.departmentId,
        c.createdBy,
        c.urgency,
        c.clinicalQuestion,
        c.clinicalHistory,
        c.modality,
        c.bodyPart,
        c.studyInstanceUid,
        c.accessionNumber,
      ],
    );
    return firstRow(rows).id;
  }

  /**
   * Links a study that arrived before its case (same hospital, by Study Instance UID or else accession number) and
   * names it on the case; the UID linked, or null.
   */
  async linkArrivedStudy(
    caseId: string,
    hospitalId: string,
    studyInstanceUid: string | null,
    accessionNumber: string | null,
  ): Promise<string | null> {
    const { rows } = await this.db.query<{ study_instance_uid: string }>(
      `UPDATE dicom_studies SET case_id = $1
       WHERE hospital_id = $2 AND case_id IS NULL
         AND (study_instance_uid = $3 OR ($3::text IS NULL AND $4::text IS NOT NULL AND accession_number = $4))
       RETURNING study_instance_uid`,
      [caseId, hospitalId, studyInstanceUid, accessionNumber],
    );
    const study = rows[0];
    if (study && !studyInstanceUid) {
      await this.db.query('UPDATE cases SET study_instance_uid = $2 WHERE id = $1', [
        caseId,
        study.study_instance_uid,
      ]);
    }
    return study?.study_instance_uid ?? null;
  }

  /** Names a study of the case's hospital on the case, and the case on the study. */
  async linkStudy(caseId: string, hospitalId: string, studyInstanceUid: string): Promise<void> {
    await this.db.query('UPDATE cases SET study_instance_uid = $2, updated_at = now() WHERE id = $1', [
      caseId,
      studyInstanceUid,
    ]);
    await this.db.query(
      'UPDATE dicom_studies SET case_id = $1 WHERE study_instance_uid = $2 AND hospital_id = $3',
      [caseId, studyInstanceUid, hospitalId],
    );
  }

  /** One case as `actor` sees it, or null when it does not exist for them. */
  async find(actor: Actor, id: string): Promise<Case | null> {
    const params: unknown[] = [id];
    const scope = caseVisibility(actor, params);
    const { rows } = await this.db.query<CaseRow>(`${CASE_SELECT} WHERE c.id = $1 AND ${scope}`, params);
    const row = rows[0];
    return row ? toCase(row) : null;
  }

  /** Visible cases, newest first (or in worklist order), filtered, with keyset pagination. */
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

  /** The facts of a case `actor` sees, or null. */
  async facts(actor: Actor, id: string): Promise<CaseFacts | null> {
    return this.readFacts(actor, id, '');
  }

  /** The facts of a case `actor` sees, its row locked until the transaction ends; null when not visible. */
  async lockFacts(actor: Actor, id: string): Promise<CaseFacts | null> {
    return this.readFacts(actor, id, 'FOR UPDATE OF c');
  }

  private async readFacts(actor: Actor, id: string, lock: string): Promise<CaseFacts | null> {
    const params: unknown[] = [id];
    const scope = caseVisibility(actor, params);
    const { rows } = await this.db.query<{
      id: string;
      state: CaseState;
      urgency: Urgency;
      patient_id: string;
      study_instance_uid: string | null;
      requesting_hospital_id: string;
      requesting_department_id: string;
      target_department_id: string | null;
      assigned_specialist_id: string | null;
      created_by: string;
      second_opinion_specialist_id: string | null;
    }>(
      `SELECT c.id, c.state, c.urgency, c.patient_id, c.study_instance_uid, c.requesting_hospital_id,
              c.requesting_department_id, c.target_department_id, c.assigned_specialist_id, c.created_by,
              ${SECOND_READER}
       FROM cases c WHERE c.id = $1 AND ${scope} ${lock}`,
      params,
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      state: r.state,
      urgency: r.urgency,
      patientId: r.patient_id,
      studyInstanceUid: r.study_instance_uid,
      requestingHospitalId: r.requesting_hospital_id,
      requestingDepartmentId: r.requesting_department_id,
      targetDepartmentId: r.target_department_id,
      assignedSpecialistId: r.assigned_specialist_id,
      secondOpinionSpecialistId: r.second_opinion_specialist_id,
      createdBy: r.created_by,
    };
  }

  /** Writes a state change to the case's row; the timers it leaves. */
  async change(id: string, change: CaseChange): Promise<CaseTimers> {
    const sets: string[] = ['state = $2', 'updated_at = now()'];
    const params: unknown[] = [id, change.state];
    const set = (column: string, value: unknown): void => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    const stamp = STAMP[change.state];
    if (change.stamp && stamp) sets.push(`${stamp} = now()`);
    if (change.targetDepartmentId !== undefined) set('target_department_id', change.targetDepartmentId);
    if (change.assignedSpecialistId !== undefined) {
      set('assigned_specialist_id', change.assignedSpecialistId);
      if (change.assignedSpecialistId === null) sets.push('assigned_at = NULL', 'review_started_at = NULL');
    }
    if (change.routeInMs === null) sets.push('routing_due_at = NULL');
    if (typeof change.routeInMs === 'number') {
      // millisecond precision: job ids carry these instants through JavaScript and must compare equal afterwards
      params.push(change.routeInMs);
      sets.push(
        `routing_due_at = date_trunc('milliseconds', now()) + $${params.length}::integer * interval '1 millisecond'`,
      );
    }
    if (change.sla === 'start') sets.push(SLA_FROM_NOW, 'sla_escalated_at = NULL');
    if (change.sla === 'clear') sets.push('sla_due_at = NULL', 'sla_escalated_at = NULL');
    if (change.routingDecision) set('routing_decision', JSON.stringify(change.routingDecision));
    const { rows } = await this.db.query<{
      urgency: Urgency;
      routing_due_at: Date | null;
      sla_due_at: Date | null;
    }>(
      `UPDATE cases SET ${sets.join(', ')} WHERE id = $1 RETURNING urgency, routing_due_at, sla_due_at`,
      params,
    );
    const r = firstRow(rows);
    return { urgency: r.urgency, routingDueAt: r.routing_due_at, slaDueAt: r.sla_due_at };
  }

  /** Appends a row to a case's history; the row's id. */
  async writeHistory(h: HistoryRow): Promise<string> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO case_history (case_id, action, from_state, to_state, actor_id, reason, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
      [h.caseId, h.action, h.from, h.to, recordedUserId(h.actor), h.reason, JSON.stringify(h.details)],
    );
    return firstRow(rows).id;
  }

  /**
   * One part of a specialist's worklist, filtered: the open cases `actor` holds (`mine`), the submitted cases
   * waiting in their department's pool (`pool`), or the cases with a second-opinion request open to them
   * (`second_opinions`); most urgent first, each with the patient's other cases the actor sees counted beside it. Up
   * to `limit` cases.
   */
  async worklist(
    actor: Actor,
    part: 'mine' | 'pool' | 'second_opinions',
    q: WorklistQuery,
    limit: number,
  ): Promise<WorklistItem[]> {
    const params: unknown[] = [];
    const where = [caseVisibility(actor, params)];
    const priorScope = caseVisibility(actor, params, 'pc');
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (part === 'mine') {
      add('c.assigned_specialist_id = ?', actor.userId);
      where.push(`c.state IN ('assigned', 'in_review', 'preliminary')`);
    } else if (part === 'second_opinions') {
      add(
        `EXISTS (SELECT 1 FROM second_opinions so WHERE so.case_id = c.id AND so.specialist_id = ?
           AND so.answered_at IS NULL AND so.withdrawn_at IS NULL)`,
        actor.userId,
      );
    } else {
      // a user of no department has no pool
      add('c.target_department_id = ?', actor.departmentId);
      where.push(`c.state = 'submitted'`);
    }
    if (q.state?.length) add('c.state = ANY(?::case_state[])', q.state);
    if (q.urgency?.length) add('c.urgency = ANY(?::case_urgency[])', q.urgency);
    if (q.modality?.length) add('c.modality = ANY(?::text[])', q.modality);
    if (q.hospitalId) add('c.requesting_hospital_id = ?', q.hospitalId);
    if (q.q) {
      // full-width letters and digits typed on a Chinese keyboard match their ASCII forms
      const pattern = `%${q.q.normalize('NFKC').replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
      add('(normalize(p.name, NFKC) ILIKE ? OR normalize(p.mrn, NFKC) ILIKE ?)', pattern);
    }
    params.push(limit);
    const order =
      part === 'pool'
        ? 'c.urgency, c.submitted_at NULLS LAST, c.created_at, c.id'
        : 'c.urgency, c.sla_due_at NULLS LAST, c.created_at, c.id';
    const { rows } = await this.db.query<CaseRow & { prior_count: string; prior_latest: Date | null }>(
      `SELECT ${CASE_COLUMNS}, pr.prior_count, pr.prior_latest ${CASE_FROM}
       CROSS JOIN LATERAL (
         SELECT count(*) AS prior_count, max(pc.created_at) AS prior_latest FROM cases pc
         WHERE pc.patient_id = c.patient_id AND pc.id <> c.id AND ${priorScope}) pr
       WHERE ${where.join(' AND ')} ORDER BY ${order} LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => ({
      ...toCase(r),
      priors: { count: Number(r.prior_count), latestAt: iso(r.prior_latest) },
    }));
  }

  /** The same patient's other cases that `actor` sees, newest first (up to 100). */
  async priors(actor: Actor, id: string): Promise<Case[]> {
    const params: unknown[] = [id];
    const scope = caseVisibility(actor, params);
    const { rows } = await this.db.query<CaseRow>(
      `${CASE_SELECT}
       WHERE c.patient_id = (SELECT patient_id FROM cases WHERE id = $1) AND c.id <> $1 AND ${scope}
       ORDER BY c.created_at DESC, c.id DESC LIMIT 100`,
      params,
    );
    return rows.map(toCase);
  }

  /**
   * The studies in the archive of the same patient's other cases that `actor` sees, newest study first (up to 50):
   * what a reader opens beside the study they read. A case whose study has not arrived is left out.
   */
  async priorStudies(actor: Actor, id: string): Promise<PriorStudy[]> {
    const params: unknown[] = [id];
    const scope = caseVisibility(actor, params);
    const { rows } = await this.db.query<{
      case_id: string;
      case_state: CaseState;
      study_instance_uid: string;
      study_date: string;
      study_description: string;
      modalities: string[];
      body_part: string | null;
      series_count: number;
      instance_count: number;
    }>(
      `SELECT c.id AS case_id, c.state AS case_state, s.study_instance_uid, s.study_date, s.study_description,
              s.modalities, c.body_part, s.series_count, s.instance_count
       FROM cases c
       JOIN dicom_studies s ON s.study_instance_uid = c.study_instance_uid AND s.hospital_id = c.requesting_hospital_id
       WHERE c.patient_id = (SELECT patient_id FROM cases WHERE id = $1) AND c.id <> $1 AND ${scope}
         AND s.study_instance_uid <> COALESCE((SELECT study_instance_uid FROM cases WHERE id = $1), '')
       ORDER BY s.study_date DESC, s.study_time DESC, c.created_at DESC LIMIT 50`,
      params,
    );
    return rows.map((r) => ({
      caseId: r.case_id,
      caseState: r.case_state,
      studyInstanceUid: r.study_instance_uid,
      studyDate: r.study_date,
      studyDescription: r.study_description,
      modalities: r.modalities,
      bodyPart: r.body_part,
      seriesCount: r.series_count,
      instanceCount: r.instance_count,
    }));
  }

  /** The history of a case, oldest first. */
  async history(id: string): Promise<CaseHistoryEntry[]> {
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
    secondOpinionSpecialistId: r.second_opinion_specialist_id,
    criticalOpen: r.critical_open,
  };
}
