import type { Actor } from './actor.js';
import type { Database } from './database.js';

/** A hospital for a test's world: its code, kind and clock. */
export type TestHospital = readonly [code: string, kind: 'county' | 'city', timeZone?: string];

/**
 * Seeds `hospitals`, each with one radiology department coded RAD, and returns their ids: the hospital's under its
 * code, its department's under `CODE/RAD`. Hospitals are named `<code> 医院` and departments 放射科 unless
 * `names` says otherwise (a test that reads names back in figures).
 */
export async function seedRadiologyHospitals(
  db: Database,
  hospitals: readonly TestHospital[],
  names: { hospital?: (code: string) => string; department?: (code: string) => string; region?: string } = {},
): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const [code, kind, timeZone] of hospitals) {
    const hospitalId = (
      await db.seed.ensureHospital({
        code,
        name: names.hospital?.(code) ?? `${code} 医院`,
        kind,
        region: names.region ?? '南州',
        ...(timeZone ? { timeZone } : {}),
      })
    ).id;
    ids[code] = hospitalId;
    ids[`${code}/RAD`] = (
      await db.seed.ensureDepartment({
        hospitalId,
        code: 'RAD',
        name: names.department?.(code) ?? '放射科',
        specialty: 'radiology',
      })
    ).id;
  }
  return ids;
}

/**
 * Seeds a person of a test's world in the radiology department of `hospital` (a code seeded by
 * `seedRadiologyHospitals`, or null for an administrator) and returns them as an actor of the use cases.
 */
export async function seedTestPerson(
  db: Database,
  ids: Readonly<Record<string, string>>,
  username: string,
  role: Actor['role'],
  hospital: string | null,
  more: { subspecialties?: string[]; isDepartmentHead?: boolean } = {},
): Promise<Actor> {
  const hospitalId = hospital ? (ids[hospital] ?? null) : null;
  const departmentId = hospital ? (ids[`${hospital}/RAD`] ?? null) : null;
  const made = await db.seed.ensureUser({
    username,
    displayName: username,
    passwordHash: () => Promise.resolve('x'),
    role,
    hospitalId,
    departmentId,
    subspecialties: more.subspecialties ?? [],
    isDepartmentHead: more.isDepartmentHead ?? false,
  });
  return {
    userId: made.id,
    username,
    displayName: username,
    role,
    hospitalId,
    departmentId,
    sessionId: '00000000-0000-4000-8000-000000000000',
  };
}
