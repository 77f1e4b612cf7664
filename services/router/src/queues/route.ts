import { QUEUES, RouteJob, routeJobIdentity } from '@telemed/contracts';
import { ROUTER_ACTOR, type NewNotification, type RoutableCase } from '@telemed/db';
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

/** Queues the routing round of a case that is due; adding the same round again is a no-op. */
export async function addRouteJob(queue: Queue<RouteJob>, c: RoutableCase, requestId: string): Promise<void> {
  await queue.add(
    QUEUES.route,
    { caseId: c.caseId, dueAt: c.routingDueAt.toISOString(), requestId },
    routeJobIdentity(c.caseId, c.routingDueAt, c.urgency),
  );
}

/**
 * Routes one case: under its row lock, re-reads it and does nothing unless it is still submitted, due and its study
 * ready (so a repeated or late job is harmless); decides by the rules, the roster and the load; assigns it, or
 * leaves it in the pool to be tried again; keeps the decision on the case and writes the notifications in the same
 * transaction. After commit, queues their delivery and the assignment's SLA timer.
 */
export async function execRouteJob(ctx: RouterContext, data: unknown): Promise<JobOutcome> {
  const job = payload(RouteJob, data, QUEUES.route);
  const effects = await ctx.db.transaction(async (tx): Promise<Effects> => {
    const c = await tx.dispatch.lock(job.caseId);
    if (!c) return skipped('the case does not exist');
    if (c.state !== 'submitted') return skipped(`the case is ${c.state}`);
    if (!c.routingDueAt || c.routingDueAt > c.now) return skipped('not due for routing');
    if (!c.studyReady) return skipped('its study is still arriving');
    const decision = await tx.routing.choose(c.id, c.now, c.previousHolders);
    if (!decision) return skipped('the case does not exist');
    const notes: NewNotification[] = [];
    if (!decision.specialistId) {
      await tx.dispatch.recordPooled(c.id, decision, new Date(c.now.getTime() + ctx.poolRetryMs));
      // the heads hear once that a case is waiting with nobody to take it
      if (!c.wasPooled && c.targetDepartmentId) {
        const current = await tx.cases.get(ROUTER_ACTOR, c.id);
        for (const head of await tx.dispatch.departmentHeads(c.targetDepartmentId)) {
          notes.push({
            userId: head,
            caseId: c.id,
            kind: 'case.pool',
            page: c.urgency === 'stat',
            title: `待认领 ${caseLine(current)}`,
            body: decision.reason,
          });
        }
      }
      return {
        outcome: { outcome: 'pool', reason: decision.reason },
        notify: await tx.notifications.add(notes),
        sla: null,
      };
    }
    const assigned = await tx.cases.transition(ROUTER_ACTOR, c.id, 'assign', {
      origin: { ip: '', userAgent: 'router', requestId: job.requestId },
      authorize: () => undefined,
      specialistId: decision.specialistId,
      reason: `${decision.ruleName}: ${decision.reason}`,
      routingDecision: decision,
    });
    notes.push({
      userId: decision.specialistId,
      caseId: c.id,
      kind: 'case.assigned',
      // STAT work pages: shown and sounded until acknowledged
      page: c.urgency === 'stat',
      title: `新病例 ${caseLine(assigned)}`,
      body: assigned.clinicalQuestion,
    });
    return {
      outcome: { outcome: 'assigned', reason: decision.reason, specialistId: decision.specialistId },
      notify: await tx.notifications.add(notes),
      sla: assigned,
    };
  });
  await applyEffects(ctx, effects, job.requestId);
  return effects.outcome;
}

/** The route worker: STAT rounds are taken first (priority), each case under its own row lock. */
export function initRouteWorker(ctx: RouterContext, at: QueueConnection, settings: WorkerSettings): Worker {
  return startWorker(QUEUES.route, (data) => execRouteJob(ctx, data), at, settings, ctx.log);
}
