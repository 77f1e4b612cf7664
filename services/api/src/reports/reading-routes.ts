import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  CriticalAcknowledgement,
  CriticalFinding,
  IdParams,
  ImageQualityInput,
  ImageQualityRating,
  Problem,
  SecondOpinion,
  SecondOpinionAnswer,
  SecondOpinionCandidate,
  SecondOpinionRequest,
} from '@telemed/contracts';
import {
  acknowledgeCriticalFinding,
  caseCriticalFindings,
  caseSecondOpinions,
  giveSecondOpinion,
  rateImageQuality,
  requestSecondOpinion,
  secondOpinionCandidates,
  withdrawSecondOpinion,
} from '@telemed/domain';
import { actorOf } from '../plugins/auth.js';
import { callerOf } from '../plugins/domain.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const caseAudit = (action: string) => ({ audit: { action, resourceType: 'case' } });

/**
 * What a reading adds to a case besides its report: second opinions, the image-quality rating back to the
 * technician, and the acknowledgement of a critical finding. Each write calls a use case, which audits it.
 */
export const readingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/:id/second-opinion/candidates',
    {
      config: caseAudit('case.second-opinion-candidates.read'),
      schema: {
        tags: ['reports'],
        summary:
          'Whom you may ask for a second opinion on the case: active specialists of its department and of the city departments its requesting department is partnered with, with hospital, department and whether on duty now (assigned specialist)',
        params: IdParams,
        response: { 200: Type.Array(SecondOpinionCandidate), ...errors },
      },
    },
    async (request) => secondOpinionCandidates(app.domain, actorOf(request), request.params.id),
  );

  app.post(
    '/:id/second-opinion',
    {
      config: caseAudit('case.second_opinion.request'),
      schema: {
        tags: ['reports'],
        summary:
          "Ask another specialist of the case's or a partnered department for a second opinion (assigned specialist; one open request at a time)",
        params: IdParams,
        body: SecondOpinionRequest,
        response: { 201: SecondOpinion, ...errors },
      },
    },
    async (request, reply) => {
      const opened = await requestSecondOpinion(
        app.domain,
        callerOf(request),
        request.params.id,
        request.body,
      );
      request.auditTrail.recorded = true;
      return reply.code(201).send(opened);
    },
  );

  app.post(
    '/:id/second-opinion/opinion',
    {
      config: caseAudit('case.second_opinion.give'),
      schema: {
        tags: ['reports'],
        summary: 'Write the second opinion you were asked for',
        params: IdParams,
        body: SecondOpinionAnswer,
        response: { 200: SecondOpinion, ...errors },
      },
    },
    async (request) => {
      const answered = await giveSecondOpinion(
        app.domain,
        callerOf(request),
        request.params.id,
        request.body.opinion,
      );
      request.auditTrail.recorded = true;
      return answered;
    },
  );

  app.post(
    '/:id/second-opinion/withdraw',
    {
      config: caseAudit('case.second_opinion.withdraw'),
      schema: {
        tags: ['reports'],
        summary: 'Withdraw the open second-opinion request (assigned specialist)',
        params: IdParams,
        response: { 200: SecondOpinion, ...errors },
      },
    },
    async (request) => {
      const withdrawn = await withdrawSecondOpinion(app.domain, callerOf(request), request.params.id);
      request.auditTrail.recorded = true;
      return withdrawn;
    },
  );

  app.get(
    '/:id/second-opinions',
    {
      config: caseAudit('case.second-opinions.read'),
      schema: {
        tags: ['reports'],
        summary: 'Every second-opinion request of the case, oldest first',
        params: IdParams,
        response: { 200: Type.Array(SecondOpinion), ...errors },
      },
    },
    async (request) => caseSecondOpinions(app.domain, actorOf(request), request.params.id),
  );

  app.put(
    '/:id/image-quality',
    {
      config: caseAudit('case.image_quality.rate'),
      schema: {
        tags: ['reports'],
        summary:
          "Rate the case's images for the technician who sent them (1-5, what was wrong, a comment); rating again replaces your rating",
        params: IdParams,
        body: ImageQualityInput,
        response: { 200: ImageQualityRating, ...errors },
      },
    },
    async (request) => {
      const rating = await rateImageQuality(app.domain, callerOf(request), request.params.id, request.body);
      request.auditTrail.recorded = true;
      return rating;
    },
  );

  app.get(
    '/:id/critical-findings',
    {
      config: caseAudit('case.critical-findings.read'),
      schema: {
        tags: ['reports'],
        summary:
          'Every critical finding of the case: when flagged, each escalation, who acknowledged it, how and when',
        params: IdParams,
        response: { 200: Type.Array(CriticalFinding), ...errors },
      },
    },
    async (request) => caseCriticalFindings(app.domain, actorOf(request), request.params.id),
  );

  app.post(
    '/:id/critical-acknowledgement',
    {
      config: caseAudit('case.critical.acknowledge'),
      schema: {
        tags: ['reports'],
        summary:
          "Acknowledge the case's critical finding: how you learnt of it (phone, in the app, in person) and a note (staff of the requesting hospital)",
        params: IdParams,
        body: CriticalAcknowledgement,
        response: { 200: CriticalFinding, ...errors },
      },
    },
    async (request) => {
      const acknowledged = await acknowledgeCriticalFinding(
        app.domain,
        callerOf(request),
        request.params.id,
        request.body,
      );
      request.auditTrail.recorded = true;
      return acknowledged;
    },
  );
};
