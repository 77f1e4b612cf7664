import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdParams, Problem, RoutingRule, RoutingRuleCreate, RoutingRuleUpdate } from '@telemed/contracts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const adminOnly = { permission: 'routing.manage' as const };

/** Routing rules are data that administrators edit: which cases go to which department and subspecialty. */
export const routingRuleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/routing-rules',
    {
      config: adminOnly,
      schema: {
        tags: ['routing'],
        summary: 'Every routing rule, in the order they are tried',
        response: { 200: Type.Array(RoutingRule), ...errors },
      },
    },
    async () => app.db.routingRules.list(),
  );
  app.post(
    '/routing-rules',
    {
      config: adminOnly,
      schema: { tags: ['routing'], body: RoutingRuleCreate, response: { 201: RoutingRule, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await app.db.routingRules.create(request.body)),
  );
  app.patch(
    '/routing-rules/:id',
    {
      config: adminOnly,
      schema: {
        tags: ['routing'],
        summary: 'Change a rule; set active false to retire it',
        params: IdParams,
        body: RoutingRuleUpdate,
        response: { 200: RoutingRule, ...errors },
      },
    },
    async (request) => app.db.transaction((tx) => tx.routingRules.update(request.params.id, request.body)),
  );
};
