import { DEFAULT_TIME_ZONE } from '@telemed/contracts';
import type { Database } from '@telemed/db';
import { hashPassword } from '../auth/passwords.js';
import { atWallTime, mondayWallTime } from './hospital-clock.js';
import {
  DEMO_ADMIN,
  DEMO_GATEWAY,
  DEMO_HOSPITALS,
  DEMO_PARTNERSHIPS,
  DEMO_ROSTER_WEEKS,
  DEMO_ROUTING_RULES,
  DEMO_SPECIALISTS,
  DEMO_TECHNICIANS,
  type DemoUser,
} from './demo-data.js';

/** How many rows of each kind a seed run created. */
export interface SeedReport {
  hospitals: number;
  departments: number;
  partnerships: number;
  users: number;
  shifts: number;
  routingRules: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/**
 * The demo: hospitals, departments, partnerships, a technician per county department, specialists with
 * subspecialties, a day/night roster, and the admin. Every row is ensured by its natural key, so running it again
 * in the same week changes nothing; in a later week it extends the roster.
 */
export async function seedDemo(db: Database, password: string, now = new Date()): Promise<SeedReport> {
  const report: SeedReport = {
    hospitals: 0,
    departments: 0,
    partnerships: 0,
    users: 0,
    shifts: 0,
    routingRules: 0,
  };
  let hashed: Promise<string> | undefined;
  const passwordHash = (): Promise<string> => (hashed ??= hashPassword(password));

  await db.transaction(async (tx) => {
    const departmentIds = new Map<string, string>();
    const hospitalIds = new Map<string, string>();
    // the zone each hospital keeps now (an administrator may have changed it since the last seed)
    const timeZones = new Map<string, string>();
    for (const h of DEMO_HOSPITALS) {
      const hospital = await tx.seed.ensureHospital(h);
      hospitalIds.set(h.code, hospital.id);
      timeZones.set(h.code, (await tx.hospitals.getHospital(hospital.id)).timeZone);
      report.hospitals += Number(hospital.created);
      for (const d of h.departments) {
        const dept = await tx.seed.ensureDepartment({ hospitalId: hospital.id, ...d });
        departmentIds.set(`${h.code}/${d.code}`, dept.id);
        report.departments += Number(dept.created);
      }
    }
    const dept = (hospital: string, code: string): string => {
      const id = departmentIds.get(`${hospital}/${code}`);
      if (!id) throw new Error(`demo data names an unknown department ${hospital}/${code}`);
      return id;
    };

    for (const p of DEMO_PARTNERSHIPS) {
      const made = await tx.seed.ensurePartnership(dept(...p.county), dept(...p.city), p.priority);
      report.partnerships += Number(made.created);
    }

    const ensurePerson = async (u: DemoUser, role: 'technician' | 'specialist'): Promise<string> => {
      const made = await tx.seed.ensureUser({
        username: u.username,
        displayName: u.displayName,
        passwordHash,
        role,
        hospitalId: hospitalIds.get(u.hospital) ?? null,
        departmentId: dept(u.hospital, u.department),
        subspecialties: u.subspecialties ?? [],
        isDepartmentHead: u.head ?? false,
      });
      report.users += Number(made.created);
      return made.id;
    };
    for (const t of [...DEMO_TECHNICIANS, DEMO_GATEWAY]) await ensurePerson(t, 'technician');
    const specialistIds = new Map<string, string>();
    for (const s of DEMO_SPECIALISTS) specialistIds.set(s.username, await ensurePerson(s, 'specialist'));

    const admin = await tx.seed.ensureUser({
      ...DEMO_ADMIN,
      passwordHash,
      role: 'admin',
      hospitalId: null,
      departmentId: null,
      subspecialties: [],
      isDepartmentHead: false,
    });
    report.users += Number(admin.created);

    for (const rule of DEMO_ROUTING_RULES) {
      const made = await tx.seed.ensureRoutingRule({
        name: rule.name,
        priority: rule.priority,
        modalities: rule.modalities ?? [],
        bodyParts: rule.bodyParts ?? [],
        subspecialty: rule.subspecialty,
      });
      report.routingRules += Number(made.created);
    }

    // Each department: everyone reads days (08:00–20:00), nights (20:00–08:00) rotate one person at a time, on the
    // clock of the department's hospital.
    const byDepartment = new Map<string, { hospital: string; code: string; people: { id: string }[] }>();
    for (const s of DEMO_SPECIALISTS) {
      const key = `${s.hospital}/${s.department}`;
      const entry = byDepartment.get(key) ?? { hospital: s.hospital, code: s.department, people: [] };
      entry.people.push({ id: specialistIds.get(s.username) ?? '' });
      byDepartment.set(key, entry);
    }
    for (const { hospital, code, people } of byDepartment.values()) {
      const departmentId = dept(hospital, code);
      const modalities = code === 'US' ? ['US'] : [];
      const timeZone = timeZones.get(hospital) ?? DEFAULT_TIME_ZONE;
      const monday = mondayWallTime(now, timeZone);
      const at = (day: number, hour: number): Date => atWallTime(monday + day * DAY + hour * HOUR, timeZone);
      for (let day = 0; day < DEMO_ROSTER_WEEKS * 7; day++) {
        const night = people[day % people.length];
        for (const person of people) {
          const userId = person.id;
          const shift =
            person === night
              ? { startsAt: at(day, 20), endsAt: at(day, 32), note: '夜班' }
              : { startsAt: at(day, 8), endsAt: at(day, 20), note: '白班' };
          const made = await tx.seed.ensureShift({ userId, departmentId, modalities, ...shift });
          report.shifts += Number(made.created);
        }
      }
    }
  });
  return report;
}
