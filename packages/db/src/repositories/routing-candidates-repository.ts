import type { RoutingCandidate, SpecialistChoice, Urgency } from '@telemed/contracts';
import type { Queryable } from '../pool.js';

/** What routing reads of a case. */
export interface CaseForRouting {
  id: string;
  requestingHospitalId: string;
  requestingDepartmentId: string;
  targetDepartmentId: string | null;
  modality: string | null;
  bodyPart: string | null;
  urgency: Urgency;
}

// A specialist's open work: what counts against their cap and their load.
const OPEN_CASE = "c.state IN ('assigned', 'in_review', 'preliminary')";

/**
 * Who may take a case: specialists on the roster at that moment, in the department, with the subspecialty and under
 * their cap, the one with the least open work weighted by urgency first; and the lock that holds a chosen
 * specialist's place. Storage only: the plan a decision follows is the domain layer's (`decideRouting`).
 */
export class RoutingCandidatesRepository {
  constructor(private readonly db: Queryable) {}

  /** What routing reads of a case, or null when it does not exist. */
  async caseForRouting(caseId: string): Promise<CaseForRouting | null> {
    const { rows } = await this.db.query<{
      id: string;
      requesting_hospital_id: string;
      requesting_department_id: string;
      target_department_id: string | null;
      modality: string | null;
      body_part: string | null;
      urgency: Urgency;
    }>(
      `SELECT id, requesting_hospital_id, requesting_department_id, target_department_id, modality, body_part,
              urgency::text AS urgency
       FROM cases WHERE id = $1`,
      [caseId],
    );
    const r = rows[0];
    if (!r) return null;
    return {
      id: r.id,
      requestingHospitalId: r.requesting_hospital_id,
      requestingDepartmentId: r.requesting_department_id,
      targetDepartmentId: r.target_department_id,
      modality: r.modality,
      bodyPart: r.body_part,
      urgency: r.urgency,
    };
  }

  /**
   * Locks a specialist's row and tells whether they still have room under their cap; the lock holds until the
   * transaction ends. Inside a transaction.
   */
  async holdPlace(specialistId: string): Promise<boolean> {
    // Lock first, count after: a statement that waited for the lock still reads from its own start, so the
    // count must be a statement of its own to see the assignment that held the lock.
    await this.db.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [specialistId]);
    const { rows } = await this.db.query<{ room: boolean }>(
      `SELECT u.max_open_cases > (
         SELECT count(*) FROM cases c
         WHERE c.assigned_specialist_id = u.id AND ${OPEN_CASE}
       ) AS room
       FROM users u WHERE u.id = $1`,
      [specialistId],
    );
    return rows[0]?.room ?? false;
  }

  /** Specialists of a department on duty at `at`, able to read the case, under their cap; least loaded first. */
  async candidates(
    departmentId: string,
    subspecialty: string | null,
    modality: string | null,
    at: Date,
    exclude: string[] = [],
  ): Promise<RoutingCandidate[]> {
    const { rows } = await this.db.query<{
      id: string;
      username: string;
      load: number;
      open_cases: number;
      cap: number;
    }>(
      `SELECT u.id, u.username, u.max_open_cases AS cap,
              COALESCE(w.load, 0)::int AS load, COALESCE(w.open_cases, 0)::int AS open_cases
       FROM users u
       LEFT JOIN LATERAL (
         SELECT sum(CASE c.urgency WHEN 'stat' THEN 3 WHEN 'urgent' THEN 2 ELSE 1 END) AS load, count(*) AS open_cases
         FROM cases c WHERE c.assigned_specialist_id = u.id AND ${OPEN_CASE}
       ) w ON true
       WHERE u.role = 'specialist' AND u.active AND u.department_id = $1
         AND ($2::text IS NULL OR $2 = ANY(u.subspecialties))
         AND COALESCE(w.open_cases, 0) < u.max_open_cases
         AND NOT (u.id = ANY($5::uuid[]))
         AND EXISTS (
           SELECT 1 FROM roster_entries r
           WHERE r.user_id = u.id AND r.department_id = $1 AND r.starts_at <= $3 AND r.ends_at > $3
             AND (cardinality(r.modalities) = 0 OR $4::text = ANY(r.modalities))
         )
       ORDER BY load, open_cases, u.username`,
      [departmentId, subspecialty, at, modality, exclude],
    );
    return rows.map((r) => ({
      userId: r.id,
      username: r.username,
      load: r.load,
      openCases: r.open_cases,
      cap: r.cap,
    }));
  }

  /**
   * Specialists on duty at `at` in any of `departmentIds` (for a case of `modality`), active and under their cap,
   * with the open work they hold: the departments in the order given, least loaded first within each.
   */
  async onDuty(
    departmentIds: string[],
    modality: string | null,
    at: Date,
    exclude: string[] = [],
  ): Promise<SpecialistChoice[]> {
    const { rows } = await this.db.query<{
      id: string;
      display_name: string;
      department_id: string;
      department_name: string;
      hospital_name: string;
      load: number;
      open_cases: number;
      cap: number;
    }>(
      `SELECT u.id, u.display_name, d.id AS department_id, d.name AS department_name, h.name AS hospital_name,
              u.max_open_cases AS cap, COALESCE(w.load, 0)::int AS load, COALESCE(w.open_cases, 0)::int AS open_cases
       FROM unnest($1::uuid[]) WITH ORDINALITY AS wanted(department_id, place)
       JOIN departments d ON d.id = wanted.department_id
       JOIN hospitals h ON h.id = d.hospital_id
       JOIN users u ON u.department_id = d.id
       LEFT JOIN LATERAL (
         SELECT sum(CASE c.urgency WHEN 'stat' THEN 3 WHEN 'urgent' THEN 2 ELSE 1 END) AS load, count(*) AS open_cases
         FROM cases c WHERE c.assigned_specialist_id = u.id AND ${OPEN_CASE}
       ) w ON true
       WHERE u.role = 'specialist' AND u.active
         AND COALESCE(w.open_cases, 0) < u.max_open_cases
         AND NOT (u.id = ANY($4::uuid[]))
         AND EXISTS (
           SELECT 1 FROM roster_entries r
           WHERE r.user_id = u.id AND r.department_id = d.id AND r.starts_at <= $2 AND r.ends_at > $2
             AND (cardinality(r.modalities) = 0 OR $3::text = ANY(r.modalities))
         )
       ORDER BY wanted.place, load, open_cases, u.display_name`,
      [departmentIds, at, modality, exclude],
    );
    return rows.map((r) => ({
      userId: r.id,
      displayName: r.display_name,
      departmentId: r.department_id,
      departmentName: r.department_name,
      hospitalName: r.hospital_name,
      load: r.load,
      openCases: r.open_cases,
      cap: r.cap,
    }));
  }
}
