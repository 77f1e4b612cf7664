import { Emitter } from '@socket.io/redis-emitter';
import { QUEUES, type ServerToClientEvents } from '@telemed/contracts';
import { createDatabase, createPool } from '@telemed/db';
import type { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import {
  openQueue,
  type QueueConnection,
  type RouterContext,
  type RouterQueues,
  type WorkerSettings,
} from './queues/context.js';
import { initCriticalWorker } from './queues/critical.js';
import { initNotifyWorker } from './queues/notify.js';
import { initPoolWorker } from './queues/pool.js';
import { initRouteWorker } from './queues/route.js';
import { initSlaWorker } from './queues/sla.js';
import { initStudyStableWorker } from './queues/study-stable.js';
import { sweep, type SweepResult } from './sweep.js';

/** What a router process needs. */
export interface RouterOptions {
  databaseUrl: string;
  pgPoolMax: number;
  redisUrl: string;
  /** the api's key prefix: queues live under `${prefix}bull`, the socket.io channel under `${prefix}socket.io` */
  redisKeyPrefix: string;
  workers: WorkerSettings;
  /** 0: no periodic sweep (benchmarks drive the queues themselves) */
  sweepIntervalMs: number;
  poolRetryMs: number;
  log: Logger;
}

/**
 * The router process: workers on the study-stable, route, sla, notify and critical queues, and the sweep that re-queues from
 * Postgres whatever work Redis lost. Several routers may run on the same queues.
 */
export class Router {
  readonly context: RouterContext;
  readonly #workers: Worker[];
  readonly #redis: Redis;
  readonly #publisher: Redis;
  readonly #log: Logger;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<unknown> | undefined;
  #closed: Promise<void> | undefined;

  private constructor(context: RouterContext, workers: Worker[], redis: Redis, publisher: Redis) {
    this.context = context;
    this.#workers = workers;
    this.#redis = redis;
    this.#publisher = publisher;
    this.#log = context.log;
  }

  /** Connects, starts every worker and the periodic sweep. */
  static start(options: RouterOptions): Router {
    const { log } = options;
    // BullMQ takes ioredis options, which have no `url`: it gets a connection made from the URL
    const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    redis.on('error', (error: Error) => {
      log.warn({ err: error }, 'redis connection error');
    });
    const publisher = new Redis(options.redisUrl, { maxRetriesPerRequest: null });
    publisher.on('error', (error: Error) => {
      log.warn({ err: error }, 'redis connection error (socket.io publisher)');
    });
    const at: QueueConnection = { connection: redis, prefix: `${options.redisKeyPrefix}bull` };
    const queues: RouterQueues = {
      route: openQueue(QUEUES.route, at, log),
      sla: openQueue(QUEUES.sla, at, log),
      notify: openQueue(QUEUES.notify, at, log),
      critical: openQueue(QUEUES.critical, at, log),
      pool: openQueue(QUEUES.pool, at, log),
    };
    const pool = createPool({
      connectionString: options.databaseUrl,
      max: options.pgPoolMax,
      applicationName: 'telemed-router',
    });
    const db = createDatabase(pool);
    const byName = {
      [QUEUES.route]: queues.route,
      [QUEUES.sla]: queues.sla,
      [QUEUES.notify]: queues.notify,
      [QUEUES.critical]: queues.critical,
      [QUEUES.pool]: queues.pool,
    };
    const context: RouterContext = {
      db,
      domain: {
        db,
        jobs: {
          add: async (queue, data, identity) => {
            if (queue === QUEUES.studyStable)
              throw new Error('the router does not produce study-stable events');
            await (byName[queue] as Queue).add(queue, data, identity);
          },
        },
        onRelayError: (error: unknown) => {
          log.warn({ err: error }, 'could not relay the outbox at once; the sweep will');
        },
      },
      queues,
      emitter: new Emitter<ServerToClientEvents>(publisher, { key: `${options.redisKeyPrefix}socket.io` }),
      log,
      poolRetryMs: options.poolRetryMs,
    };
    const workers = [
      initStudyStableWorker(context, at, options.workers),
      initRouteWorker(context, at, options.workers),
      initSlaWorker(context, at, options.workers),
      initNotifyWorker(context, at, options.workers),
      initCriticalWorker(context, at, options.workers),
      initPoolWorker(context, at, options.workers),
    ];
    const router = new Router(context, workers, redis, publisher);
    if (options.sweepIntervalMs > 0) router.#schedule(options.sweepIntervalMs);
    return router;
  }

  #schedule(intervalMs: number): void {
    const tick = (): void => {
      this.#sweeping = this.sweep()
        .then((found) => {
          if (found.relayed || found.routing || found.overdue || found.undelivered || found.critical)
            this.#log.info({ found }, 'sweep queued work');
        })
        .catch((error: unknown) => {
          this.#log.error({ err: error }, 'sweep failed; trying again next time');
        })
        .finally(() => {
          if (!this.#closed) this.#timer = setTimeout(tick, intervalMs);
        });
    };
    tick();
  }

  /** One sweep now. */
  sweep(): Promise<SweepResult> {
    return sweep(this.context);
  }

  /**
   * Stops taking jobs, lets the jobs under way finish (a job cut off by a kill is taken back by another worker once
   * its lock expires), then closes the queues and connections. Safe to call twice.
   */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      clearTimeout(this.#timer);
      await this.#sweeping;
      await Promise.all(this.#workers.map((w) => w.close()));
      const { queues } = this.context;
      await Promise.all([
        queues.route.close(),
        queues.sla.close(),
        queues.notify.close(),
        queues.critical.close(),
        queues.pool.close(),
      ]);
      await this.context.db.pool.end();
      await Promise.all([this.#redis.quit(), this.#publisher.quit()]);
    })();
    return this.#closed;
  }
}
