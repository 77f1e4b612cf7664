import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { Problem, TechnicianQuality, TechnicianQualityQuery } from '@telemed/contracts';
import { technicianQuality } from '@telemed/domain';
import { actorOf } from '../plugins/auth.js';

const errors = { 400: Problem, 401: Problem, 403: Problem };

/** The image quality of each technician as the readers rated it (带教 feedback). */
export const qualityRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/technicians',
    {
      config: {
        permission: 'quality.read',
        audit: { action: 'quality.technicians.read', resourceType: 'quality' },
      },
      schema: {
        tags: ['reports'],
        summary:
          "Each technician's image quality: average score, how often each problem was named, the latest comments (your hospital's staff; administrators: every hospital)",
        querystring: TechnicianQualityQuery,
        response: { 200: Type.Array(TechnicianQuality), ...errors },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const summary = await technicianQuality(app.domain, actor, request.query);
      request.auditTrail.hospitalId = actor.hospitalId;
      return summary;
    },
  );
};
