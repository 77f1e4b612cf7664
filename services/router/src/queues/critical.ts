import { CriticalJob, QUEUES, criticalJobIdentity, type CriticalStage } from '@telemed/contracts';
import { escalateCriticalFinding, type RoutingOutcome } from '@telemed/domain';
import type { Queue, Worker } from 'bullmq';
import {
  payload,
  startWorker,
  type QueueConnection,
  type RouterContext,
  type WorkerSettings,
} from './context.js';

/** Sets the escalation timer of one stage of a critical finding; setting it twice sets one timer. */
export async function addCriticalJob(
  queue: Queue<CriticalJob>,
  due: { criticalId: string; caseId: string; stage: CriticalStage; dueAt: Date },
  requestId: string,
): Promise<void> {
  await queue.add(
    QUEUES.critical,
    { ...due, dueAt: due.dueAt.toISOString(), requestId },
    criticalJobIdentity(due.criticalId, due.stage, due.dueAt),
  );
}

/**
 * A critical finding's escalation timer fired: the domain's `escalateCriticalFinding` tells the head or the
 * administrators unless someone acknowledged it. Fired before the database's clock reached the due time, it throws
 * and BullMQ retries it shortly.
 */
export async function execCriticalJob(ctx: RouterContext, data: unknown): Promise<RoutingOutcome> {
  const job = payload(CriticalJob, data, QUEUES.critical);
  return escalateCriticalFinding(ctx.domain, job.criticalId, job.stage, job.requestId);
}

/** The critical-finding worker. */
export function initCriticalWorker(
  ctx: RouterContext,
  at: QueueConnection,
  settings: WorkerSettings,
): Worker {
  return startWorker(QUEUES.critical, (data) => execCriticalJob(ctx, data), at, settings, ctx.log);
}
