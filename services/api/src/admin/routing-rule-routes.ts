import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { IdParams, Problem, RoutingRule, RoutingRuleCreate, RoutingRuleUpdate } from '@telemed/contracts';
import { requireValidRule } from '@telemed/domain';
import { auditedChange, changesBetween } from './admin-audit.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const adminOnly = { permission: 'routing.manage' as const };
const audited = (action: string) => ({ ...adminOnly, audit: { action, resourceType: 'routing_rule' } });

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
      config: audited('routing_rule.create'),
      schema: { tags: ['routing'], body: RoutingRuleCreate, response: { 201: RoutingRule, ...errors } },
    },
    async (request, reply) => {
      const rule = await auditedChange(app, request, async (tx) => {
        await requireValidRule(tx, request.body);
        const created = await tx.routingRules.create(request.body);
        const event = { action: 'routing_rule.create', resourceType: 'routing_rule', resourceId: created.id };
        return { result: created, events: [{ ...event, details: { created } }] };
      });
      return reply.code(201).send(rule);
    },
  );
  app.patch(
    '/routing-rules/:id',
    {
      config: audited('routing_rule.update'),
      schema: {
        tags: ['routing'],
        summary: 'Change a rule; set active false to retire it',
        params: IdParams,
        body: RoutingRuleUpdate,
        response: { 200: RoutingRule, ...errors },
      },
    },
    async (request) =>
      auditedChange(app, request, async (tx) => {
        const before = (await tx.routingRules.list()).find((r) => r.id === request.params.id);
        if (before) await requireValidRule(tx, { ...before, ...request.body });
        const after = await tx.routingRules.update(request.params.id, request.body);
        const changes = changesBetween(before ?? {}, after, Object.keys(request.body));
        const event = { action: 'routing_rule.update', resourceType: 'routing_rule', resourceId: after.id };
        return { result: after, events: [{ ...event, details: { changes } }] };
      }),
  );
  app.delete(
    '/routing-rules/:id',
    {
      config: audited('routing_rule.delete'),
      schema: {
        tags: ['routing'],
        summary: 'Delete a rule; cases it routed keep its name in their routing decision',
        params: IdParams,
        response: { 204: Type.Null(), ...errors },
      },
    },
    async (request, reply) => {
      await auditedChange(app, request, async (tx) => {
        const removed = await tx.routingRules.remove(request.params.id);
        const event = { action: 'routing_rule.delete', resourceType: 'routing_rule', resourceId: removed.id };
        return { result: removed, events: [{ ...event, details: { removed } }] };
      });
      return reply.code(204).send(null);
    },
  );
};
