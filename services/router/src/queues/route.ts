import { QUEUES, RouteJob, routeJobIdentity } from '@telemed/contracts';
import type { RoutableCase } from '@telemed/db';
import { routeCase, type RoutingOutcome } from '@telemed/domain';
import type { Queue, Worker } from 'bullmq';
import {
  payload,
  startWorker,
  type QueueConnection,
  type RouterContext,
  type WorkerSettings,
} from './context.js';

/** Queues the routing round of a case that is due; adding the same round again is a no-op. */
export async function addRouteJob(queue: Queue<RouteJob>, c: RoutableCase, requestId: string): Promise<void> {
  await queue.add(
    QUEUES.route,
    { caseId: c.caseId, dueAt: c.routingDueAt.toISOString(), requestId },
    routeJobIdentity(c.caseId, c.routingDueAt, c.urgency),
  );
}

/** Runs one routing round: the domain's `routeCase` decides, assigns or pools, and writes what follows. */
export async function execRouteJob(ctx: RouterContext, data: unknown): Promise<RoutingOutcome> {
  const job = payload(RouteJob, data, QUEUES.route);
  return routeCase(ctx.domain, job.caseId, job.requestId, ctx.poolRetryMs);
}

/** The route worker: STAT rounds are taken first (priority), each case under its own row lock. */
export function initRouteWorker(ctx: RouterContext, at: QueueConnection, settings: WorkerSettings): Worker {
  return startWorker(QUEUES.route, (data) => execRouteJob(ctx, data), at, settings, ctx.log);
}
