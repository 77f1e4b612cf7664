import type { FastifyPluginAsync } from 'fastify';
import { qualityRoutes } from './quality-routes.js';
import { readingRoutes } from './reading-routes.js';
import { reportTemplateRoutes } from './report-template-routes.js';

/** Reporting beyond the report itself: templates, second opinions, image-quality feedback, critical findings. */
export const reportingRoutes: FastifyPluginAsync = async (app) => {
  await app.register(reportTemplateRoutes, { prefix: '/report-templates' });
  await app.register(readingRoutes, { prefix: '/cases' });
  await app.register(qualityRoutes, { prefix: '/quality' });
};
