import type { RoutingCandidate, RoutingDecision, Urgency } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { HospitalsRepository } from './hospitals-repository.js';
import { RoutingRulesRepository, type MatchedRule } from './routing-rules-repository.js';

interface CaseForRouting {
  id: string;
  requesting_hospital_id: string;
  requesting_department_id: string;
  target_department_id: string | null;
  modality: string | null;
  body_part: string | null;
  urgency: Urgency;
}

// A specialist's open work: what counts against their cap and their load.
const OPEN_CASE = "c.state IN ('assigned', 'in_review', 'preliminary')";

/**
 * Who may take a case: specialists on the roster at that moment, in the department, with the subspecialty and under
 * their cap, the one with the least open work weighted by urgency first; and the decision built from them. The
 * decision's plan (the matching rules in order, the partnered department, the requesting department's other
 * partnerships as the fallback pool, a last resort without subspecialty) and the human-readable `ruleName` and
 * `reason` texts of `decide` are routing policy that still lives here, until the domain layer takes them.
 */
export class RoutingCandidatesRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * The decision for a case at `at`: a specialist, or the pool when nobody eligible is on duty anywhere the case may
   * go. `exclude` leaves out specialists who held the case before (a released or escalated case goes elsewhere).
   * Null only when the case does not exist.
   */
  async decide(caseId: string, at: Date, exclude: string[] = []): Promise<RoutingDecision | null> {
    const { rows: cases } = await this.db.query<CaseForRouting>(
      `SELECT id, requesting_hospital_id, requesting_department_id, target_department_id, modality, body_part,
              urgency::text AS urgency
       FROM cases WHERE id = $1`,
      [caseId],
    );
    const c = cases[0];
    if (!c) return null;
    const rules = await new RoutingRulesRepository(this.db).matching(
      {
        requestingHospitalId: c.requesting_hospital_id,
        requestingDepartmentId: c.requesting_department_id,
        modality: c.modality,
        bodyPart: c.body_part,
        urgency: c.urgency,
      },
      at,
    );
    // The matching rules in order, then a last resort: any specialist of the partnered departments. A case is better
    // read by a general radiologist now than left waiting for a subspecialist who is full or off duty.
    const plan: MatchedRule[] = [
      ...rules,
      {
        id: '',
        name: rules.length
          ? 'last resort: any specialist of the partnered departments'
          : 'default: the partnered department',
        targetDepartmentId: null,
        subspecialty: null,
      },
    ];
    const fallbacks = await new HospitalsRepository(this.db).partnerDepartments(c.requesting_department_id);
    const tried: RoutingDecision['tried'] = [];
    for (const rule of plan) {
      const primary = rule.targetDepartmentId ?? c.target_department_id;
      const departments = [...new Set([primary, ...(rule.targetDepartmentId ? [] : fallbacks)])].filter(
        (d): d is string => d !== null,
      );
      for (const departmentId of departments) {
        const candidates = await this.candidates(departmentId, rule.subspecialty, c.modality, at, exclude);
        tried.push({ departmentId, candidates });
        const chosen = candidates[0];
        if (chosen) {
          return {
            outcome: 'assigned',
            ruleId: rule.id || null,
            ruleName: rule.name,
            departmentId,
            specialistId: chosen.userId,
            reason:
              `${chosen.username} has the least open work (${chosen.load} weighted, ${chosen.openCases} of ` +
              `${chosen.cap} cases) among ${candidates.length} on duty` +
              (rule.subspecialty ? ` reading ${rule.subspecialty}` : '') +
              (departmentId === primary
                ? ''
                : '; the first department had nobody free, so the fallback pool took it'),
            tried,
            excluded: exclude,
            decidedAt: at.toISOString(),
          };
        }
      }
    }
    const first = plan[0];
    return {
      outcome: 'pool',
      ruleId: first?.id || null,
      ruleName: first?.name ?? '',
      departmentId: c.target_department_id,
      specialistId: null,
      reason:
        'nobody eligible is on duty with room for another case in any department this case may go to; ' +
        'it waits in the department pool for a claim, and routing is tried again',
      tried,
      excluded: exclude,
      decidedAt: at.toISOString(),
    };
  }

  /**
   * Decides, and holds the chosen specialist's place until the transaction ends: their row is locked and their open
   * cases counted again, so two decisions taken at once never both give the last place under a cap. A specialist
   * found full at that moment is left out and the decision taken again. Inside a transaction.
   */
  async choose(caseId: string, at: Date, exclude: string[] = []): Promise<RoutingDecision | null> {
    const left = [...exclude];
    for (;;) {
      const decision = await this.decide(caseId, at, left);
      if (!decision?.specialistId) return decision;
      if (await this.holdPlace(decision.specialistId)) return decision;
      left.push(decision.specialistId);
    }
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
}
