import { QUEUES, SlaJob, slaJobIdentity, type Urgency } from '@telemed/contracts';
import { escalateSla, type RoutingOutcome } from '@telemed/domain';
import type { Queue, Worker } from 'bullmq';
import {
  payload,
  startWorker,
  type QueueConnection,
  type RouterContext,
  type WorkerSettings,
} from './context.js';

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

/**
 * An assignment's SLA timer fired: the domain's `escalateSla` records the breach, pages the heads and reassigns.
 * Fired before the database's clock reached the due time, it throws and BullMQ retries it shortly.
 */
export async function execSlaJob(ctx: RouterContext, data: unknown): Promise<RoutingOutcome> {
  const job = payload(SlaJob, data, QUEUES.sla);
  return escalateSla(ctx.domain, job.caseId, job.dueAt, job.requestId);
}

/** The SLA worker. */
export function initSlaWorker(ctx: RouterContext, at: QueueConnection, settings: WorkerSettings): Worker {
  return startWorker(QUEUES.sla, (data) => execSlaJob(ctx, data), at, settings, ctx.log);
}
