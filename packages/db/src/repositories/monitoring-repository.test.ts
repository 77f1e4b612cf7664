import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../actor.js';
import { createDatabase, type Database } from '../database.js';
import { createPool } from '../pool.js';
import { createTestDatabase, TEST_ADMIN_URL, type TestDatabase } from '../test-database.js';
import { seedRadiologyHospitals } from '../test-hospitals.js';

let database: TestDatabase;
let db: Database;
const ids: Record<string, string> = {};
let tech: Actor;

async function caseSubmittedAt(at: string, department: string): Promise<void> {
  const hospitalId = tech.hospitalId ?? '';
  const id = await db.transaction(async (tx) => {
    const { patient } = await tx.patients.register(hospitalId, {
      mrn: `M${Math.random()}`,
      name: '测试',
      sex: 'F',
    });
    return tx.cases.insert({
      patientId: patient.id,
      hospitalId,
      departmentId: tech.departmentId ?? '',
      createdBy: tech.userId,
      urgency: 'routine',
      clinicalQuestion: '复查',
      clinicalHistory: '',
      modality: null,
      bodyPart: null,
      studyInstanceUid: null,
      accessionNumber: null,
    });
  });
  await db.pool.query(
    "UPDATE cases SET state = 'submitted', submitted_at = $2, target_department_id = $3 WHERE id = $1",
    [id, at, ids[department]],
  );
}

beforeAll(async () => {
  database = await createTestDatabase(TEST_ADMIN_URL);
  db = createDatabase(createPool({ connectionString: database.url, max: 2 }));
  // departments named after their hospital's clock, so the figures read back say which clock counted the day
  const named = (code: string): string => code;
  Object.assign(
    ids,
    await seedRadiologyHospitals(
      db,
      [
        ['COUNTY', 'county', 'Asia/Shanghai'],
        ['BEIJING-TIME', 'city', 'Asia/Shanghai'],
        ['XINJIANG-TIME', 'city', 'Asia/Urumqi'],
      ],
      { hospital: named, department: named, region: '测试' },
    ),
  );
  const made = await db.seed.ensureUser({
    username: 'tech',
    displayName: 'tech',
    passwordHash: () => Promise.resolve('x'),
    role: 'technician',
    hospitalId: ids.COUNTY ?? null,
    departmentId: ids['COUNTY/RAD'] ?? null,
    subspecialties: [],
    isDepartmentHead: false,
  });
  tech = {
    userId: made.id,
    username: 'tech',
    displayName: 'tech',
    role: 'technician',
    hospitalId: ids.COUNTY ?? null,
    departmentId: ids['COUNTY/RAD'] ?? null,
    sessionId: '00000000-0000-4000-8000-000000000000',
  };
});

afterAll(async () => {
  await db.pool.end();
  await database.drop();
});

describe('turnaround by day', () => {
  it('counts days on the clock of the department’s hospital', async () => {
    // 01:00 on 30 November in Beijing is still 23:00 on 29 November in Xinjiang
    await caseSubmittedAt('2026-11-29T17:00:00Z', 'BEIJING-TIME/RAD');
    await caseSubmittedAt('2026-11-29T17:00:00Z', 'XINJIANG-TIME/RAD');
    // 18:00 on 29 November in Beijing: the day before yesterday there when it is 01:30 on 1 December
    await caseSubmittedAt('2026-11-29T10:00:00Z', 'BEIJING-TIME/RAD');
    // 00:30 on 29 November in Xinjiang: yesterday there when it is 23:30 on 30 November
    await caseSubmittedAt('2026-11-28T18:30:00Z', 'XINJIANG-TIME/RAD');
    // reported final straight away at 00:30 on 30 November in Xinjiang, which is today there
    await db.pool.query(
      "UPDATE cases SET state = 'final', finalized_at = '2026-11-29T18:30:00Z' WHERE submitted_at = '2026-11-28T18:30:00Z'",
    );

    // 01:30 on 1 December in Beijing, 23:30 on 30 November in Xinjiang: the last two days, today included
    const figures = await db.monitoring.figures(new Date('2026-11-30T17:30:00Z'), 2);
    const days = figures.turnaround.map((t) => [t.departmentName, t.day, t.cases]);
    expect(days).toEqual([
      ['BEIJING-TIME', '2026-11-30', 1],
      ['XINJIANG-TIME', '2026-11-29', 2],
    ]);
    // what each department received, counted by the same days
    expect(
      figures.throughput.map((t) => [t.departmentName, t.day, t.received, t.reported, t.finalized]),
    ).toEqual([
      ['BEIJING-TIME', '2026-11-30', 1, 0, 0],
      ['XINJIANG-TIME', '2026-11-30', 0, 1, 1],
      ['XINJIANG-TIME', '2026-11-29', 2, 0, 0],
    ]);
  });
});
