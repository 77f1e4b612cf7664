import { relayOutbox } from '@telemed/domain';
import type { RouterContext } from './queues/context.js';
import { newRequestId } from './queues/context.js';
import { addCriticalJob } from './queues/critical.js';
import { addNotifyJobs } from './queues/notify.js';
import { addRouteJob } from './queues/route.js';
import { addSlaJob } from './queues/sla.js';

/** What one sweep found in Postgres and (re)queued. */
export interface SweepResult {
  relayed: number;
  routing: number;
  overdue: number;
  undelivered: number;
  /** critical findings nobody acknowledged whose escalation is due */
  critical: number;
}

const BATCH = 500;
// a notification written this long ago and still undelivered lost its job
const UNDELIVERED_AFTER_MS = 10_000;
// an outbox row this old was not relayed by the process that wrote it (it crashed, or Redis was away)
const UNRELAYED_AFTER_MS = 5_000;

/**
 * Postgres is the record; Redis only carries work. A sweep relays the outbox rows their writer could not, then
 * queues every piece of work the record says is due: routing rounds due (a pooled case's retry, a job lost with Redis, a study whose event went missing), assignments
 * past their SLA, notifications never delivered, and escalations of critical findings nobody acknowledged. Job ids make re-adding work already queued a no-op, so sweeps
 * from several router processes at once are harmless.
 */
export async function sweep(ctx: RouterContext): Promise<SweepResult> {
  const requestId = newRequestId();
  const relayed = await relayOutbox(ctx.domain, null, UNRELAYED_AFTER_MS);
  const routing = await ctx.db.dispatch.dueForRouting(BATCH);
  for (const c of routing) await addRouteJob(ctx.queues.route, c, requestId);
  const overdue = await ctx.db.dispatch.overdue(BATCH);
  for (const o of overdue) await addSlaJob(ctx.queues.sla, o.caseId, o.slaDueAt, o.urgency, requestId);
  const undelivered = await ctx.db.notifications.undelivered(UNDELIVERED_AFTER_MS, BATCH);
  await addNotifyJobs(ctx.queues.notify, undelivered, requestId);
  const critical = await ctx.db.critical.due(BATCH);
  for (const due of critical) await addCriticalJob(ctx.queues.critical, due, requestId);
  return {
    relayed,
    routing: routing.length,
    overdue: overdue.length,
    undelivered: undelivered.length,
    critical: critical.length,
  };
}
