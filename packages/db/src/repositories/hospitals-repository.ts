import {
  AppError,
  DEFAULT_TIME_ZONE,
  type Department,
  type DepartmentCreate,
  type DepartmentUpdate,
  type Hospital,
  type HospitalCreate,
  type HospitalUpdate,
  type Partnership,
  type PartnershipCreate,
  type PartnershipUpdate,
} from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, isoNotNull, PG, pgCode, setClause } from '../rows.js';

interface HospitalRow {
  id: string;
  code: string;
  name: string;
  kind: Hospital['kind'];
  region: string;
  active: boolean;
  time_zone: string;
  sla_stat_minutes: number;
  sla_urgent_minutes: number;
  sla_routine_minutes: number;
  // numeric: pg hands it over as text
  critical_head_minutes: string;
  critical_admin_minutes: string;
  created_at: Date;
}

interface DepartmentRow {
  id: string;
  hospital_id: string;
  code: string;
  name: string;
  specialty: string;
  active: boolean;
}

interface PartnershipRow {
  id: string;
  county_department_id: string;
  city_department_id: string;
  priority: number;
  active: boolean;
}

/** Hospitals, their departments, and the county-to-city department pairings (科室对科室). */
export class HospitalsRepository {
  constructor(private readonly db: Queryable) {}

  /** Every hospital, county ones first, then by name. */
  async listHospitals(): Promise<Hospital[]> {
    const { rows } = await this.db.query<HospitalRow>('SELECT * FROM hospitals ORDER BY kind, name');
    return rows.map(toHospital);
  }

  /** One hospital, or a not_found error. */
  async getHospital(id: string): Promise<Hospital> {
    const { rows } = await this.db.query<HospitalRow>('SELECT * FROM hospitals WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) throw new AppError('not_found', `hospital ${id} does not exist`);
    return toHospital(row);
  }

  /** A hospital with a new, unique code. */
  async createHospital(input: HospitalCreate): Promise<Hospital> {
    try {
      const { rows } = await this.db.query<HospitalRow>(
        `INSERT INTO hospitals (code, name, kind, region, time_zone) VALUES ($1, $2, $3, $4, $5) RETURNING *`,
        [input.code, input.name, input.kind, input.region, input.timeZone ?? DEFAULT_TIME_ZONE],
      );
      return toHospital(firstRow(rows));
    } catch (error) {
      unknownTimeZone(error, input.timeZone);
      if (pgCode(error) === PG.uniqueViolation) {
        throw new AppError(
          'hospital_code_taken',
          `a hospital with code ${input.code} already exists; choose another code`,
          { params: { code: input.code } },
        );
      }
      throw error;
    }
  }

  /** Changes name, region, whether the hospital is active, its time zone, or its agreed SLA minutes. */
  async updateHospital(id: string, input: HospitalUpdate): Promise<Hospital> {
    try {
      return toHospital(
        await this.updateRow<HospitalRow>('hospitals', 'hospital', id, {
          name: input.name,
          region: input.region,
          active: input.active,
          time_zone: input.timeZone,
          sla_stat_minutes: input.slaMinutes?.stat,
          sla_urgent_minutes: input.slaMinutes?.urgent,
          sla_routine_minutes: input.slaMinutes?.routine,
          critical_head_minutes: input.criticalAckMinutes?.head,
          critical_admin_minutes: input.criticalAckMinutes?.admin,
        }),
      );
    } catch (error) {
      unknownTimeZone(error, input.timeZone);
      if (
        pgCode(error) === PG.checkViolation &&
        (error as { constraint?: string }).constraint === 'hospitals_critical_minutes_check'
      ) {
        throw new AppError(
          'validation_failed',
          'the administrators are told of a critical finding after its head',
          {
            errors: [
              {
                field: 'criticalAckMinutes.admin',
                message: 'must be at least criticalAckMinutes.head',
                reason: 'at_least',
                params: { other: 'criticalAckMinutes.head' },
              },
            ],
          },
        );
      }
      throw error;
    }
  }

  /** Departments, optionally of one hospital. */
  async listDepartments(hospitalId?: string): Promise<Department[]> {
    const { rows } = await this.db.query<DepartmentRow>(
      `SELECT * FROM departments WHERE ($1::uuid IS NULL OR hospital_id = $1) ORDER BY hospital_id, name`,
      [hospitalId ?? null],
    );
    return rows.map(toDepartment);
  }

  /** One department, or a not_found error. */
  async getDepartment(id: string): Promise<Department> {
    const { rows } = await this.db.query<DepartmentRow>('SELECT * FROM departments WHERE id = $1', [id]);
    const row = rows[0];
    if (!row) throw new AppError('not_found', `department ${id} does not exist`);
    return toDepartment(row);
  }

  /** A department in an existing hospital, its code unique within that hospital. */
  async createDepartment(input: DepartmentCreate): Promise<Department> {
    await this.getHospital(input.hospitalId);
    try {
      const { rows } = await this.db.query<DepartmentRow>(
        'INSERT INTO departments (hospital_id, code, name, specialty) VALUES ($1, $2, $3, $4) RETURNING *',
        [input.hospitalId, input.code, input.name, input.specialty],
      );
      return toDepartment(firstRow(rows));
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) {
        throw new AppError(
          'department_code_taken',
          `the hospital already has a department with code ${input.code}`,
          {
            params: { code: input.code },
          },
        );
      }
      throw error;
    }
  }

  /** Changes name, specialty or whether the department is active. */
  async updateDepartment(id: string, input: DepartmentUpdate): Promise<Department> {
    return toDepartment(
      await this.updateRow<DepartmentRow>('departments', 'department', id, {
        name: input.name,
        specialty: input.specialty,
        active: input.active,
      }),
    );
  }

  /** Every pairing, in the order routing tries them. */
  async listPartnerships(): Promise<Partnership[]> {
    const { rows } = await this.db.query<PartnershipRow>(
      'SELECT * FROM partnerships ORDER BY county_department_id, priority, created_at',
    );
    return rows.map(toPartnership);
  }

  /** Pairs a county department with a city department. */
  async createPartnership(input: PartnershipCreate): Promise<Partnership> {
    try {
      const { rows } = await this.db.query<PartnershipRow>(
        `INSERT INTO partnerships (county_department_id, city_department_id, priority)
         VALUES ($1, $2, $3) RETURNING *`,
        [input.countyDepartmentId, input.cityDepartmentId, input.priority ?? 0],
      );
      return toPartnership(firstRow(rows));
    } catch (error) {
      if (pgCode(error) === PG.uniqueViolation) {
        throw new AppError('already_partners', 'these two departments are already partners');
      }
      throw error;
    }
  }

  /** Changes priority or whether the pairing is active. */
  async updatePartnership(id: string, input: PartnershipUpdate): Promise<Partnership> {
    return toPartnership(
      await this.updateRow<PartnershipRow>('partnerships', 'partnership', id, {
        priority: input.priority,
        active: input.active,
      }),
    );
  }

  private async updateRow<R>(
    table: 'hospitals' | 'departments' | 'partnerships',
    noun: string,
    id: string,
    columns: Record<string, unknown>,
  ): Promise<R> {
    const params: unknown[] = [id];
    const set = setClause(columns, params);
    const { rows } = await this.db.query<R & object>(
      `UPDATE ${table} SET ${set} WHERE id = $1 RETURNING *`,
      params,
    );
    const row = rows[0];
    if (!row) throw new AppError('not_found', `${noun} ${id} does not exist`);
    return row;
  }

  /** Where departments are: their hospital and its kind; unknown ids are absent from the map. */
  async departmentPlaces(
    ids: string[],
  ): Promise<Map<string, { hospitalId: string; kind: Hospital['kind'] }>> {
    const { rows } = await this.db.query<{ id: string; hospital_id: string; kind: Hospital['kind'] }>(
      `SELECT d.id, d.hospital_id, h.kind FROM departments d JOIN hospitals h ON h.id = d.hospital_id
       WHERE d.id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, { hospitalId: r.hospital_id, kind: r.kind }]));
  }

  /** Whether a hospital exists. */
  async hospitalExists(id: string): Promise<boolean> {
    const { rows } = await this.db.query('SELECT 1 FROM hospitals WHERE id = $1', [id]);
    return rows.length > 0;
  }

  /** One department, or null. */
  async findDepartment(id: string): Promise<Department | null> {
    const { rows } = await this.db.query<DepartmentRow>('SELECT * FROM departments WHERE id = $1', [id]);
    const row = rows[0];
    return row ? toDepartment(row) : null;
  }

  /** The active city departments a county department sends to, in the order they are tried. */
  async partnerDepartments(countyDepartmentId: string): Promise<string[]> {
    const { rows } = await this.db.query<{ city_department_id: string }>(
      `SELECT p.city_department_id FROM partnerships p
       JOIN departments d ON d.id = p.city_department_id AND d.active
       WHERE p.county_department_id = $1 AND p.active
       ORDER BY p.priority, p.created_at`,
      [countyDepartmentId],
    );
    return rows.map((r) => r.city_department_id);
  }

  /** The active city department a county department sends to first, if any. */
  async partnerOf(countyDepartmentId: string): Promise<string | null> {
    return (await this.partnerDepartments(countyDepartmentId))[0] ?? null;
  }
}

/** Throws the validation error naming `timeZone` when the database refused a zone it does not know. */
function unknownTimeZone(error: unknown, timeZone: string | undefined): void {
  if (
    pgCode(error) === PG.checkViolation &&
    (error as { constraint?: string }).constraint === 'hospitals_time_zone_check'
  ) {
    throw new AppError('validation_failed', `${timeZone ?? ''} is not a time zone`, {
      errors: [
        {
          field: 'timeZone',
          message: 'must be an IANA time zone name such as Asia/Shanghai or Asia/Urumqi',
          reason: 'time_zone',
        },
      ],
    });
  }
}

function toHospital(r: HospitalRow): Hospital {
  return {
    id: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    region: r.region,
    active: r.active,
    timeZone: r.time_zone,
    slaMinutes: { stat: r.sla_stat_minutes, urgent: r.sla_urgent_minutes, routine: r.sla_routine_minutes },
    criticalAckMinutes: { head: Number(r.critical_head_minutes), admin: Number(r.critical_admin_minutes) },
    createdAt: isoNotNull(r.created_at),
  };
}

function toDepartment(r: DepartmentRow): Department {
  return {
    id: r.id,
    hospitalId: r.hospital_id,
    code: r.code,
    name: r.name,
    specialty: r.specialty,
    active: r.active,
  };
}

function toPartnership(r: PartnershipRow): Partnership {
  return {
    id: r.id,
    countyDepartmentId: r.county_department_id,
    cityDepartmentId: r.city_department_id,
    priority: r.priority,
    active: r.active,
  };
}
