import {
  JOB_DEFAULTS,
  QUEUES,
  routeJobIdentity,
  slaJobIdentity,
  type Case,
  type NotifyJob,
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
  /** every queue, for the admin view */
  all: Queue[];
  /**
   * Queues what a case change sets in motion: its routing round while it waits in the pool, the SLA timer of a new
   * assignment. Never fails the request: the change is committed, and the router's sweep finds from Postgres any
   * work this could not queue.
   */
  followUp(c: Case, requestId: string): Promise<void>;
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
    const all = [studyStable, route, sla, notify] as Queue[];

    async function followUp(c: Case, requestId: string): Promise<void> {
      try {
        if (c.state === 'submitted' && c.routingDueAt) {
          const dueAt = new Date(c.routingDueAt);
          await route.add(
            QUEUES.route,
            { caseId: c.id, dueAt: c.routingDueAt, requestId },
            routeJobIdentity(c.id, dueAt, c.urgency),
          );
        }
        if ((c.state === 'assigned' || c.state === 'in_review') && c.slaDueAt) {
          const dueAt = new Date(c.slaDueAt);
          await sla.add(
            QUEUES.sla,
            { caseId: c.id, dueAt: c.slaDueAt, requestId },
            slaJobIdentity(c.id, dueAt, c.urgency),
          );
        }
      } catch (error) {
        app.log.warn({ err: error, caseId: c.id }, 'could not queue the follow-up; the router sweep will');
      }
    }

    app.decorate('queues', { studyStable, route, sla, notify, all, followUp });
    app.addHook('onClose', async () => {
      await Promise.all(all.map((q) => q.close()));
      await connection.quit();
    });
  },
  { name: 'queues' },
);
