import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { CaseAnnotations, CaseAnnotationsPut, IdParams, Problem } from '@telemed/contracts';
import { caseAnnotations, saveCaseAnnotations } from '@telemed/domain';
import { actorOf } from '../plugins/auth.js';
import { callerOf } from '../plugins/domain.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };

/** The measurements and marks kept with a case: read by everyone who sees it, written by its assigned specialist. */
export const annotationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:id/annotations',
    {
      config: { audit: { action: 'case.annotations.read', resourceType: 'case' } },
      schema: {
        tags: ['cases'],
        summary: "The viewer's measurements and marks saved with the case, with their version",
        params: IdParams,
        response: { 200: CaseAnnotations, ...errors },
      },
    },
    async (request) => caseAnnotations(app.domain, actorOf(request), request.params.id),
  );

  app.put(
    '/:id/annotations',
    {
      config: { audit: { action: 'case.annotations.save', resourceType: 'case' } },
      bodyLimit: 4 * 1024 * 1024,
      schema: {
        tags: ['cases'],
        summary:
          'Replace the measurements and marks (the assigned specialist); `version` is the one they were read at, and a newer one answers 409',
        params: IdParams,
        body: CaseAnnotationsPut,
        response: { 200: CaseAnnotations, ...errors },
      },
    },
    async (request) => {
      const saved = await saveCaseAnnotations(
        app.domain,
        callerOf(request),
        request.params.id,
        request.body.version,
        request.body.annotations,
      );
      request.auditTrail.recorded = true;
      return saved;
    },
  );
};
