import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createDatabase,
  createPool,
  createTestDatabase,
  TEST_ADMIN_URL,
  type Actor,
  type Database,
  type TestDatabase,
  seedRadiologyHospitals,
} from '@telemed/db';
import { decideRouting } from './decide-routing.js';

const NOW = new Date('2026-11-30T03:00:00Z'); // 11:00 Beijing time, 09:00 Xinjiang time

let database: TestDatabase;
let db: Database;
const ids: Record<string, string> = {};
let tech: Actor;
let xinjiangTech: Actor;
let admin: Actor;

async function person(
  username: string,
  role: 'technician' | 'specialist' | 'admin',
  hospital: string | null,
  dept: string | null,
  subspecialties: string[] = [],
): Promise<string> {
  const made = await db.seed.ensureUser({
    username,
    displayName: username,
    passwordHash: () => Promise.resolve('x'),
    role,
    hospitalId: hospital ? (ids[hospital] ?? null) : null,
    departmentId: dept ? (ids[dept] ?? null) : null,
    subspecialties,
    isDepartmentHead: false,
  });
  ids[username] = made.id;
  return made.id;
}

async function onDuty(username: string, dept: string, modalities: string[] = []): Promise<void> {
  await db.seed.ensureShift({
    userId: ids[username] ?? '',
    departmentId: ids[dept] ?? '',
    startsAt: new Date(NOW.getTime() - 3_600_000),
    endsAt: new Date(NOW.getTime() + 3_600_000),
    modalities,
    note: '',
  });
}

function actor(username: string, role: Actor['role'], hospital: string | null, dept: string | null): Actor {
  return {
    userId: ids[username] ?? '',
    username,
    displayName: username,
    role,
    hospitalId: hospital ? (ids[hospital] ?? null) : null,
    departmentId: dept ? (ids[dept] ?? null) : null,
    sessionId: '00000000-0000-4000-8000-000000000000',
  };
}

async function submittedCase(
  fields: { modality?: string; bodyPart?: string; urgency?: 'stat' | 'urgent' | 'routine' } = {},
  from: Actor = tech,
): Promise<string> {
  return db.transaction(async (tx) => {
    const hospitalId = from.hospitalId ?? '';
    const { patient } = await tx.patients.register(hospitalId, {
      mrn: `M${Math.random()}`,
      name: '测试',
      sex: 'M',
    });
    const id = await tx.cases.insert({
      patientId: patient.id,
      hospitalId,
      departmentId: from.departmentId ?? '',
      createdBy: from.userId,
      urgency: fields.urgency ?? 'routine',
      clinicalQuestion: '复查',
      clinicalHistory: '',
      modality: fields.modality ?? null,
      bodyPart: fields.bodyPart ?? null,
      studyInstanceUid: null,
      accessionNumber: null,
    });
    await tx.cases.change(id, {
      state: 'submitted',
      stamp: true,
      targetDepartmentId: ids['CITY1/RAD'] ?? '',
      routeInMs: 0,
    });
    return id;
  });
}

async function assign(caseId: string, username: string): Promise<void> {
  const specialistId = ids[username] ?? '';
  await db.transaction(async (tx) => {
    await tx.cases.change(caseId, {
      state: 'assigned',
      stamp: true,
      assignedSpecialistId: specialistId,
      routeInMs: null,
      sla: 'start',
    });
    await tx.cases.writeHistory({
      caseId,
      action: 'assign',
      from: 'submitted',
      to: 'assigned',
      actor: admin,
      reason: '',
      details: { specialistId },
    });
  });
}

beforeAll(async () => {
  database = await createTestDatabase(TEST_ADMIN_URL);
  db = createDatabase(createPool({ connectionString: database.url, max: 4 }));
  Object.assign(
    ids,
    await seedRadiologyHospitals(db, [
      ['COUNTY', 'county', 'Asia/Shanghai'],
      // a county in Xinjiang keeping Xinjiang time (UTC+6), two hours behind Beijing
      ['XJCOUNTY', 'county', 'Asia/Urumqi'],
      ['CITY1', 'city', 'Asia/Shanghai'],
      ['CITY2', 'city', 'Asia/Shanghai'],
    ]),
  );
  await db.seed.ensurePartnership(ids['COUNTY/RAD'] ?? '', ids['CITY1/RAD'] ?? '', 0);
  await db.seed.ensurePartnership(ids['COUNTY/RAD'] ?? '', ids['CITY2/RAD'] ?? '', 10);
  await db.seed.ensurePartnership(ids['XJCOUNTY/RAD'] ?? '', ids['CITY1/RAD'] ?? '', 0);
  await person('tech', 'technician', 'COUNTY', 'COUNTY/RAD');
  await person('xjtech', 'technician', 'XJCOUNTY', 'XJCOUNTY/RAD');
  await person('admin', 'admin', null, null);
  await person('neuro1', 'specialist', 'CITY1', 'CITY1/RAD', ['neuro']);
  await person('chest1', 'specialist', 'CITY1', 'CITY1/RAD', ['chest']);
  await person('chest2', 'specialist', 'CITY1', 'CITY1/RAD', ['chest']);
  await person('offduty', 'specialist', 'CITY1', 'CITY1/RAD', ['chest', 'neuro']);
  await person('fallback', 'specialist', 'CITY2', 'CITY2/RAD', ['neuro']);
  for (const u of ['neuro1', 'chest1', 'chest2']) await onDuty(u, 'CITY1/RAD');
  await onDuty('fallback', 'CITY2/RAD');
  tech = actor('tech', 'technician', 'COUNTY', 'COUNTY/RAD');
  xinjiangTech = actor('xjtech', 'technician', 'XJCOUNTY', 'XJCOUNTY/RAD');
  admin = actor('admin', 'admin', null, null);
  await db.pool.query(
    `INSERT INTO routing_rules (name, priority, body_parts, subspecialty) VALUES
       ('头颈部 → 神经', 10, '{HEAD,BRAIN,NECK}', 'neuro'),
       ('胸部 → 胸部组', 20, '{CHEST,LUNG}', 'chest'),
       ('夜间 → 附二院', 5, '{}', NULL)`,
  );
  // the night rule only applies 22:00–06:00 in the requesting hospital's time, and sends to the second city hospital
  await db.pool.query(
    `UPDATE routing_rules SET from_minute = 1320, to_minute = 360, target_department_id = $1 WHERE priority = 5`,
    [ids['CITY2/RAD']],
  );
});

afterAll(async () => {
  await db.pool.end();
  await database.drop();
});

beforeEach(async () => {
  await db.pool.query(
    "UPDATE cases SET state = 'final' WHERE state IN ('assigned', 'in_review', 'preliminary')",
  );
  await db.pool.query('UPDATE users SET max_open_cases = 20');
});

describe('routing decisions', () => {
  it('matches the rule by body part and picks an on-duty specialist with the subspecialty', async () => {
    const decision = await decideRouting(db, await submittedCase({ modality: 'CT', bodyPart: 'head' }), NOW);
    expect(decision).toMatchObject({
      ruleName: '头颈部 → 神经',
      specialistId: ids.neuro1,
      departmentId: ids['CITY1/RAD'],
    });
    expect(decision?.reason).toMatch(/neuro1 has the least open work/);
  });

  it('never picks someone off the roster, whatever their load', async () => {
    const decision = await decideRouting(db, await submittedCase({ bodyPart: 'CHEST' }), NOW);
    expect([ids.chest1, ids.chest2]).toContain(decision?.specialistId);
    expect(decision?.tried[0]?.candidates.map((c) => c.username)).not.toContain('offduty');
  });

  it('chooses the least open work, weighted by urgency', async () => {
    await assign(await submittedCase({ bodyPart: 'CHEST', urgency: 'stat' }), 'chest1');
    await assign(await submittedCase({ bodyPart: 'CHEST' }), 'chest2');
    await assign(await submittedCase({ bodyPart: 'CHEST' }), 'chest2');
    // chest1 holds one STAT (3), chest2 two routine (2): chest2 is less loaded
    const decision = await decideRouting(db, await submittedCase({ bodyPart: 'CHEST' }), NOW);
    expect(decision?.specialistId).toBe(ids.chest2);
    expect(decision?.tried[0]?.candidates.map((c) => [c.username, c.load])).toEqual([
      ['chest2', 2],
      ['chest1', 3],
    ]);
  });

  it('respects each specialist’s cap, then falls back to the next partnered department', async () => {
    await db.pool.query('UPDATE users SET max_open_cases = 1 WHERE id = $1', [ids.neuro1]);
    await assign(await submittedCase({ bodyPart: 'HEAD' }), 'neuro1');
    const decision = await decideRouting(db, await submittedCase({ bodyPart: 'HEAD' }), NOW);
    expect(decision).toMatchObject({ specialistId: ids.fallback, departmentId: ids['CITY2/RAD'] });
    expect(decision?.reason).toMatch(/fallback pool/);
    expect(decision?.tried.map((t) => t.candidates.length)).toEqual([0, 1]);
  });

  it('applies a time-of-day rule only inside its window, across midnight', async () => {
    const caseId = await submittedCase({ bodyPart: 'CHEST' });
    const night = new Date('2026-11-30T15:30:00Z'); // 23:30 Beijing time
    await db.seed.ensureShift({
      userId: ids.fallback ?? '',
      departmentId: ids['CITY2/RAD'] ?? '',
      startsAt: new Date(night.getTime() - 3_600_000),
      endsAt: new Date(night.getTime() + 3_600_000),
      modalities: [],
      note: '',
    });
    expect((await decideRouting(db, caseId, night))?.ruleName).toBe('夜间 → 附二院');
    expect((await decideRouting(db, caseId, NOW))?.ruleName).toBe('胸部 → 胸部组');
  });

  it('reads a time window on the clock of the county the case comes from', async () => {
    // 23:30 in Beijing is 21:30 in Xinjiang: night in 南州's counties, still evening for a county on Xinjiang time
    const lateEvening = new Date('2026-11-30T15:30:00Z');
    const fromBeijing = await submittedCase({ bodyPart: 'CHEST' });
    const fromXinjiang = await submittedCase({ bodyPart: 'CHEST' }, xinjiangTech);
    expect((await decideRouting(db, fromBeijing, lateEvening))?.ruleName).toBe('夜间 → 附二院');
    expect((await decideRouting(db, fromXinjiang, lateEvening))?.ruleName).toBe('胸部 → 胸部组');
    // 07:30 in Beijing is 05:30 in Xinjiang: the county on Xinjiang time is still in its night
    const earlyMorning = new Date('2026-11-30T23:30:00Z');
    expect((await decideRouting(db, fromBeijing, earlyMorning))?.ruleName).toBe('胸部 → 胸部组');
    expect((await decideRouting(db, fromXinjiang, earlyMorning))?.ruleName).toBe('夜间 → 附二院');
  });

  it('leaves the case in the pool, saying why, when nobody eligible is on duty anywhere it may go', async () => {
    const lateNight = new Date('2026-12-05T18:00:00Z');
    const decision = await decideRouting(db, await submittedCase({ bodyPart: 'HEAD' }), lateNight);
    // 02:00 Beijing time: the night rule first (its one department), then the head rule (partner, then fallback),
    // then the last resort (any specialist of either)
    expect(decision).toMatchObject({ outcome: 'pool', specialistId: null, ruleName: '夜间 → 附二院' });
    expect(decision?.tried.map((t) => [t.departmentId, t.candidates.length])).toEqual([
      [ids['CITY2/RAD'], 0],
      [ids['CITY1/RAD'], 0],
      [ids['CITY2/RAD'], 0],
      [ids['CITY1/RAD'], 0],
      [ids['CITY2/RAD'], 0],
    ]);
    expect(decision?.reason).toMatch(/waits in the department pool/);
  });

  it('gives the case to any specialist of the partnered department when no subspecialist is free', async () => {
    await db.pool.query('UPDATE users SET max_open_cases = 1 WHERE id = ANY($1)', [
      [ids.neuro1, ids.fallback],
    ]);
    await assign(await submittedCase({ bodyPart: 'HEAD' }), 'neuro1');
    await assign(await submittedCase({ bodyPart: 'HEAD' }), 'fallback');
    const decision = await decideRouting(db, await submittedCase({ bodyPart: 'HEAD' }), NOW);
    expect(decision).toMatchObject({
      outcome: 'assigned',
      ruleName: 'last resort: any specialist of the partnered departments',
      departmentId: ids['CITY1/RAD'],
    });
    expect([ids.chest1, ids.chest2]).toContain(decision?.specialistId);
  });

  it('leaves out the specialists who held the case before', async () => {
    const caseId = await submittedCase({ bodyPart: 'HEAD' });
    const decision = await decideRouting(db, caseId, NOW, [ids.neuro1 ?? '']);
    expect(decision).toMatchObject({
      outcome: 'assigned',
      specialistId: ids.fallback,
      excluded: [ids.neuro1],
    });
  });

  it('honours a shift limited to certain modalities', async () => {
    await db.pool.query("UPDATE roster_entries SET modalities = '{MR}' WHERE user_id = $1", [ids.neuro1]);
    try {
      const decision = await decideRouting(
        db,
        await submittedCase({ modality: 'CT', bodyPart: 'BRAIN' }),
        NOW,
      );
      expect(decision?.specialistId).toBe(ids.fallback);
      const mr = await decideRouting(db, await submittedCase({ modality: 'MR', bodyPart: 'BRAIN' }), NOW);
      expect(mr?.specialistId).toBe(ids.neuro1);
    } finally {
      await db.pool.query("UPDATE roster_entries SET modalities = '{}' WHERE user_id = $1", [ids.neuro1]);
    }
  });
});
