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
import { requirePartnershipPairing } from '@telemed/domain';
import { auditedChange, changesBetween } from './admin-audit.js';

const errors = { 400: Problem, 401: Problem, 403: Problem, 404: Problem, 409: Problem };
const adminOnly = { permission: 'organisation.manage' as const };
const audited = (action: string, resourceType: string) => ({ ...adminOnly, audit: { action, resourceType } });

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
      config: audited('hospital.create', 'hospital'),
      schema: { tags: ['organisation'], body: HospitalCreate, response: { 201: Hospital, ...errors } },
    },
    async (request, reply) => {
      const hospital = await auditedChange(app, request, async (tx) => {
        const created = await tx.hospitals.createHospital(request.body);
        const event = { resourceType: 'hospital', resourceId: created.id, hospitalId: created.id };
        return { result: created, events: [{ ...event, action: 'hospital.create', details: { created } }] };
      });
      return reply.code(201).send(hospital);
    },
  );
  app.patch(
    '/hospitals/:id',
    {
      config: audited('hospital.update', 'hospital'),
      schema: {
        tags: ['organisation'],
        params: IdParams,
        body: HospitalUpdate,
        response: { 200: Hospital, ...errors },
      },
    },
    async (request) =>
      auditedChange(app, request, async (tx) => {
        const before = await tx.hospitals.getHospital(request.params.id);
        const after = await tx.hospitals.updateHospital(request.params.id, request.body);
        const changes = changesBetween(before, after, Object.keys(request.body));
        const event = { resourceType: 'hospital', resourceId: after.id, hospitalId: after.id };
        return { result: after, events: [{ ...event, action: 'hospital.update', details: { changes } }] };
      }),
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
      config: audited('department.create', 'department'),
      schema: { tags: ['organisation'], body: DepartmentCreate, response: { 201: Department, ...errors } },
    },
    async (request, reply) => {
      const department = await auditedChange(app, request, async (tx) => {
        const created = await tx.hospitals.createDepartment(request.body);
        const event = { resourceType: 'department', resourceId: created.id, hospitalId: created.hospitalId };
        return { result: created, events: [{ ...event, action: 'department.create', details: { created } }] };
      });
      return reply.code(201).send(department);
    },
  );
  app.patch(
    '/departments/:id',
    {
      config: audited('department.update', 'department'),
      schema: {
        tags: ['organisation'],
        params: IdParams,
        body: DepartmentUpdate,
        response: { 200: Department, ...errors },
      },
    },
    async (request) =>
      auditedChange(app, request, async (tx) => {
        const before = await tx.hospitals.getDepartment(request.params.id);
        const after = await tx.hospitals.updateDepartment(request.params.id, request.body);
        const changes = changesBetween(before, after, Object.keys(request.body));
        const event = { resourceType: 'department', resourceId: after.id, hospitalId: after.hospitalId };
        return { result: after, events: [{ ...event, action: 'department.update', details: { changes } }] };
      }),
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
      config: audited('partnership.create', 'partnership'),
      schema: { tags: ['organisation'], body: PartnershipCreate, response: { 201: Partnership, ...errors } },
    },
    async (request, reply) => {
      const partnership = await auditedChange(app, request, async (tx) => {
        await requirePartnershipPairing(tx, request.body.countyDepartmentId, request.body.cityDepartmentId);
        const created = await tx.hospitals.createPartnership(request.body);
        const event = { action: 'partnership.create', resourceType: 'partnership', resourceId: created.id };
        return { result: created, events: [{ ...event, details: { created } }] };
      });
      return reply.code(201).send(partnership);
    },
  );
  app.patch(
    '/partnerships/:id',
    {
      config: audited('partnership.update', 'partnership'),
      schema: {
        tags: ['organisation'],
        params: IdParams,
        body: PartnershipUpdate,
        response: { 200: Partnership, ...errors },
      },
    },
    async (request) =>
      auditedChange(app, request, async (tx) => {
        const before = (await tx.hospitals.listPartnerships()).find((p) => p.id === request.params.id);
        const after = await tx.hospitals.updatePartnership(request.params.id, request.body);
        const changes = changesBetween(before ?? {}, after, Object.keys(request.body));
        const event = { action: 'partnership.update', resourceType: 'partnership', resourceId: after.id };
        return { result: after, events: [{ ...event, details: { changes } }] };
      }),
  );
};
