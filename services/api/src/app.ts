import rateLimit from '@fastify/rate-limit';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { AppError } from '@telemed/contracts';
import Fastify, { type FastifyInstance, type FastifyPluginAsync, type FastifyServerOptions } from 'fastify';
import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { adminRoutes } from './admin/index.js';
import { archiveRoutes } from './archive/index.js';
import { authRoutes } from './auth/auth-routes.js';
import { annotationRoutes } from './cases/annotation-routes.js';
import { caseRoutes } from './cases/case-routes.js';
import { worklistRoutes } from './cases/worklist-routes.js';
import type { Config } from './config.js';
import { healthRoutes } from './health/health-routes.js';
import { monitoringRoutes } from './monitoring/index.js';
import { notificationRoutes } from './notifications/notification-routes.js';
import { reportingRoutes } from './reports/index.js';
import audit from './plugins/audit.js';
import auth from './plugins/auth.js';
import database from './plugins/database.js';
import domain from './plugins/domain.js';
import errors from './plugins/errors.js';
import metrics from './plugins/metrics.js';
import openapi from './plugins/openapi.js';
import queues from './plugins/queues.js';
import realtime from './plugins/realtime.js';
import redis from './plugins/redis.js';
import consultProxy from './plugins/consult-proxy.js';
import webApp from './plugins/web-app.js';
import { installValidators } from './plugins/validation.js';

export interface AppOptions {
  config: Config;
}

/** The server-level options the app expects: limits, timeouts, request ids and logging (to `log` when given). */
export function serverOptions(config: Config, log?: Logger): FastifyServerOptions {
  return {
    ...(log
      ? { loggerInstance: log }
      : { logger: { level: config.LOG_LEVEL, redact: ['req.headers.authorization', 'req.headers.cookie'] } }),
    bodyLimit: config.BODY_LIMIT_BYTES,
    trustProxy: config.TRUST_PROXY,
    connectionTimeout: 30_000,
    requestTimeout: 120_000,
    keepAliveTimeout: 72_000,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true },
  };
}

/** The api as a plugin: infrastructure first, then each domain's routes. */
const app: FastifyPluginAsync<AppOptions> = async (fastify, { config }) => {
  installValidators(fastify);
  await fastify.register(errors);
  await fastify.register(metrics);
  await fastify.register(database, { url: config.DATABASE_URL, poolMax: config.PG_POOL_MAX });
  await fastify.register(redis, { url: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
  await fastify.register(queues, { url: config.REDIS_URL, prefix: `${config.REDIS_KEY_PREFIX}bull` });
  await fastify.register(domain);
  await fastify.register(rateLimit, {
    global: false,
    redis: fastify.redis,
    nameSpace: 'rate-limit:',
    errorResponseBuilder: (_request, context) => {
      const seconds = Math.ceil(context.ttl / 1000);
      return new AppError('too_many_requests', `too many requests; try again in ${seconds} s`, {
        params: { seconds },
      });
    },
  });
  await fastify.register(auth, {
    jwtSecret: config.JWT_SECRET,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    sessionLimits: {
      idleMs: config.SESSION_IDLE_MINUTES * 60_000,
      absoluteMs: config.SESSION_ABSOLUTE_HOURS * 3_600_000,
    },
  });
  await fastify.register(audit);
  await fastify.register(openapi);

  await fastify.register(healthRoutes);
  await fastify.register(authRoutes, {
    prefix: '/api',
    maxFailures: config.LOGIN_MAX_FAILURES,
    lockoutMs: config.LOGIN_LOCKOUT_MINUTES * 60_000,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
    loginRateLimitPerMinute: config.LOGIN_RATE_LIMIT_PER_MINUTE,
  });
  await fastify.register(caseRoutes, { prefix: '/api/cases' });
  await fastify.register(annotationRoutes, { prefix: '/api/cases' });
  await fastify.register(reportingRoutes, { prefix: '/api' });
  await fastify.register(worklistRoutes, { prefix: '/api/worklist' });
  await fastify.register(adminRoutes, { prefix: '/api' });
  await fastify.register(notificationRoutes, { prefix: '/api/notifications' });
  await fastify.register(realtime, { redisUrl: config.REDIS_URL, keyPrefix: config.REDIS_KEY_PREFIX });
  await fastify.register(monitoringRoutes, {
    broadcastMs: config.QUEUE_FIGURES_BROADCAST_SECONDS * 1000,
    accessTokenTtlSeconds: config.ACCESS_TOKEN_TTL_SECONDS,
  });
  await fastify.register(archiveRoutes, {
    archiveDir: config.ARCHIVE_DIR,
    s3:
      config.ARCHIVE_S3_ENDPOINT && config.ARCHIVE_S3_BUCKET
        ? {
            endpoint: config.ARCHIVE_S3_ENDPOINT,
            region: config.ARCHIVE_S3_REGION,
            bucket: config.ARCHIVE_S3_BUCKET,
            accessKeyId: config.ARCHIVE_S3_ACCESS_KEY_ID ?? '',
            secretAccessKey: config.ARCHIVE_S3_SECRET_ACCESS_KEY ?? '',
            forcePathStyle: config.ARCHIVE_S3_FORCE_PATH_STYLE,
            prefix: config.ARCHIVE_S3_PREFIX,
          }
        : null,
    maxInstanceBytes: config.ARCHIVE_MAX_INSTANCE_BYTES,
    maxUploadBytes: config.ARCHIVE_MAX_UPLOAD_BYTES,
    stableSeconds: config.STUDY_STABLE_SECONDS,
  });
  // the consult's signalling on the app's own origin: one address (and one certificate) for the hospitals' firewalls
  if (config.VIDEO_URL) await fastify.register(consultProxy, { upstream: config.VIDEO_URL });
  await fastify.register(webApp, { dir: config.WEB_DIR ?? null });
};

export default app;

/** A Fastify instance with the app registered and ready; the caller listens or injects. */
export async function buildApp(config: Config, log?: Logger): Promise<FastifyInstance> {
  const fastify = Fastify(serverOptions(config, log)).withTypeProvider<TypeBoxTypeProvider>();
  await fastify.register(app, { config });
  await fastify.ready();
  return fastify;
}
