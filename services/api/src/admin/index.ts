import type { FastifyPluginAsync } from 'fastify';
import { organisationRoutes } from './organisation-routes.js';
import { peopleRoutes } from './people-routes.js';

/** Administration: hospitals, departments, partnerships, users, roster, audit. */
export const adminRoutes: FastifyPluginAsync = async (app) => {
  await app.register(organisationRoutes);
  await app.register(peopleRoutes);
};
