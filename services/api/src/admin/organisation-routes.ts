import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import {
  Department,
  DepartmentCreate,
  DepartmentUpdate,
  Hospital,
  HospitalCreate,
  HospitalUpdate,
  IdParams,
  Partnership,
  PartnershipCreate,
  PartnershipUpdate,
  Problem,
  Uuid,
} from '@telemed/contracts';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const adminOnly = { permission: 'organisation.manage' as const };

/** Hospitals, departments and partnerships: everyone signed in reads them, administrators change them. */
export const organisationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/hospitals',
    {
      schema: {
        tags: ['organisation'],
        summary: 'Every hospital',
        response: { 200: Type.Array(Hospital), ...errors },
      },
    },
    async () => app.db.hospitals.listHospitals(),
  );
  app.get(
    '/hospitals/:id',
    { schema: { tags: ['organisation'], params: IdParams, response: { 200: Hospital, ...errors } } },
    async (request) => app.db.hospitals.getHospital(request.params.id),
  );
  app.post(
    '/hospitals',
    {
      config: adminOnly,
      schema: { tags: ['organisation'], body: HospitalCreate, response: { 201: Hospital, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await app.db.hospitals.createHospital(request.body)),
  );
  app.patch(
    '/hospitals/:id',
    {
      config: adminOnly,
      schema: {
        tags: ['organisation'],
        params: IdParams,
        body: HospitalUpdate,
        response: { 200: Hospital, ...errors },
      },
    },
    async (request) => app.db.hospitals.updateHospital(request.params.id, request.body),
  );

  app.get(
    '/departments',
    {
      schema: {
        tags: ['organisation'],
        querystring: Type.Object({ hospitalId: Type.Optional(Uuid) }, { additionalProperties: false }),
        response: { 200: Type.Array(Department), ...errors },
      },
    },
    async (request) => app.db.hospitals.listDepartments(request.query.hospitalId),
  );
  app.post(
    '/departments',
    {
      config: adminOnly,
      schema: { tags: ['organisation'], body: DepartmentCreate, response: { 201: Department, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await app.db.hospitals.createDepartment(request.body)),
  );
  app.patch(
    '/departments/:id',
    {
      config: adminOnly,
      schema: {
        tags: ['organisation'],
        params: IdParams,
        body: DepartmentUpdate,
        response: { 200: Department, ...errors },
      },
    },
    async (request) => app.db.hospitals.updateDepartment(request.params.id, request.body),
  );

  app.get(
    '/partnerships',
    {
      schema: {
        tags: ['organisation'],
        summary: 'County department → city department pairings (科室对科室)',
        response: { 200: Type.Array(Partnership), ...errors },
      },
    },
    async () => app.db.hospitals.listPartnerships(),
  );
  app.post(
    '/partnerships',
    {
      config: adminOnly,
      schema: { tags: ['organisation'], body: PartnershipCreate, response: { 201: Partnership, ...errors } },
    },
    async (request, reply) => reply.code(201).send(await app.db.hospitals.createPartnership(request.body)),
  );
  app.patch(
    '/partnerships/:id',
    {
      config: adminOnly,
      schema: {
        tags: ['organisation'],
        params: IdParams,
        body: PartnershipUpdate,
        response: { 200: Partnership, ...errors },
      },
    },
    async (request) => app.db.hospitals.updatePartnership(request.params.id, request.body),
  );
};
