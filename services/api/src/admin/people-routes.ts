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
import { hashPassword } from '../auth/passwords.js';
import { disconnectUser } from '../plugins/realtime.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const adminOnly = { permission: 'people.manage' as const };

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
    { config: adminOnly, schema: { tags: ['people'], body: UserCreate, response: { 201: User, ...errors } } },
    async (request, reply) => {
      const { password, ...rest } = request.body;
      const user = await app.db.users.create({ ...rest, passwordHash: await hashPassword(password) });
      return reply.code(201).send(user);
    },
  );
  app.patch(
    '/users/:id',
    {
      config: adminOnly,
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
      const passwordHash = password === undefined ? undefined : await hashPassword(password);
      const user = await app.db.transaction(async (tx) => {
        const user = await tx.users.update(request.params.id, {
          ...rest,
          ...(passwordHash ? { passwordHash } : {}),
        });
        if (passwordHash || rest.active === false) {
          await tx.sessions.revokeAllOf(user.id, passwordHash ? 'password changed' : 'user deactivated');
        }
        return user;
      });
      // the sessions just ended lose their live sockets too, on every replica
      if (passwordHash || rest.active === false) disconnectUser(app.io, user.id);
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
      config: adminOnly,
      schema: { tags: ['people'], body: RosterEntryCreate, response: { 201: RosterEntry, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await app.db.roster.create(request.body)),
  );
  app.delete(
    '/roster/:id',
    {
      config: adminOnly,
      schema: { tags: ['people'], params: IdParams, response: { 204: Type.Null(), ...errors } },
    },
    async (request, reply) => {
      await app.db.roster.remove(request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/admin/audit',
    {
      config: adminOnly,
      schema: {
        tags: ['audit'],
        summary: 'The audit trail, newest first',
        querystring: AuditQuery,
        response: { 200: AuditPage, ...errors },
      },
    },
    async (request) => app.db.audit.query(request.query),
  );
};
