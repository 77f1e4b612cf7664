import { NotifyJob, QUEUES, SOCKET_EVENTS, notifyJobIdentity, userRoom } from '@telemed/contracts';
import { UnrecoverableError, type Queue, type Worker } from 'bullmq';
import {
  payload,
  startWorker,
  type QueueConnection,
  type RouterContext,
  type WorkerSettings,
} from './context.js';

/** Queues the delivery of notifications already written to the outbox. */
export async function addNotifyJobs(
  queue: Queue<NotifyJob>,
  notifications: { id: string; page: boolean }[],
  requestId: string,
): Promise<void> {
  if (!notifications.length) return;
  await queue.addBulk(
    notifications.map((n) => ({
      name: QUEUES.notify,
      data: { notificationId: n.id, requestId },
      opts: notifyJobIdentity(n.id, n.page),
    })),
  );
}

/**
 * Delivers one notification to its user's socket.io room, on whichever api replica they are connected to, then
 * stamps it delivered. Delivered twice after a crash between the two, at worst: clients keep notifications by id.
 */
export async function execNotifyJob(ctx: RouterContext, data: unknown): Promise<string> {
  const { notificationId } = payload(NotifyJob, data, QUEUES.notify);
  const notification = await ctx.db.notifications.get(notificationId);
  if (!notification) throw new UnrecoverableError(`notification ${notificationId} does not exist`);
  if (notification.deliveredAt) return 'already delivered';
  const deliveredAt = new Date().toISOString();
  ctx.emitter
    .to(userRoom(notification.userId))
    .emit(SOCKET_EVENTS.notification, { ...notification, deliveredAt });
  await ctx.db.notifications.markDelivered(notificationId);
  return 'delivered';
}

/** The notify worker. */
export function initNotifyWorker(ctx: RouterContext, at: QueueConnection, settings: WorkerSettings): Worker {
  return startWorker(QUEUES.notify, (data) => execNotifyJob(ctx, data), at, settings, ctx.log);
}
