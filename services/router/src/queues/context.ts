import { randomUUID } from 'node:crypto';
import type { Emitter } from '@socket.io/redis-emitter';
import {
  JOB_DEFAULTS,
  type CriticalJob,
  registerFormats,
  type NotifyJob,
  type PoolJob,
  type ServerToClientEvents,
  type QueueName,
  type RouteJob,
  type SlaJob,
} from '@telemed/contracts';
import type { Database } from '@telemed/db';
import type { Domain } from '@telemed/domain';
import { Queue, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import { Value } from '@sinclair/typebox/value';
import type { TSchema, Static } from '@sinclair/typebox';
import type { Logger } from 'pino';

/** The queues the router adds to. */
export interface RouterQueues {
  route: Queue<RouteJob>;
  sla: Queue<SlaJob>;
  notify: Queue<NotifyJob>;
  critical: Queue<CriticalJob>;
  pool: Queue<PoolJob>;
}

/** What every job of the router works with. */
export interface RouterContext {
  db: Database;
  /** the use cases' footing: the database, and the queues the outbox is relayed to */
  domain: Domain;
  queues: RouterQueues;
  /** publishes to the api's socket.io rooms through the Redis adapter's channel */
  emitter: Emitter<ServerToClientEvents>;
  log: Logger;
  /** how soon a case nobody could take is tried again */
  poolRetryMs: number;
}

/** Where BullMQ keeps its keys, and how it connects. */
export interface QueueConnection {
  connection: ConnectionOptions;
  prefix: string;
}

/** A producer for one queue, with the job options every producer of it uses. */
export function openQueue<T>(name: QueueName, at: QueueConnection, log: Logger): Queue<T> {
  const queue = new Queue<T>(name, {
    connection: at.connection,
    prefix: at.prefix,
    defaultJobOptions: JOB_DEFAULTS[name],
  });
  queue.on('error', (error: Error) => {
    log.warn({ err: error, queue: name }, 'queue connection error');
  });
  return queue;
}

registerFormats();

/** The payload if it matches its schema; otherwise an error BullMQ does not retry, naming what is wrong. */
export function payload<S extends TSchema>(schema: S, data: unknown, queue: QueueName): Static<S> {
  if (Value.Check(schema, data)) return data;
  const problems = [...Value.Errors(schema, data)].map((e) => `${e.path || '/'} ${e.message}`);
  throw new UnrecoverableError(`invalid ${queue} job: ${problems.join('; ')}`);
}

/** How a worker runs: jobs at once, and when a job whose worker died is taken back. */
export interface WorkerSettings {
  concurrency: number;
  /** a job whose lock is not renewed for this long is stalled */
  lockDuration: number;
  /** how often stalled jobs are looked for and put back */
  stalledInterval: number;
}

/** A worker for one queue, logging failures with their reason; failed jobs stay in the queue to be looked at. */
export function startWorker(
  name: QueueName,
  exec: (data: unknown, job: Job) => Promise<unknown>,
  at: QueueConnection,
  settings: WorkerSettings,
  log: Logger,
): Worker {
  const worker = new Worker(name, (job: Job) => exec(job.data, job), {
    connection: at.connection,
    prefix: at.prefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDuration,
    stalledInterval: settings.stalledInterval,
    // a job stalled twice is failed rather than retried forever
    maxStalledCount: 2,
  });
  worker.on('error', (error: Error) => {
    log.warn({ err: error, queue: name }, 'worker connection error');
  });
  worker.on('failed', (job: Job | undefined, error: Error) => {
    log.error({ err: error, queue: name, jobId: job?.id, attempts: job?.attemptsMade }, 'job failed');
  });
  return worker;
}

/** A request id for work the router starts itself. */
export const newRequestId = (): string => randomUUID();
