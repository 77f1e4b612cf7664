import {
  AppError,
  type AuditEvent,
  type AuditOutcome,
  type AuditPage,
  type AuditQuery,
} from '@telemed/contracts';
import { recordedUserId, type Actor, type RequestOrigin } from '../actor.js';
import type { Queryable } from '../pool.js';
import { isoNotNull } from '../rows.js';

/** One audit event to record. */
export interface AuditRecord {
  actor: Pick<Actor, 'userId' | 'username' | 'role' | 'system'> | null;
  action: string;
  resourceType: string;
  resourceId: string | null;
  hospitalId?: string | null;
  outcome: AuditOutcome;
  origin: RequestOrigin;
  details?: Record<string, unknown>;
}

interface AuditRow {
  id: string;
  at: Date;
  actor_id: string | null;
  actor_username: string;
  actor_role: string;
  action: string;
  resource_type: string;
  resource_id: string | null;
  hospital_id: string | null;
  outcome: AuditOutcome;
  ip: string;
  user_agent: string;
  request_id: string;
  details: Record<string, unknown>;
}

/**
 * The audit trail: append-only, queried by admins. Postgres chains each event to the one before as its transaction
 * commits (migration 0006); `verifyAuditChain` checks the chain.
 */
export class AuditRepository {
  constructor(private readonly db: Queryable) {}

  /** Appends one event. */
  async record(event: AuditRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO audit_events
         (actor_id, actor_username, actor_role, action, resource_type, resource_id, hospital_id, outcome,
          ip, user_agent, request_id, details)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
      [
        event.actor ? recordedUserId(event.actor) : null,
        event.actor?.username ?? '',
        event.actor?.system ? 'system' : (event.actor?.role ?? ''),
        event.action,
        event.resourceType,
        event.resourceId,
        event.hospitalId ?? null,
        event.outcome,
        event.origin.ip,
        event.origin.userAgent.slice(0, 500),
        event.origin.requestId,
        JSON.stringify(event.details ?? {}),
      ],
    );
  }

  /** Newest first, filtered, with keyset pagination. */
  async query(q: AuditQuery): Promise<AuditPage> {
    const params: unknown[] = [];
    const where: string[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      // every ? of one condition is the same value
      where.push(sql.replaceAll('?', `$${params.length}`));
    };
    if (q.actorId) add('actor_id = ?', q.actorId);
    if (q.userId) add(`(actor_id = ?::uuid OR (resource_type = 'user' AND resource_id = ?::text))`, q.userId);
    if (q.caseId) {
      add(
        `(resource_type = 'case' AND resource_id = ?::text
          OR action = 'case.list' AND details -> 'caseIds' @> jsonb_build_array(?::text)
          OR resource_type = 'study'
             AND resource_id IN (SELECT study_instance_uid FROM dicom_studies WHERE case_id = ?::uuid))`,
        q.caseId,
      );
    }
    if (q.patientMrn) {
      // the patient's cases at any hospital that keeps this record number, and the studies sent for them
      add(
        `(resource_type = 'case' AND resource_id IN (SELECT c.id::text FROM cases c JOIN patients p ON p.id = c.patient_id WHERE p.mrn = ?)
          OR action = 'case.list' AND EXISTS (
               SELECT 1 FROM jsonb_array_elements_text(details -> 'caseIds') shown (id)
               JOIN cases c ON c.id::text = shown.id JOIN patients p ON p.id = c.patient_id WHERE p.mrn = ?)
          OR resource_type = 'study' AND resource_id IN (SELECT study_instance_uid FROM dicom_studies WHERE patient_id = ?))`,
        q.patientMrn,
      );
    }
    if (q.action) add('action = ?', q.action);
    if (q.resourceType) add('resource_type = ?', q.resourceType);
    if (q.resourceId) add('resource_id = ?', q.resourceId);
    if (q.outcome) add('outcome = ?', q.outcome);
    if (q.from) add('at >= ?', q.from);
    if (q.to) add('at < ?', q.to);
    if (q.cursor) {
      if (!/^\d{1,19}$/.test(q.cursor)) {
        throw new AppError('bad_request', 'cursor is not valid: pass the nextCursor of the previous page');
      }
      add('id < ?', q.cursor);
    }
    const limit = q.limit ?? 50;
    params.push(limit + 1);
    const { rows } = await this.db.query<AuditRow>(
      `SELECT * FROM audit_events ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(toAuditEvent),
      nextCursor: rows.length > limit && last ? last.id : null,
    };
  }
}

function toAuditEvent(r: AuditRow): AuditEvent {
  return {
    id: r.id,
    at: isoNotNull(r.at),
    actorId: r.actor_id,
    actorUsername: r.actor_username,
    actorRole: r.actor_role,
    action: r.action,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    hospitalId: r.hospital_id,
    outcome: r.outcome,
    ip: r.ip,
    userAgent: r.user_agent,
    requestId: r.request_id,
    details: r.details,
  };
}
