import { PoolJob, QUEUES, SOCKET_EVENTS, departmentRoom } from '@telemed/contracts';
import type { Worker } from 'bullmq';
import {
  payload,
  startWorker,
  type QueueConnection,
  type RouterContext,
  type WorkerSettings,
} from './context.js';

/**
 * Tells a department's specialists, on whichever api replica they are connected to, that a case entered or left
 * their pool. Told twice after a crash at worst: a client only reads its worklist again.
 */
export function execPoolJob(ctx: RouterContext, data: unknown): Promise<string> {
  const { caseId, departmentId, state, urgency } = payload(PoolJob, data, QUEUES.pool);
  ctx.emitter
    .to(departmentRoom(departmentId))
    .emit(SOCKET_EVENTS.pool, { caseId, departmentId, state, urgency });
  return Promise.resolve(state === 'submitted' ? 'entered the pool' : 'left the pool');
}

/** The pool news worker. */
export function initPoolWorker(ctx: RouterContext, at: QueueConnection, settings: WorkerSettings): Worker {
  return startWorker(QUEUES.pool, (data) => execPoolJob(ctx, data), at, settings, ctx.log);
}
