import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Problem, Worklist, WorklistQuery } from '@telemed/contracts';
import { worklist } from '@telemed/domain';
import { actorOf } from '../plugins/auth.js';

/** The specialist's worklist: one read of their open cases and their department's pool. */
export const worklistRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { audit: { action: 'worklist.read', resourceType: 'case' } },
      schema: {
        tags: ['cases'],
        summary:
          "Your open cases and your department's pool, most urgent first, each with the patient's prior cases counted",
        querystring: WorklistQuery,
        response: { 200: Worklist, 400: Problem, 401: Problem, 403: Problem },
      },
    },
    async (request) => {
      const list = await worklist(app.domain, actorOf(request), request.query);
      request.auditTrail.details = {
        caseIds: [...list.mine, ...list.pool, ...list.secondOpinions].map((c) => c.id),
        filters: request.query,
      };
      return list;
    },
  );
};
