import {
  createDatabase,
  createPool,
  createTestDatabase,
  TEST_ADMIN_URL,
  type Actor,
  type Database,
  type TestDatabase,
} from '@telemed/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caseHistory, claimCase, openCase, submitCase } from '../index.js';
import type { Domain } from '../context.js';
import { recordConsultEvent, requireConsultAccess } from './consult-access.js';

const origin = { ip: '127.0.0.1', userAgent: 'test', requestId: 'consult-test' };
let database: TestDatabase;
let db: Database;
let domain: Domain;
const people: Record<string, Actor> = {};
let caseId = '';

beforeAll(async () => {
  database = await createTestDatabase(TEST_ADMIN_URL);
  db = createDatabase(createPool({ connectionString: database.url, max: 4 }));
  // no queue here: relaying fails and the outbox rows stay, as with Redis away
  domain = {
    db,
    jobs: { add: () => Promise.reject(new Error('no queue in these tests')) },
    onRelayError: () => undefined,
  };
  const hospital = (code: string, kind: 'county' | 'city') =>
    db.seed.ensureHospital({ code, name: code, kind, region: '新疆' });
  const dept = async (hospitalId: string, code: string) =>
    (await db.seed.ensureDepartment({ hospitalId, code, name: code, specialty: 'radiology' })).id;
  const county = await hospital('COUNTY', 'county');
  const other = await hospital('OTHER', 'county');
  const city = await hospital('CITY', 'city');
  const countyRad = await dept(county.id, 'RAD');
  const countyUs = await dept(county.id, 'US');
  const otherRad = await dept(other.id, 'RAD');
  const cityRad = await dept(city.id, 'RAD');
  await db.seed.ensurePartnership(countyRad, cityRad, 0);
  const person = async (
    username: string,
    role: Actor['role'],
    hospitalId: string | null,
    departmentId: string | null,
  ): Promise<void> => {
    const made = await db.seed.ensureUser({
      username,
      displayName: username,
      passwordHash: () => Promise.resolve('x'),
      role,
      hospitalId,
      departmentId,
      subspecialties: [],
      isDepartmentHead: false,
    });
    people[username] = {
      userId: made.id,
      username,
      displayName: username,
      role,
      hospitalId,
      departmentId,
      sessionId: '00000000-0000-4000-8000-000000000000',
    };
  };
  await person('tech', 'technician', county.id, countyRad);
  await person('ultrasound', 'technician', county.id, countyUs);
  await person('elsewhere', 'technician', other.id, otherRad);
  await person('reader', 'specialist', city.id, cityRad);
  await person('colleague', 'specialist', city.id, cityRad);
  await person('admin', 'admin', null, null);
  const as = (u: string) => ({ actor: people[u] as Actor, origin });
  const opened = await openCase(domain, as('tech'), {
    patient: { mrn: 'XJ-1', name: 'ئايگۈل', sex: 'F' },
    urgency: 'urgent',
    clinicalQuestion: '胸痛',
  });
  caseId = opened.id;
  await submitCase(domain, as('tech'), caseId);
  await claimCase(domain, as('reader'), caseId);
});
afterAll(async () => {
  await db.pool.end();
  await database.drop();
});

describe("a case's video consult", () => {
  const allowed = ['tech', 'reader', 'admin'];
  const refused: [string, RegExp][] = [
    ['ultrasound', /only the assigned specialist, staff of the requesting department or an administrator/],
    ['colleague', /only the assigned specialist, staff of the requesting department or an administrator/],
    ['elsewhere', /was not found/],
  ];

  for (const who of allowed) {
    it(`lets ${who} in`, async () => {
      await expect(requireConsultAccess(domain, people[who] as Actor, caseId)).resolves.toMatchObject({
        id: caseId,
      });
    });
  }
  for (const [who, reason] of refused) {
    it(`refuses ${who}, saying why`, async () => {
      await expect(requireConsultAccess(domain, people[who] as Actor, caseId)).rejects.toThrow(reason);
    });
  }

  it('keeps who started and joined it in the case history and the audit trail, and nothing of a refused one', async () => {
    await recordConsultEvent(domain, { actor: people.reader as Actor, origin }, caseId, 'consult_started');
    await recordConsultEvent(domain, { actor: people.tech as Actor, origin }, caseId, 'consult_joined');
    await expect(
      recordConsultEvent(domain, { actor: people.colleague as Actor, origin }, caseId, 'consult_joined'),
    ).rejects.toThrow(/only the assigned specialist/);
    const history = await caseHistory(domain, people.admin as Actor, caseId);
    expect(
      history.filter((h) => h.action.startsWith('consult_')).map((h) => [h.action, h.actorName]),
    ).toEqual([
      ['consult_started', 'reader'],
      ['consult_joined', 'tech'],
    ]);
    const audit = await db.audit.query({ resourceId: caseId, action: 'case.consult_joined' });
    expect(audit.items.map((e) => e.actorUsername)).toEqual(['tech']);
  });
});
