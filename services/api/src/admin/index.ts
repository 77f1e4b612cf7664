import type { FastifyPluginAsync } from 'fastify';
import { organisationRoutes } from './organisation-routes.js';
import { peopleRoutes } from './people-routes.js';
import { routingRuleRoutes } from './routing-rule-routes.js';

/** Administration: hospitals, departments, partnerships, users, roster, routing rules, audit. */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  await app.register(organisationRoutes);
  await app.register(peopleRoutes);
  await app.register(routingRuleRoutes);
};
