import { ROUTER_ACTOR, type CaseChange, type CaseFacts, type CaseTimers } from '@telemed/db';
import type { Case, CaseAction, CaseState, RoutingDecision } from '@telemed/contracts';
import { recordCaseEvent } from '../case-events.js';
import type { Work } from '../context.js';
import { poolNews, scheduleCaseTimers } from '../follow-ups.js';
import { caseNotFound, requireLegal } from '../policy.js';
import { announceAccepted } from './case-news.js';

/** The case `id` as the caller sees it, its row locked until the use case ends; `not_found` when not visible. */
export async function lockCase(work: Work, id: string): Promise<CaseFacts> {
  const c = await work.tx.cases.lockFacts(work.caller.actor, id);
  if (!c) throw caseNotFound(id);
  return c;
}

/** What one move writes besides the new state. */
export type Move = Omit<CaseChange, 'state' | 'stamp'>;

/**
 * Moves a locked case to `to` by `action` (legality and permission already decided by the use case): the row, the
 * history row and the audit event, and, when the case enters or leaves its department's pool, the news of it for
 * the department's specialists. Returns the case's facts after the move and the timers it left.
 */
export async function moveCase(
  work: Work,
  c: CaseFacts,
  action: CaseAction,
  to: CaseState,
  move: Move,
  event: { reason?: string; details?: Record<string, unknown> } = {},
): Promise<{ facts: CaseFacts; timers: CaseTimers }> {
  // an addendum keeps the time the report was first made final
  const timers = await work.tx.cases.change(c.id, { ...move, state: to, stamp: action !== 'addendum' });
  const historyId = await recordCaseEvent(work, c, { action, to, ...event });
  const facts: CaseFacts = {
    ...c,
    state: to,
    ...(move.targetDepartmentId === undefined ? {} : { targetDepartmentId: move.targetDepartmentId }),
    ...(move.assignedSpecialistId === undefined ? {} : { assignedSpecialistId: move.assignedSpecialistId }),
  };
  const pool = facts.targetDepartmentId;
  if (pool && (c.state === 'submitted') !== (to === 'submitted')) {
    poolNews(work, historyId, { caseId: c.id, departmentId: pool, state: to, urgency: c.urgency });
  }
  return { facts, timers };
}

/**
 * The case after a use case changed it, as it now stands. Read without the caller's visibility: someone who just
 * handed a case on may no longer see it, but is owed the answer to what they did.
 */
export async function caseAfter(work: Work, id: string): Promise<Case> {
  const c = await work.tx.cases.find(ROUTER_ACTOR, id);
  if (!c) throw caseNotFound(id);
  return c;
}

/**
 * A submitted case goes to a specialist (assigned by an administrator or the router, or claimed): the SLA clock of
 * the assignment starts and its timer goes to the outbox.
 */
export async function holdBy(
  work: Work,
  c: CaseFacts,
  action: 'assign' | 'claim',
  specialistId: string,
  why: { reason?: string; routingDecision?: RoutingDecision } = {},
): Promise<void> {
  const to = requireLegal(c.state, action);
  const { timers } = await moveCase(
    work,
    c,
    action,
    to,
    {
      assignedSpecialistId: specialistId,
      routeInMs: null,
      sla: 'start',
      ...(why.routingDecision ? { routingDecision: why.routingDecision } : {}),
    },
    { ...(why.reason ? { reason: why.reason } : {}), details: { specialistId } },
  );
  scheduleCaseTimers(work, c.id, to, timers);
  await announceAccepted(work, await caseAfter(work, c.id));
}

/**
 * The case's holder lets it go, back to submitted (by `reassign`, or by `release` when the holder hands it back
 * themselves): its SLA clock stops, and the router tries it again after `routeInMs` (null: not at all, the case is
 * handed straight on). Returns the case as it now stands.
 */
export async function releaseFrom(
  work: Work,
  c: CaseFacts,
  reason: string,
  routeInMs: number | null,
  routingDecision?: RoutingDecision,
  action: 'reassign' | 'release' = 'reassign',
): Promise<{ facts: CaseFacts; timers: CaseTimers }> {
  return moveCase(
    work,
    c,
    action,
    requireLegal(c.state, action),
    { assignedSpecialistId: null, sla: 'clear', routeInMs, ...(routingDecision ? { routingDecision } : {}) },
    { reason, details: { previousSpecialistId: c.assignedSpecialistId } },
  );
}
