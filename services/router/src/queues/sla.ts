import { QUEUES, SlaJob, slaJobIdentity, type Urgency } from '@telemed/contracts';
import { ROUTER_ACTOR, type NewNotification } from '@telemed/db';
import type { Queue, Worker } from 'bullmq';
import {
  payload,
  startWorker,
  type QueueConnection,
  type RouterContext,
  type WorkerSettings,
} from './context.js';
import { applyEffects, skipped, type Effects, type JobOutcome } from './effects.js';
import { caseLine } from './notification-text.js';

/** Sets the SLA timer of an assignment: a delayed job firing at `dueAt`; setting it twice sets one timer. */
export async function addSlaJob(
  queue: Queue<SlaJob>,
  caseId: string,
  dueAt: Date,
  urgency: Urgency,
  requestId: string,
): Promise<void> {
  await queue.add(
    QUEUES.sla,
    { caseId, dueAt: dueAt.toISOString(), requestId },
    slaJobIdentity(caseId, dueAt, urgency),
  );
}

/** Raised while the timer fired before the database's clock reached the due time: BullMQ retries it shortly. */
class NotYetDue extends Error {
  constructor(caseId: string) {
    super(`the SLA of case ${caseId} is not due yet by the database's clock`);
    this.name = 'NotYetDue';
  }
}

/**
 * An assignment's SLA ran out. Unless the case has been reported, released or reassigned since (the timer belongs to
 * one assignment), records the breach in the case history, pages the department heads, and reassigns the case to
 * the next eligible specialist (never one who held it before); when nobody else is eligible it stays, escalated.
 */
export async function execSlaJob(ctx: RouterContext, data: unknown): Promise<JobOutcome> {
  const job = payload(SlaJob, data, QUEUES.sla);
  const origin = { ip: '', userAgent: 'router', requestId: job.requestId };
  const effects = await ctx.db.transaction(async (tx): Promise<Effects> => {
    const c = await tx.dispatch.lock(job.caseId);
    if (!c) return skipped('the case does not exist');
    if (c.state !== 'assigned' && c.state !== 'in_review') return skipped(`the case is ${c.state}`);
    if (c.slaDueAt?.getTime() !== Date.parse(job.dueAt)) return skipped('the case was assigned again since');
    if (c.slaEscalatedAt) return skipped('already escalated');
    if (c.slaDueAt > c.now) throw new NotYetDue(c.id);

    await tx.dispatch.markEscalated(c.id);
    const before = await tx.cases.get(ROUTER_ACTOR, c.id);
    const late = `SLA breached: no report by ${c.slaDueAt.toISOString()} from ${before.assignedSpecialistName ?? 'the specialist'}`;
    await tx.cases.note(
      ROUTER_ACTOR,
      c.id,
      'sla_breach',
      late,
      { specialistId: c.assignedSpecialistId, dueAt: job.dueAt },
      origin,
    );
    const notes: NewNotification[] = [];
    const heads = c.targetDepartmentId ? await tx.dispatch.departmentHeads(c.targetDepartmentId) : [];
    const decision = await tx.routing.choose(c.id, c.now, c.previousHolders);
    const next = decision?.specialistId ?? null;
    for (const head of heads) {
      notes.push({
        userId: head,
        caseId: c.id,
        kind: 'case.sla_breached',
        page: true,
        title: `超时 ${caseLine(before)}`,
        body: next
          ? `${late}; reassigned: ${decision?.reason ?? ''}`
          : `${late}; nobody else eligible is on duty`,
      });
    }
    if (!decision || !next) {
      return {
        outcome: { outcome: 'escalated', reason: `${late}; nobody else eligible is on duty` },
        notify: await tx.notifications.add(notes),
        sla: null,
      };
    }
    const reassigned = await tx.cases.transition(ROUTER_ACTOR, c.id, 'reassign', {
      origin,
      authorize: () => undefined,
      specialistId: next,
      reason: `${late}; ${decision.reason}`,
      routingDecision: decision,
    });
    if (c.assignedSpecialistId) {
      notes.push({
        userId: c.assignedSpecialistId,
        caseId: c.id,
        kind: 'case.reassigned_away',
        page: false,
        title: `已转派 ${caseLine(before)}`,
        body: late,
      });
    }
    notes.push({
      userId: next,
      caseId: c.id,
      kind: 'case.assigned',
      page: true,
      title: `超时转派 ${caseLine(reassigned)}`,
      body: reassigned.clinicalQuestion,
    });
    return {
      outcome: { outcome: 'reassigned', reason: late, specialistId: next },
      notify: await tx.notifications.add(notes),
      sla: reassigned,
    };
  });
  await applyEffects(ctx, effects, job.requestId);
  return effects.outcome;
}

/** The SLA worker. */
export function initSlaWorker(ctx: RouterContext, at: QueueConnection, settings: WorkerSettings): Worker {
  return startWorker(QUEUES.sla, (data) => execSlaJob(ctx, data), at, settings, ctx.log);
}
