import Fastify, { type FastifyInstance } from 'fastify';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { QueueName } from '@telemed/contracts';
import { createDatabase, createPool } from '@telemed/db';
import type { Domain } from '@telemed/domain';
import { turnUrls, workerCount, type VideoConfig } from './config.js';
import { ConsultServer } from './consult-server.js';
import { WorkerPool } from './workers.js';

/**
 * The video service: mediasoup workers, the consult signalling on socket.io, and `/healthz` and `/readyz` for the
 * launcher and the orchestrator. Follow-up work its use cases write (notifications) is relayed to the router's
 * queues like the api does.
 */
export class VideoService {
  readonly #closeRest: () => Promise<void>;

  private constructor(
    readonly http: Pick<FastifyInstance, 'server' | 'close'>,
    readonly consults: ConsultServer,
    readonly pool: WorkerPool,
    closeRest: () => Promise<void>,
  ) {
    this.#closeRest = closeRest;
  }

  static async start(config: VideoConfig, log: Logger): Promise<VideoService> {
    const pg = createPool({
      connectionString: config.DATABASE_URL,
      max: config.PG_POOL_MAX,
      applicationName: 'telemed-video',
    });
    const db = createDatabase(pg);
    const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: null });
    redis.on('error', (error: Error) => {
      log.warn({ err: error }, 'redis connection error');
    });
    const queues = new Map<QueueName, Queue>();
    const queue = (name: QueueName): Queue => {
      let q = queues.get(name);
      if (!q) {
        q = new Queue(name, { connection: redis, prefix: `${config.REDIS_KEY_PREFIX}bull` });
        queues.set(name, q);
      }
      return q;
    };
    const domain: Domain = {
      db,
      jobs: {
        add: async (name, payload, identity) => {
          await queue(name).add(name, payload, identity);
        },
      },
      onRelayError: (error: unknown) => {
        log.warn({ err: error }, 'could not queue the follow-up; the router sweep will');
      },
    };
    const closeRest = async (): Promise<void> => {
      await Promise.all([...queues.values()].map((q) => q.close()));
      redis.disconnect();
      await pg.end();
    };
    let pool: WorkerPool | undefined;
    try {
      // the signalling is made once the workers run; a worker dying before then has no room to move
      const signalling: { server?: ConsultServer } = {};
      pool = await WorkerPool.start({
        size: workerCount(config),
        rtcMinPort: config.VIDEO_RTC_MIN_PORT,
        rtcMaxPort: config.VIDEO_RTC_MAX_PORT,
        log,
        onWorkerDied: (died) => {
          void signalling.server?.moveRoomsOf(died);
        },
      });
      const workers = pool;
      const http = Fastify({ loggerInstance: log });
      http.get('/healthz', async () => ({ status: 'ok' }));
      http.get('/readyz', async (_request, reply) => {
        const ready = workers.size > 0;
        return reply.code(ready ? 200 : 503).send({
          status: ready ? 'ready' : 'no media worker',
          workers: workers.size,
          rooms: signalling.server?.rooms().length ?? 0,
        });
      });
      const consults = new ConsultServer(http.server, {
        domain,
        pool: workers,
        jwtSecret: config.JWT_SECRET,
        sessionLimits: {
          idleMs: config.SESSION_IDLE_MINUTES * 60_000,
          absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
        },
        listenIp: config.VIDEO_LISTEN_IP,
        announcedIp: config.VIDEO_ANNOUNCED_IP || undefined,
        maxIncomingBitrate: config.VIDEO_MAX_INCOMING_KBPS * 1000,
        maxOutgoingBitrate: config.VIDEO_MAX_OUTGOING_KBPS * 1000,
        turn: {
          urls: turnUrls(config),
          secret: config.TURN_SECRET,
          ttlSeconds: config.TURN_TTL_SECONDS,
          relayOnly: config.VIDEO_RELAY_ONLY,
        },
        log,
      });
      signalling.server = consults;
      await http.listen({ port: config.VIDEO_PORT, host: config.HOST });
      return new VideoService(http, consults, workers, closeRest);
    } catch (error) {
      pool?.close();
      await closeRest();
      throw error;
    }
  }

  /** The port it listens on (the configured one, or the one the system chose for port 0). */
  get port(): number {
    const address = this.http.server.address();
    return typeof address === 'object' && address ? address.port : 0;
  }

  async close(): Promise<void> {
    await this.consults.close();
    await this.http.close();
    this.pool.close();
    await this.#closeRest();
  }
}
