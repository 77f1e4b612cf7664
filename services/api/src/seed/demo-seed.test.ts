import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createDatabase,
  createPool,
  createTestDatabase,
  TEST_ADMIN_URL,
  tableDigests,
  type Database,
  type TestDatabase,
} from '@telemed/db';
import { seedDemo, weekStart } from './demo-seed.js';

let database: TestDatabase;
let db: Database;

beforeAll(async () => {
  database = await createTestDatabase(TEST_ADMIN_URL);
  db = createDatabase(createPool({ connectionString: database.url, max: 2 }));
});
afterAll(async () => {
  await db.pool.end();
  await database.drop();
});

describe('the demo seed', () => {
  it('creates two city and four county hospitals with people and a roster', async () => {
    const report = await seedDemo(db, 'demo12345');
    expect(report).toMatchObject({
      hospitals: 6,
      departments: 12,
      partnerships: 12,
      users: 24,
      routingRules: 6,
    });
    const hospitals = await db.hospitals.listHospitals();
    expect(hospitals.filter((h) => h.kind === 'city')).toHaveLength(2);
    expect(hospitals.filter((h) => h.kind === 'county').map((h) => h.name)).toContain('青川县人民医院');
    const specialists = await db.users.list({ role: 'specialist' });
    const covered = new Set(specialists.flatMap((s) => s.subspecialties));
    for (const s of ['neuro', 'chest', 'abdomen', 'msk', 'cardiac', 'ultrasound'])
      expect(covered).toContain(s);
    expect(report.shifts).toBeGreaterThan(0);
  });

  it('changes nothing when run again', async () => {
    const before = await tableDigests(db.pool);
    const report = await seedDemo(db, 'another-password');
    expect(report).toEqual({
      hospitals: 0,
      departments: 0,
      partnerships: 0,
      users: 0,
      shifts: 0,
      routingRules: 0,
    });
    expect(await tableDigests(db.pool)).toEqual(before);
  });

  it('starts weeks on Monday, midnight in the hospitals’ time zone', () => {
    // Sunday 2026-11-29 23:30 in UTC+8 is still the week of Monday 2026-11-23
    expect(weekStart(new Date('2026-11-29T15:30:00Z')).toISOString()).toBe('2026-11-22T16:00:00.000Z');
    // Monday 2026-11-30 00:30 in UTC+8 starts a new week
    expect(weekStart(new Date('2026-11-29T16:30:00Z')).toISOString()).toBe('2026-11-29T16:00:00.000Z');
  });
});
