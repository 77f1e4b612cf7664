import { QUEUES, StudyStableJob } from '@telemed/contracts';
import type { Worker } from 'bullmq';
import {
  payload,
  startWorker,
  type QueueConnection,
  type RouterContext,
  type WorkerSettings,
} from './context.js';
import { addRouteJob } from './route.js';

/**
 * A study stopped receiving instances. If its case is submitted and due, its routing round is queued; a study with
 * no case yet waits: submitting the case queues the round then.
 */
export async function execStudyStableJob(ctx: RouterContext, data: unknown): Promise<string> {
  const job = payload(StudyStableJob, data, QUEUES.studyStable);
  if (!job.caseId) return 'no case names this study yet';
  const [due] = await ctx.db.dispatch.dueForRouting(1, job.caseId);
  if (!due) return 'its case is not waiting to be routed';
  await addRouteJob(ctx.queues.route, due, job.requestId);
  return 'routing queued';
}

/** The study-stable worker. */
export function initStudyStableWorker(
  ctx: RouterContext,
  at: QueueConnection,
  settings: WorkerSettings,
): Worker {
  return startWorker(QUEUES.studyStable, (data) => execStudyStableJob(ctx, data), at, settings, ctx.log);
}
