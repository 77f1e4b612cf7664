import {
  JOB_DEFAULTS,
  QUEUES,
  type CriticalJob,
  type NotifyJob,
  type PoolJob,
  type QueueName,
  type RouteJob,
  type SlaJob,
  type StudyStableJob,
} from '@telemed/contracts';
import { Queue } from 'bullmq';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';

/** The router's queues as the api produces to them (and the admin view counts them). */
export interface ApiQueues {
  studyStable: Queue<StudyStableJob>;
  route: Queue<RouteJob>;
  sla: Queue<SlaJob>;
  notify: Queue<NotifyJob>;
  critical: Queue<CriticalJob>;
  pool: Queue<PoolJob>;
  /** every queue, for the admin view */
  all: Queue[];
  /** each queue by name, for relaying the outbox */
  byName: Record<QueueName, Queue>;
}

declare module 'fastify' {
  interface FastifyInstance {
    queues: ApiQueues;
  }
}

export interface QueuesOptions {
  url: string;
  /** BullMQ keeps its own prefix rather than the connection's */
  prefix: string;
}

/** The BullMQ producers, on their own connection (BullMQ takes ioredis options, which have no `url`). */
export default fp<QueuesOptions>(
  async (app, options) => {
    const connection = new Redis(options.url, { maxRetriesPerRequest: null });
    connection.on('error', (error: Error) => {
      app.log.warn({ err: error }, 'queue connection error');
    });
    const open = <T>(name: QueueName): Queue<T> => {
      const queue = new Queue<T>(name, {
        connection,
        prefix: options.prefix,
        defaultJobOptions: JOB_DEFAULTS[name],
      });
      queue.on('error', (error: Error) => {
        app.log.warn({ err: error, queue: name }, 'queue error');
      });
      return queue;
    };
    const studyStable = open<StudyStableJob>(QUEUES.studyStable);
    const route = open<RouteJob>(QUEUES.route);
    const sla = open<SlaJob>(QUEUES.sla);
    const notify = open<NotifyJob>(QUEUES.notify);
    const critical = open<CriticalJob>(QUEUES.critical);
    const pool = open<PoolJob>(QUEUES.pool);
    const all = [studyStable, route, sla, notify, critical, pool] as Queue[];

    const byName: Record<QueueName, Queue> = {
      [QUEUES.studyStable]: studyStable,
      [QUEUES.route]: route,
      [QUEUES.sla]: sla,
      [QUEUES.notify]: notify,
      [QUEUES.critical]: critical,
      [QUEUES.pool]: pool,
    } as Record<QueueName, Queue>;
    app.decorate('queues', { studyStable, route, sla, notify, critical, pool, all, byName });
    app.addHook('onClose', async () => {
      await Promise.all(all.map((q) => q.close()));
      await connection.quit();
    });
  },
  { name: 'queues' },
);
