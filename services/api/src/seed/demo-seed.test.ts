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
import { seedDemo } from './demo-seed.js';
import { atWallTime, mondayWallTime } from './hospital-clock.js';

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
      users: 25,
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

  it('starts weeks on Monday, midnight on the hospital’s clock', () => {
    const monday = (now: string, zone: string): string =>
      atWallTime(mondayWallTime(new Date(now), zone), zone).toISOString();
    // Sunday 2026-11-29 23:30 in Beijing time is still the week of Monday 2026-11-23
    expect(monday('2026-11-29T15:30:00Z', 'Asia/Shanghai')).toBe('2026-11-22T16:00:00.000Z');
    // Monday 2026-11-30 00:30 in Beijing time starts a new week
    expect(monday('2026-11-29T16:30:00Z', 'Asia/Shanghai')).toBe('2026-11-29T16:00:00.000Z');
    // while in Xinjiang time it is still Sunday 22:30
    expect(monday('2026-11-29T16:30:00Z', 'Asia/Urumqi')).toBe('2026-11-22T18:00:00.000Z');
  });

  it('keeps 白沙县人民医院 on Xinjiang time', async () => {
    const baisha = (await db.hospitals.listHospitals()).find((h) => h.code === 'BAISHA');
    expect(baisha).toMatchObject({ name: '白沙县人民医院', timeZone: 'Asia/Urumqi' });
  });
});

describe('the demo roster', () => {
  let other: TestDatabase;
  let xinjiang: Database;

  beforeAll(async () => {
    other = await createTestDatabase(TEST_ADMIN_URL);
    xinjiang = createDatabase(createPool({ connectionString: other.url, max: 2 }));
  });
  afterAll(async () => {
    await xinjiang.pool.end();
    await other.drop();
  });

  it('lays shifts on the clock of the department’s hospital', async () => {
    // 南州市中心医院 already there, keeping Xinjiang time: its shifts follow that clock, 附二院's Beijing time
    await xinjiang.seed.ensureHospital({
      code: 'NZ-CENTRAL',
      name: '南州市中心医院',
      kind: 'city',
      region: '南州市',
      timeZone: 'Asia/Urumqi',
    });
    await seedDemo(xinjiang, 'demo12345', new Date('2026-11-30T04:00:00Z'));
    const departments = await xinjiang.hospitals.listDepartments();
    const hospitals = await xinjiang.hospitals.listHospitals();
    const radiology = (code: string): string =>
      departments.find((d) => d.code === 'RAD' && d.hospitalId === hospitals.find((h) => h.code === code)?.id)
        ?.id ?? '';
    const dayShift = async (code: string): Promise<string | undefined> =>
      (
        await xinjiang.roster.list({
          departmentId: radiology(code),
          from: '2026-11-30T00:00:00Z',
          to: '2026-11-30T06:00:00Z',
        })
      ).find((s) => s.note === '白班')?.startsAt;
    // Monday 30 November, 08:00: midnight UTC in Beijing, two hours later in Xinjiang
    expect(await dayShift('NZMU-2')).toBe('2026-11-30T00:00:00.000Z');
    expect(await dayShift('NZ-CENTRAL')).toBe('2026-11-30T02:00:00.000Z');
    // Tuesday 09:00 in Beijing time the day shift reads at 附二院; in Xinjiang it is 07:00 and the night shift on
    const at = '2026-12-01T01:00:00Z';
    const notes = async (code: string): Promise<string[]> => [
      ...new Set((await xinjiang.roster.list({ at, departmentId: radiology(code) })).map((s) => s.note)),
    ];
    expect(await notes('NZMU-2')).toEqual(['白班']);
    expect(await notes('NZ-CENTRAL')).toEqual(['夜班']);
  });
});
