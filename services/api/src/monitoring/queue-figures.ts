import { ADMIN_ROOM, SOCKET_EVENTS, type QueueDepth, type QueueFigures } from '@telemed/contracts';
import type { FastifyInstance } from 'fastify';

/** The admin view's figures now: each queue's jobs by state, then the case figures from Postgres. */
export async function queueFigures(app: FastifyInstance, days = 7): Promise<QueueFigures> {
  const now = new Date();
  const queues = await Promise.all(
    app.queues.all.map(async (queue): Promise<QueueDepth> => {
      const counts = await queue.getJobCounts(
        'waiting',
        'prioritized',
        'active',
        'delayed',
        'failed',
        'completed',
      );
      return {
        queue: queue.name,
        waiting: counts.waiting ?? 0,
        prioritized: counts.prioritized ?? 0,
        active: counts.active ?? 0,
        delayed: counts.delayed ?? 0,
        failed: counts.failed ?? 0,
        completed: counts.completed ?? 0,
      };
    }),
  );
  return { at: now.toISOString(), queues, ...(await app.db.monitoring.figures(now, days)) };
}

/**
 * Sends the figures to the administrators connected to this replica every `intervalMs`, when there are any (each
 * replica serves its own sockets, so nobody gets them twice).
 */
export function broadcastQueueFigures(app: FastifyInstance, intervalMs: number): () => void {
  let running = false;
  const timer = setInterval(() => {
    const admins = app.io.of('/').adapter.rooms.get(ADMIN_ROOM)?.size ?? 0;
    if (!admins || running) return;
    running = true;
    queueFigures(app)
      .then((figures) => {
        app.io.local.to(ADMIN_ROOM).emit(SOCKET_EVENTS.queueFigures, figures);
      })
      .catch((error: unknown) => {
        app.log.warn({ err: error }, 'could not compute the queue figures');
      })
      .finally(() => {
        running = false;
      });
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
  };
}
