import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import {
  IdParams,
  Problem,
  QueueFigures,
  QueueFiguresQuery,
  SpecialistChoice,
  type AccessClaims,
} from '@telemed/contracts';
import { platformRefusal, specialistChoices } from '@telemed/domain';
import { actorOf } from '../plugins/auth.js';
import { sendProblem } from '../plugins/errors.js';
import type { FastifyRequest } from 'fastify';
import { broadcastQueueFigures, queueFigures } from './queue-figures.js';

const BOARD_PATH = '/admin/queues';
const BOARD_COOKIE = 'telemed_board';

/** The board's first visit brings the access token; any other parameter is the board's own. */
const BoardQuery = Type.Object({ access_token: Type.Optional(Type.String()) });

/** The path parameters of the board's job and queue actions. */
const BoardParams = Type.Object({
  queueName: Type.Optional(Type.String()),
  jobId: Type.Optional(Type.String()),
  queueStatus: Type.Optional(Type.String()),
  schedulerId: Type.Optional(Type.String()),
});

export interface MonitoringOptions {
  /** how often connected administrators get the figures over socket.io */
  broadcastMs: number;
  accessTokenTtlSeconds: number;
}

/**
 * What administrators watch: `GET /api/admin/queue` (and the same figures pushed over socket.io), and Bull Board
 * under /admin/queues for the jobs themselves, administrators only.
 */
export const monitoringRoutes: FastifyPluginAsyncTypebox<MonitoringOptions> = async (app, options) => {
  app.get(
    '/api/admin/queue',
    {
      config: { permission: 'queues.manage' },
      schema: {
        tags: ['admin'],
        summary:
          'Queue depth by state, backlog by hospital, SLA at risk and breached, turnaround percentiles',
        querystring: QueueFiguresQuery,
        response: { 200: QueueFigures, 401: Problem, 403: Problem },
      },
    },
    async (request) => queueFigures(app, request.query.days ?? 7),
  );
  app.get(
    '/api/admin/queue/cases/:id/specialists',
    {
      config: { permission: 'queues.manage' },
      schema: {
        tags: ['admin'],
        summary:
          'Specialists a case could be reassigned to now: on duty in its department or a partnered one, under their cap, least loaded first',
        params: IdParams,
        response: { 200: Type.Array(SpecialistChoice), 401: Problem, 403: Problem, 404: Problem },
      },
    },
    async (request) => specialistChoices(app.domain, actorOf(request), request.params.id),
  );
  const stop = broadcastQueueFigures(app, options.broadcastMs);
  app.addHook('onClose', () => {
    stop();
  });

  // Bull Board is a browser page whose own requests carry no Authorization header: the first visit brings the
  // access token as ?access_token=, which is kept in an HttpOnly cookie for the board's path until it expires.
  await app.register(async (board) => {
    // Every action the board offers on jobs and queues (anything but reading) is audited, refusals included.
    board.addHook('onRoute', (route) => {
      if ([route.method].flat().every((method) => method === 'GET' || method === 'HEAD')) return;
      route.config = { ...route.config, audit: boardAction(route.routePath) };
    });
    board.addHook('preHandler', async (request) => {
      if (!request.routeOptions.config.audit) return;
      if (request.body && typeof request.body === 'object') {
        request.auditTrail.details = { ...request.auditTrail.details, request: request.body };
      }
    });

    // Bull Board answers its own errors, so refusals are sent here rather than thrown.
    board.addHook('onRequest', async (request, reply) => {
      if (request.routeOptions.config.audit && Value.Check(BoardParams, request.params)) {
        const { queueName, jobId, queueStatus, schedulerId } = request.params;
        request.auditTrail.resourceId = jobId ? `${queueName ?? ''}/${jobId}` : (queueName ?? null);
        request.auditTrail.details = {
          queue: queueName ?? 'all',
          ...(jobId ? { jobId } : {}),
          ...(queueStatus ? { status: queueStatus } : {}),
          ...(schedulerId ? { schedulerId } : {}),
        };
      }
      const fromQuery = Value.Check(BoardQuery, request.query) ? request.query.access_token : undefined;
      const token = bearer(request) ?? fromQuery ?? cookie(request, BOARD_COOKIE);
      if (!token) {
        return sendProblem(
          request,
          reply,
          'unauthenticated',
          `sign in as an administrator and open ${BOARD_PATH}?access_token=<accessToken>`,
          { reason: 'sign_in_first' },
        );
      }
      let claims: AccessClaims;
      try {
        claims = board.jwt.verify<AccessClaims>(token);
      } catch {
        return sendProblem(
          request,
          reply,
          'unauthenticated',
          'the access token is invalid or expired; sign in again',
          { reason: 'token_expired' },
        );
      }
      const actor = await board.db.sessions.actorFor(claims.sid, claims.sub, board.sessionLimits);
      if (!actor)
        return sendProblem(request, reply, 'session_expired', 'this session has ended; sign in again', {
          reason: 'session_ended',
        });
      request.actor = actor;
      const refusal = platformRefusal(actor.role, 'queues.manage');
      if (refusal) return sendProblem(request, reply, 'forbidden', refusal);
      if (typeof fromQuery === 'string') {
        void reply.header(
          'set-cookie',
          `${BOARD_COOKIE}=${token}; Path=${BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${options.accessTokenTtlSeconds}`,
        );
      }
      return undefined;
    });
    const adapter = new FastifyAdapter();
    adapter.setBasePath(BOARD_PATH);
    createBullBoard({
      queues: app.queues.all.map((queue) => new BullMQAdapter(queue)),
      serverAdapter: adapter,
      options: { uiConfig: { boardTitle: '远程诊断 队列' } },
    });
    await board.register(adapter.registerPlugin(), { prefix: BOARD_PATH });
  });
};

/**
 * The audit action of one of the board's routes, named after its path: `/api/queues/:queueName/:jobId/retry` is
 * `queue.job.retry`, `/api/queues/:queueName/clean/:queueStatus` is `queue.clean`.
 */
function boardAction(routePath: string): { action: string; resourceType: string } {
  const words = routePath.split('/').filter((word) => word && word !== 'api' && !word.startsWith(':'));
  const onJob = routePath.includes(':jobId');
  if (words[0] !== 'queues') return { action: ['board', ...words].join('.'), resourceType: 'board' };
  return {
    action: ['queue', ...(onJob ? ['job'] : []), ...words.slice(1)].join('.'),
    resourceType: onJob ? 'job' : 'queue',
  };
}

function bearer(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function cookie(request: FastifyRequest, name: string): string | undefined {
  for (const part of (request.headers.cookie ?? '').split(';')) {
    const [key, ...value] = part.trim().split('=');
    if (key === name) return value.join('=');
  }
  return undefined;
}
