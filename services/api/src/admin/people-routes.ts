import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  AuditPage,
  AuditQuery,
  IdParams,
  Problem,
  Role,
  RosterEntry,
  RosterEntryCreate,
  RosterQuery,
  User,
  UserCreate,
  UserUpdate,
  Uuid,
} from '@telemed/contracts';
import { requirePlacement, requireValidShift } from '@telemed/domain';
import { hashPassword } from '../auth/passwords.js';
import { auditedChange, changesBetween, type ChangeEvent } from './admin-audit.js';
import { disconnectUser } from '../plugins/realtime.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const adminOnly = { permission: 'people.manage' as const };
const audited = (action: string, resourceType: string) => ({ ...adminOnly, audit: { action, resourceType } });

/** Users, the duty roster and the audit trail. */
export const peopleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/users',
    {
      config: adminOnly,
      schema: {
        tags: ['people'],
        querystring: Type.Object(
          { hospitalId: Type.Optional(Uuid), role: Type.Optional(Role) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(User), ...errors },
      },
    },
    async (request) => app.db.users.list(request.query),
  );
  app.get(
    '/users/:id',
    { config: adminOnly, schema: { tags: ['people'], params: IdParams, response: { 200: User, ...errors } } },
    async (request) => app.db.users.get(request.params.id),
  );
  app.post(
    '/users',
    {
      config: audited('user.create', 'user'),
      schema: { tags: ['people'], body: UserCreate, response: { 201: User, ...errors } },
    },
    async (request, reply) => {
      const { password, ...rest } = request.body;
      const passwordHash = await hashPassword(password);
      const user = await auditedChange(app, request, async (tx) => {
        await requirePlacement(tx, rest.role, rest.hospitalId ?? null, rest.departmentId ?? null);
        const created = await tx.users.create({ ...rest, passwordHash });
        const event = { resourceType: 'user', resourceId: created.id, hospitalId: created.hospitalId };
        return { result: created, events: [{ ...event, action: 'user.create', details: { created } }] };
      });
      return reply.code(201).send(user);
    },
  );
  app.patch(
    '/users/:id',
    {
      config: audited('user.update', 'user'),
      schema: {
        tags: ['people'],
        summary: 'Change a user; a new password or deactivation ends their open sessions',
        params: IdParams,
        body: UserUpdate,
        response: { 200: User, ...errors },
      },
    },
    async (request) => {
      const { password, ...rest } = request.body;
      const { unlock, active, ...profile } = rest;
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const user = await auditedChange(app, request, async (tx) => {
        const before = await tx.users.get(request.params.id);
        if (rest.departmentId !== undefined) {
          await requirePlacement(tx, before.role, before.hospitalId, rest.departmentId);
        }
        const updated = await tx.users.update(request.params.id, {
          ...rest,
          ...(passwordHash ? { passwordHash } : {}),
        });
        if (passwordHash || active === false) {
          await tx.sessions.revokeAllOf(updated.id, passwordHash ? 'password changed' : 'user deactivated');
        }
        // One event per kind of change, so that each can be looked up by its action.
        const event = { resourceType: 'user', resourceId: updated.id, hospitalId: updated.hospitalId };
        const events: ChangeEvent[] = [];
        if (passwordHash) {
          events.push({ ...event, action: 'user.password_reset', details: { sessionsEnded: true } });
        }
        if (unlock) {
          events.push({ ...event, action: 'user.unlock', details: { lockedUntil: before.lockedUntil } });
        }
        if (active !== undefined && active !== before.active) {
          const changes = { active: { from: before.active, to: active } };
          events.push({
            ...event,
            action: active ? 'user.reactivate' : 'user.deactivate',
            details: { changes },
          });
        }
        const changes = changesBetween(before, updated, Object.keys(profile));
        if (Object.keys(changes).length || !events.length) {
          events.push({ ...event, action: 'user.update', details: { changes } });
        }
        return { result: updated, events };
      });
      // the sessions just ended lose their live sockets too, on every replica
      if (passwordHash || active === false) disconnectUser(app.io, user.id);
      return user;
    },
  );

  app.get(
    '/roster',
    {
      schema: {
        tags: ['people'],
        summary: 'Who is on duty: shifts overlapping a window, or covering one instant (`at`)',
        querystring: RosterQuery,
        response: { 200: Type.Array(RosterEntry), ...errors },
      },
    },
    async (request) => app.db.roster.list(request.query),
  );
  app.post(
    '/roster',
    {
      config: audited('roster.add', 'roster_entry'),
      schema: { tags: ['people'], body: RosterEntryCreate, response: { 201: RosterEntry, ...errors } },
    },
    async (request, reply) => {
      const entry = await auditedChange(app, request, async (tx) => {
        await requireValidShift(tx, request.body);
        const created = await tx.roster.create(request.body);
        const event = { action: 'roster.add', resourceType: 'roster_entry', resourceId: created.id };
        return { result: created, events: [{ ...event, details: { created } }] };
      });
      return reply.code(201).send(entry);
    },
  );
  app.delete(
    '/roster/:id',
    {
      config: audited('roster.remove', 'roster_entry'),
      schema: { tags: ['people'], params: IdParams, response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      await auditedChange(app, request, async (tx) => {
        const removed = await tx.roster.remove(request.params.id);
        const event = { action: 'roster.remove', resourceType: 'roster_entry', resourceId: removed.id };
        return { result: removed, events: [{ ...event, details: { removed } }] };
      });
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/admin/audit',
    {
      // Reading the trail is itself recorded, with the filters used.
      config: audited('audit.read', 'audit_trail'),
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first; each read is recorded in it',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errors },
      },
    },
    async (request) => {
      request.auditTrail.details = { query: request.query };
      return app.db.audit.query(request.query);
    },
  );
};
