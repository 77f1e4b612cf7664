import {
  QUEUES,
  notifyJobIdentity,
  poolJobIdentity,
  routeJobIdentity,
  slaJobIdentity,
  type CaseState,
  type JobIdentity,
  type QueueName,
  type Urgency,
} from '@telemed/contracts';
import type { CaseTimers, NewNotification, OutboxMessage } from '@telemed/db';
import type { Work } from './context.js';

function message(
  queue: QueueName,
  payload: Record<string, unknown>,
  identity: JobIdentity,
  runAt?: Date,
): OutboxMessage {
  return {
    queue,
    payload,
    jobId: identity.jobId,
    ...(identity.priority === undefined ? {} : { priority: identity.priority }),
    ...(runAt ? { runAt } : {}),
  };
}

/** The routing round of a case that began at `dueAt`. */
export function routeMessage(
  caseId: string,
  dueAt: Date,
  urgency: Urgency,
  requestId: string,
): OutboxMessage {
  const payload = { caseId, dueAt: dueAt.toISOString(), requestId };
  return message(QUEUES.route, payload, routeJobIdentity(caseId, dueAt, urgency), dueAt);
}

/** The SLA timer of the assignment whose report is due at `dueAt`. */
export function slaMessage(caseId: string, dueAt: Date, urgency: Urgency, requestId: string): OutboxMessage {
  const payload = { caseId, dueAt: dueAt.toISOString(), requestId };
  return message(QUEUES.sla, payload, slaJobIdentity(caseId, dueAt, urgency), dueAt);
}

/**
 * The jobs a case's new timers call for: its routing round while it waits in the pool, the SLA timer of a new
 * assignment. Each is keyed by the instant it belongs to, so the same round or timer queued twice runs once.
 */
export function scheduleCaseTimers(work: Work, caseId: string, state: CaseState, timers: CaseTimers): void {
  const { requestId } = work.caller.origin;
  if (state === 'submitted' && timers.routingDueAt) {
    work.later(routeMessage(caseId, timers.routingDueAt, timers.urgency, requestId));
  }
  if ((state === 'assigned' || state === 'in_review') && timers.slaDueAt) {
    work.later(slaMessage(caseId, timers.slaDueAt, timers.urgency, requestId));
  }
}

/**
 * The news that a case entered (`state` submitted) or left its department's pool, for the department's specialists;
 * keyed by the history row of the move, so the same news relayed twice is told once.
 */
export function poolNews(
  work: Work,
  historyId: string,
  news: { caseId: string; departmentId: string; state: CaseState; urgency: Urgency },
): void {
  const payload = { ...news, requestId: work.caller.origin.requestId };
  work.later(message(QUEUES.pool, payload, poolJobIdentity(historyId, news.urgency)));
}

/** Writes notifications, and their deliveries to the outbox. */
export async function notify(work: Work, notes: NewNotification[]): Promise<void> {
  const written = await work.tx.notifications.add(notes);
  for (const n of written) {
    const payload = { notificationId: n.id, requestId: work.caller.origin.requestId };
    work.later(message(QUEUES.notify, payload, notifyJobIdentity(n.id, n.page)));
  }
}
