import {
  createDatabase,
  createPool,
  createTestDatabase,
  seedTestPerson,
  TEST_ADMIN_URL,
  type Actor,
  type Database,
  type TestDatabase,
} from '@telemed/db';

/**
 * A small world for the use cases on its own database: a county hospital (radiology and ultrasound) whose radiology
 * is partnered with a city hospital's radiology, a second county hospital, and these people: `tech` (county
 * radiology), `ultrasound` (county ultrasound), `elsewhere` (the other county), `reader` and `colleague` (city
 * radiology), `admin`.
 */
export interface PartneredWorld {
  db: Database;
  people: Record<'tech' | 'ultrasound' | 'elsewhere' | 'reader' | 'colleague' | 'admin', Actor>;
  close(): Promise<void>;
}

/** Builds the world; `close` drops its database. */
export async function createPartneredWorld(): Promise<PartneredWorld> {
  const database: TestDatabase = await createTestDatabase(TEST_ADMIN_URL);
  const db = createDatabase(createPool({ connectionString: database.url, max: 4 }));
  const hospital = (code: string, name: string, kind: 'county' | 'city') =>
    db.seed.ensureHospital({ code, name, kind, region: kind === 'county' ? '新疆' : '南州' });
  const dept = async (hospitalId: string, code: string, name: string) =>
    (await db.seed.ensureDepartment({ hospitalId, code, name, specialty: 'radiology' })).id;
  const county = await hospital('COUNTY', '县医院', 'county');
  const other = await hospital('OTHER', '另一县医院', 'county');
  const city = await hospital('CITY', '市医院', 'city');
  const countyRad = await dept(county.id, 'RAD', '放射科');
  const countyUs = await dept(county.id, 'US', '超声科');
  const otherRad = await dept(other.id, 'RAD', '放射科');
  const cityRad = await dept(city.id, 'RAD', '放射科');
  await db.seed.ensurePartnership(countyRad, cityRad, 0);
  // the world's people, each in the department given (seedTestPerson looks it up by `CODE/RAD`)
  const person = (
    username: string,
    role: Actor['role'],
    hospitalId: string | null,
    departmentId: string | null,
  ) =>
    seedTestPerson(
      db,
      { H: hospitalId ?? '', 'H/RAD': departmentId ?? '' },
      username,
      role,
      hospitalId ? 'H' : null,
    );
  const people = {
    tech: await person('tech', 'technician', county.id, countyRad),
    ultrasound: await person('ultrasound', 'technician', county.id, countyUs),
    elsewhere: await person('elsewhere', 'technician', other.id, otherRad),
    reader: await person('reader', 'specialist', city.id, cityRad),
    colleague: await person('colleague', 'specialist', city.id, cityRad),
    admin: await person('admin', 'admin', null, null),
  };
  return {
    db,
    people,
    async close() {
      await db.pool.end();
      await database.drop();
    },
  };
}
