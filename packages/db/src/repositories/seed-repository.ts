import { DEFAULT_TIME_ZONE, type HospitalKind, type Role } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow } from '../rows.js';

/**
 * Idempotent upserts by natural key for the demo seed: each `ensure` creates the row if it is missing and otherwise
 * leaves what is stored untouched, so seeding twice changes nothing.
 */
export class SeedRepository {
  constructor(private readonly db: Queryable) {}

  /** The hospital with this code, created if missing. Returns its id and whether it was created. */
  async ensureHospital(h: {
    code: string;
    name: string;
    kind: HospitalKind;
    region: string;
    timeZone?: string;
  }): Promise<Ensured> {
    return this.ensure(
      `INSERT INTO hospitals (code, name, kind, region, time_zone) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (code) DO NOTHING RETURNING id`,
      [h.code, h.name, h.kind, h.region, h.timeZone ?? DEFAULT_TIME_ZONE],
      'SELECT id FROM hospitals WHERE code = $1',
      [h.code],
    );
  }

  /** The department with this code in this hospital, created if missing. */
  async ensureDepartment(d: {
    hospitalId: string;
    code: string;
    name: string;
    specialty: string;
  }): Promise<Ensured> {
    return this.ensure(
      `INSERT INTO departments (hospital_id, code, name, specialty) VALUES ($1, $2, $3, $4)
       ON CONFLICT (hospital_id, code) DO NOTHING RETURNING id`,
      [d.hospitalId, d.code, d.name, d.specialty],
      'SELECT id FROM departments WHERE hospital_id = $1 AND code = $2',
      [d.hospitalId, d.code],
    );
  }

  /** The pairing of these two departments, created if missing. */
  async ensurePartnership(
    countyDepartmentId: string,
    cityDepartmentId: string,
    priority: number,
  ): Promise<Ensured> {
    return this.ensure(
      `INSERT INTO partnerships (county_department_id, city_department_id, priority) VALUES ($1, $2, $3)
       ON CONFLICT (county_department_id, city_department_id) DO NOTHING RETURNING id`,
      [countyDepartmentId, cityDepartmentId, priority],
      'SELECT id FROM partnerships WHERE county_department_id = $1 AND city_department_id = $2',
      [countyDepartmentId, cityDepartmentId],
    );
  }

  /** The user with this username, created if missing (an existing user keeps their password). */
  async ensureUser(u: {
    username: string;
    displayName: string;
    passwordHash: () => Promise<string>;
    role: Role;
    hospitalId: string | null;
    departmentId: string | null;
    subspecialties: string[];
    isDepartmentHead: boolean;
  }): Promise<Ensured> {
    const { rows } = await this.db.query<{ id: string }>(
      'SELECT id FROM users WHERE lower(username) = lower($1)',
      [u.username],
    );
    if (rows[0]) return { id: rows[0].id, created: false };
    return this.ensure(
      `INSERT INTO users (username, display_name, password_hash, role, hospital_id, department_id, subspecialties,
                          is_department_head)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT DO NOTHING RETURNING id`,
      [
        u.username,
        u.displayName,
        await u.passwordHash(),
        u.role,
        u.hospitalId,
        u.departmentId,
        u.subspecialties,
        u.isDepartmentHead,
      ],
      'SELECT id FROM users WHERE lower(username) = lower($1)',
      [u.username],
    );
  }

  /** The shift of this person in this department starting at this instant, created if missing. */
  async ensureShift(s: {
    userId: string;
    departmentId: string;
    startsAt: Date;
    endsAt: Date;
    modalities: string[];
    note: string;
  }): Promise<Ensured> {
    return this.ensure(
      `INSERT INTO roster_entries (user_id, department_id, starts_at, ends_at, modalities, note)
       SELECT $1, $2, $3, $4, $5, $6
       WHERE NOT EXISTS (SELECT 1 FROM roster_entries WHERE user_id = $1 AND department_id = $2 AND starts_at = $3)
       RETURNING id`,
      [s.userId, s.departmentId, s.startsAt, s.endsAt, s.modalities, s.note],
      'SELECT id FROM roster_entries WHERE user_id = $1 AND department_id = $2 AND starts_at = $3',
      [s.userId, s.departmentId, s.startsAt],
    );
  }

  /** The routing rule with this name, created if missing (an existing one keeps an admin's edits). */
  async ensureRoutingRule(r: {
    name: string;
    priority: number;
    modalities: string[];
    bodyParts: string[];
    subspecialty: string;
  }): Promise<Ensured> {
    return this.ensure(
      `INSERT INTO routing_rules (name, priority, modalities, body_parts, subspecialty)
       SELECT $1, $2, $3, $4, $5 WHERE NOT EXISTS (SELECT 1 FROM routing_rules WHERE name = $1)
       RETURNING id`,
      [r.name, r.priority, r.modalities, r.bodyParts, r.subspecialty],
      'SELECT id FROM routing_rules WHERE name = $1',
      [r.name],
    );
  }

  private async ensure(
    insert: string,
    params: unknown[],
    select: string,
    selectParams: unknown[],
  ): Promise<Ensured> {
    const inserted = await this.db.query<{ id: string }>(insert, params);
    if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true };
    const { rows } = await this.db.query<{ id: string }>(select, selectParams);
    return { id: firstRow(rows).id, created: false };
  }
}

/** The id of an ensured row and whether this call created it. */
export interface Ensured {
  id: string;
  created: boolean;
}
