import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Department, Hospital } from '@telemed/contracts';
import { verifyAuditChain } from '@telemed/db';
import { startTestApp, type TestApp } from '../test/test-app.js';

let t: TestApp;
const token: Record<'admin' | 'tech', string> = { admin: '', tech: '' };
const ids: Record<string, string> = {};
const NEW_PASSWORD = 'reset-password-4711';

interface StoredEvent {
  action: string;
  resource_type: string;
  resource_id: string | null;
  outcome: string;
  actor_username: string;
  ip: string;
  details: Record<string, unknown>;
}

beforeAll(async () => {
  t = await startTestApp();
  token.admin = await t.login('admin');
  token.tech = await t.login('wangjianguo');
  // Fixtures written straight to the database, so that only the requests under test leave events.
  const hospital = await t.db.hospitals.createHospital({
    code: 'AUDIT-H',
    name: '审计县医院',
    kind: 'county',
    region: '南州市审计县',
  });
  const department = await t.db.hospitals.createDepartment({
    hospitalId: hospital.id,
    code: 'RAD',
    name: '放射科',
    specialty: 'radiology',
  });
  const hospitals = await t.db.hospitals.listHospitals();
  const central = hospitals.find((h: Hospital) => h.code === 'NZ-CENTRAL');
  const cityRad = (await t.db.hospitals.listDepartments(central?.id)).find(
    (d: Department) => d.code === 'RAD',
  );
  const user = await t.db.users.create({
    username: 'audit.target',
    displayName: '审计对象',
    passwordHash: 'not-a-real-hash',
    role: 'technician',
    hospitalId: hospital.id,
    departmentId: department.id,
  });
  const locked = await t.db.users.create({
    username: 'audit.locked',
    displayName: '被锁定',
    passwordHash: 'not-a-real-hash',
    role: 'technician',
    hospitalId: hospital.id,
    departmentId: department.id,
  });
  await t.db.users.recordFailedLogin(locked.id, 1, 3_600_000);
  const liming = await t.userId('liming');
  const shift = {
    userId: liming,
    departmentId: cityRad?.id ?? '',
    startsAt: '2026-12-01T00:00:00.000Z',
    endsAt: '2026-12-01T08:00:00.000Z',
  };
  const [rule] = await t.db.routingRules.list();
  Object.assign(ids, {
    hospital: hospital.id,
    department: department.id,
    cityRad: cityRad?.id,
    user: user.id,
    locked: locked.id,
    liming,
    roster: (await t.db.roster.create(shift)).id,
    roster2: (
      await t.db.roster.create({
        ...shift,
        startsAt: '2026-12-02T00:00:00.000Z',
        endsAt: '2026-12-02T08:00:00.000Z',
      })
    ).id,
    rule: rule?.id,
  });
});
afterAll(async () => {
  await t.close();
});

/** Sends one request and returns its status and the audit events it left. */
async function eventsOf(
  who: 'admin' | 'tech',
  request: InjectOptions,
): Promise<{ status: number; body: string; events: StoredEvent[] }> {
  const { rows: before } = await t.db.pool.query<{ last: string }>(
    'SELECT coalesce(max(id), 0)::text AS last FROM audit_events',
  );
  const res = await t.as(token[who], request);
  const { rows: events } = await t.db.pool.query<StoredEvent>(
    `SELECT action, resource_type, resource_id, outcome, actor_username, ip, details
     FROM audit_events WHERE id > $1 ORDER BY id`,
    [before[0]?.last ?? '0'],
  );
  return { status: res.statusCode, body: res.body, events };
}

interface Case {
  name: string;
  who: 'admin' | 'tech';
  request: () => InjectOptions;
  status: number;
  events: () => Partial<StoredEvent>[];
}

const cases: Case[] = [
  {
    name: 'a user created',
    who: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/users',
      payload: {
        username: 'audit.new',
        displayName: '新用户',
        password: NEW_PASSWORD,
        role: 'technician',
        hospitalId: ids.hospital,
        departmentId: ids.department,
      },
    }),
    status: 201,
    events: () => [
      {
        action: 'user.create',
        resource_type: 'user',
        outcome: 'success',
        details: { created: expect.objectContaining({ username: 'audit.new', role: 'technician' }) },
      },
    ],
  },
  {
    name: 'a password reset',
    who: 'admin',
    request: () => ({ method: 'PATCH', url: `/api/users/${ids.user}`, payload: { password: NEW_PASSWORD } }),
    status: 200,
    events: () => [
      {
        action: 'user.password_reset',
        resource_id: ids.user,
        outcome: 'success',
        details: { sessionsEnded: true },
      },
    ],
  },
  {
    name: 'an account unlocked',
    who: 'admin',
    request: () => ({ method: 'PATCH', url: `/api/users/${ids.locked}`, payload: { unlock: true } }),
    status: 200,
    events: () => [
      {
        action: 'user.unlock',
        resource_id: ids.locked,
        outcome: 'success',
        details: { lockedUntil: expect.stringMatching(/^\d{4}-/) },
      },
    ],
  },
  {
    name: 'an account deactivated',
    who: 'admin',
    request: () => ({ method: 'PATCH', url: `/api/users/${ids.user}`, payload: { active: false } }),
    status: 200,
    events: () => [
      {
        action: 'user.deactivate',
        resource_id: ids.user,
        details: { changes: { active: { from: true, to: false } } },
      },
    ],
  },
  {
    name: 'an account reactivated',
    who: 'admin',
    request: () => ({ method: 'PATCH', url: `/api/users/${ids.user}`, payload: { active: true } }),
    status: 200,
    events: () => [
      {
        action: 'user.reactivate',
        resource_id: ids.user,
        details: { changes: { active: { from: false, to: true } } },
      },
    ],
  },
  {
    name: "a user's profile changed",
    who: 'admin',
    request: () => ({
      method: 'PATCH',
      url: `/api/users/${ids.user}`,
      payload: { displayName: '审计对象二', maxOpenCases: 12 },
    }),
    status: 200,
    events: () => [
      {
        action: 'user.update',
        resource_id: ids.user,
        details: {
          changes: {
            displayName: { from: '审计对象', to: '审计对象二' },
            maxOpenCases: { from: 20, to: 12 },
          },
        },
      },
    ],
  },
  {
    name: 'a hospital created',
    who: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/hospitals',
      payload: { code: 'AUDIT-H2', name: '审计二院', kind: 'county', region: '南州市' },
    }),
    status: 201,
    events: () => [
      {
        action: 'hospital.create',
        resource_type: 'hospital',
        details: { created: expect.objectContaining({ code: 'AUDIT-H2' }) },
      },
    ],
  },
  {
    name: 'a hospital changed',
    who: 'admin',
    request: () => ({
      method: 'PATCH',
      url: `/api/hospitals/${ids.hospital}`,
      payload: { region: '南州市新区' },
    }),
    status: 200,
    events: () => [
      {
        action: 'hospital.update',
        resource_id: ids.hospital,
        details: { changes: { region: { from: '南州市审计县', to: '南州市新区' } } },
      },
    ],
  },
  {
    name: 'a department created',
    who: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/departments',
      payload: { hospitalId: ids.hospital, code: 'US', name: '超声科', specialty: 'ultrasound' },
    }),
    status: 201,
    events: () => [
      {
        action: 'department.create',
        resource_type: 'department',
        details: { created: expect.objectContaining({ code: 'US' }) },
      },
    ],
  },
  {
    name: 'a department changed',
    who: 'admin',
    request: () => ({
      method: 'PATCH',
      url: `/api/departments/${ids.department}`,
      payload: { name: '影像科' },
    }),
    status: 200,
    events: () => [
      {
        action: 'department.update',
        resource_id: ids.department,
        details: { changes: { name: { from: '放射科', to: '影像科' } } },
      },
    ],
  },
  {
    name: 'a partnership created',
    who: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/partnerships',
      payload: { countyDepartmentId: ids.department, cityDepartmentId: ids.cityRad },
    }),
    status: 201,
    events: () => [
      {
        action: 'partnership.create',
        resource_type: 'partnership',
        details: { created: expect.objectContaining({ countyDepartmentId: ids.department, priority: 0 }) },
      },
    ],
  },
  {
    name: 'a partnership refused as a duplicate',
    who: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/partnerships',
      payload: { countyDepartmentId: ids.department, cityDepartmentId: ids.cityRad },
    }),
    status: 409,
    events: () => [
      {
        action: 'partnership.create',
        outcome: 'conflict',
        details: { requested: { countyDepartmentId: ids.department, cityDepartmentId: ids.cityRad } },
      },
    ],
  },
  {
    name: 'a routing rule created',
    who: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/routing-rules',
      payload: { name: '审计规则', priority: 50, urgencies: ['stat'], targetDepartmentId: ids.cityRad },
    }),
    status: 201,
    events: () => [
      {
        action: 'routing_rule.create',
        resource_type: 'routing_rule',
        details: { created: expect.objectContaining({ name: '审计规则', urgencies: ['stat'] }) },
      },
    ],
  },
  {
    name: 'a routing rule changed',
    who: 'admin',
    request: () => ({ method: 'PATCH', url: `/api/routing-rules/${ids.rule}`, payload: { active: false } }),
    status: 200,
    events: () => [
      {
        action: 'routing_rule.update',
        resource_id: ids.rule,
        details: { changes: { active: { from: true, to: false } } },
      },
    ],
  },
  {
    name: 'a routing rule change refused as invalid',
    who: 'admin',
    request: () => ({
      method: 'PATCH',
      url: `/api/routing-rules/${ids.rule}`,
      payload: { priority: 'first' },
    }),
    status: 400,
    events: () => [{ action: 'routing_rule.update', resource_id: ids.rule, outcome: 'invalid' }],
  },
  {
    name: 'a shift added to the roster',
    who: 'admin',
    request: () => ({
      method: 'POST',
      url: '/api/roster',
      payload: {
        userId: ids.liming,
        departmentId: ids.cityRad,
        startsAt: '2031-03-04T00:00:00.000Z',
        endsAt: '2031-03-04T08:00:00.000Z',
      },
    }),
    status: 201,
    events: () => [
      {
        action: 'roster.add',
        resource_type: 'roster_entry',
        details: {
          created: expect.objectContaining({ userId: ids.liming, startsAt: '2031-03-04T00:00:00.000Z' }),
        },
      },
    ],
  },
  {
    name: 'a shift removed from the roster',
    who: 'admin',
    request: () => ({ method: 'DELETE', url: `/api/roster/${ids.roster}` }),
    status: 204,
    events: () => [
      {
        action: 'roster.remove',
        resource_id: ids.roster,
        details: {
          removed: expect.objectContaining({ userId: ids.liming, startsAt: '2026-12-01T00:00:00.000Z' }),
        },
      },
    ],
  },
  {
    name: 'a roster removal refused to a technician',
    who: 'tech',
    request: () => ({ method: 'DELETE', url: `/api/roster/${ids.roster2}` }),
    status: 403,
    events: () => [
      { action: 'roster.remove', resource_id: ids.roster2, outcome: 'denied', actor_username: 'wangjianguo' },
    ],
  },
  {
    name: 'a user creation refused to a technician',
    who: 'tech',
    request: () => ({
      method: 'POST',
      url: '/api/users',
      payload: { username: 'sneaky', displayName: 'x', password: NEW_PASSWORD, role: 'admin' },
    }),
    status: 403,
    events: () => [{ action: 'user.create', outcome: 'denied', actor_username: 'wangjianguo' }],
  },
  {
    name: 'a password reset of a user who does not exist',
    who: 'admin',
    request: () => ({
      method: 'PATCH',
      url: '/api/users/00000000-0000-4000-8000-000000000001',
      payload: { password: NEW_PASSWORD, displayName: '无' },
    }),
    status: 404,
    events: () => [
      {
        action: 'user.update',
        resource_id: '00000000-0000-4000-8000-000000000001',
        outcome: 'not_found',
        details: { requested: { displayName: '无' } },
      },
    ],
  },
  {
    name: 'the audit trail read',
    who: 'admin',
    request: () => ({ method: 'GET', url: '/api/admin/audit?action=user.create&limit=5' }),
    status: 200,
    events: () => [
      {
        action: 'audit.read',
        resource_type: 'audit_trail',
        outcome: 'success',
        actor_username: 'admin',
        details: { query: { action: 'user.create', limit: 5 } },
      },
    ],
  },
  {
    name: 'the audit trail read refused to a technician',
    who: 'tech',
    request: () => ({ method: 'GET', url: '/api/admin/audit' }),
    status: 403,
    events: () => [{ action: 'audit.read', outcome: 'denied', actor_username: 'wangjianguo' }],
  },
];

describe('administrators leave an audit event', () => {
  it.each(cases)('for $name', async ({ who, request, status, events }) => {
    const res = await eventsOf(who, request());
    expect(res.status, res.body).toBe(status);
    expect(res.events).toEqual(events().map((e): unknown => expect.objectContaining(e)));
    for (const event of res.events) expect(event.ip).not.toBe('');
    // never a password or its hash
    const recorded = JSON.stringify(res.events);
    expect(recorded).not.toContain(NEW_PASSWORD);
    expect(recorded).not.toMatch(/argon2|not-a-real-hash|password"/i);
  });

  it('in one unbroken chain', async () => {
    expect((await verifyAuditChain(t.db.pool)).firstBreak).toBeNull();
  });
});
