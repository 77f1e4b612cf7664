import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  IdParams,
  Problem,
  ReportTemplate,
  ReportTemplateCreate,
  ReportTemplateQuery,
  ReportTemplateUpdate,
} from '@telemed/contracts';
import { createReportTemplate, listReportTemplates, updateReportTemplate } from '@telemed/domain';
import { actorOf } from '../plugins/auth.js';
import { callerOf } from '../plugins/domain.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const managed = (action: string) => ({
  permission: 'report_templates.manage' as const,
  audit: { action, resourceType: 'report_template' },
});

/** Report templates per modality and body part: every reader lists them, administrators manage them. */
export const reportTemplateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      schema: {
        tags: ['reports'],
        summary: 'The report templates for an examination (modality and body part, either may be left out)',
        querystring: ReportTemplateQuery,
        response: { 200: Type.Array(ReportTemplate), ...errors },
      },
    },
    async (request) => listReportTemplates(app.domain, actorOf(request), request.query),
  );

  app.post(
    '/',
    {
      config: managed('report_template.create'),
      schema: {
        tags: ['reports'],
        summary: 'Add a report template (administrators)',
        body: ReportTemplateCreate,
        response: { 201: ReportTemplate, ...errors },
      },
    },
    async (request, reply) => {
      const created = await createReportTemplate(app.domain, callerOf(request), request.body);
      request.auditTrail.recorded = true;
      return reply.code(201).send(created);
    },
  );

  app.patch(
    '/:id',
    {
      config: managed('report_template.update'),
      schema: {
        tags: ['reports'],
        summary: "Change a report template's name or text, or retire it (administrators)",
        params: IdParams,
        body: ReportTemplateUpdate,
        response: { 200: ReportTemplate, ...errors },
      },
    },
    async (request) => {
      const updated = await updateReportTemplate(
        app.domain,
        callerOf(request),
        request.params.id,
        request.body,
      );
      request.auditTrail.recorded = true;
      return updated;
    },
  );
};
