import {
  AppError,
  type FieldError,
  type RoutingCandidate,
  type RoutingDecision,
  type RoutingRule,
  type RoutingRuleCreate,
  type RoutingRuleUpdate,
  type Urgency,
} from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { HospitalsRepository } from './hospitals-repository.js';
import { firstRow, isoNotNull } from '../rows.js';

interface RuleRecord {
  id: string;
  name: string;
  priority: number;
  active: boolean;
  requesting_hospital_id: string | null;
  requesting_department_id: string | null;
  modalities: string[];
  body_parts: string[];
  urgencies: Urgency[];
  from_minute: number | null;
  to_minute: number | null;
  target_department_id: string | null;
  subspecialty: string | null;
  updated_at: Date;
}

// enum arrays come back from pg as text unless cast: the one column list every rule query returns
const RULE_COLUMNS = `id, name, priority, active, requesting_hospital_id, requesting_department_id, modalities,
  body_parts, urgencies::text[] AS urgencies, from_minute, to_minute, target_department_id, subspecialty, updated_at`;

/** A rule's columns in the order of RULE_COLUMNS' writable part: name … subspecialty. */
function ruleValues(rule: Omit<RoutingRule, 'id' | 'updatedAt'>): unknown[] {
  return [
    rule.name,
    rule.priority,
    rule.active,
    rule.requestingHospitalId,
    rule.requestingDepartmentId,
    rule.modalities,
    rule.bodyParts,
    rule.urgencies,
    rule.fromMinute,
    rule.toMinute,
    rule.targetDepartmentId,
    rule.subspecialty,
  ];
}

function toRule(r: RuleRecord): RoutingRule {
  return {
    id: r.id,
    name: r.name,
    priority: r.priority,
    active: r.active,
    requestingHospitalId: r.requesting_hospital_id,
    requestingDepartmentId: r.requesting_department_id,
    modalities: r.modalities,
    bodyParts: r.body_parts,
    urgencies: r.urgencies,
    fromMinute: r.from_minute,
    toMinute: r.to_minute,
    targetDepartmentId: r.target_department_id,
    subspecialty: r.subspecialty,
    updatedAt: isoNotNull(r.updated_at),
  };
}

interface CaseForRouting {
  id: string;
  requesting_hospital_id: string;
  requesting_department_id: string;
  target_department_id: string | null;
  modality: string | null;
  body_part: string | null;
  urgency: string;
}

interface RuleRow {
  id: string;
  name: string;
  target_department_id: string | null;
  subspecialty: string | null;
}

const HOSPITAL_UTC_OFFSET_MINUTES = 8 * 60;

// A specialist's open work: what counts against their cap and their load.
const OPEN_CASE = "c.state IN ('assigned', 'in_review', 'preliminary')";

/** The minute of the day in hospital time. */
export function hospitalMinute(at: Date): number {
  const minutes = Math.floor(at.getTime() / 60_000) + HOSPITAL_UTC_OFFSET_MINUTES;
  return ((minutes % 1440) + 1440) % 1440;
}

/**
 * Routing decisions. Rules are rows: the first active rule whose conditions match the case names the department
 * (or the case's partnered one) and the subspecialty needed; the partnered department is tried first, then the
 * requesting department's other partnerships in their order (the fallback pool). Among specialists on the roster at
 * that moment, in that department, with the subspecialty and under their cap, the one with the least open work
 * weighted by urgency is chosen.
 */
export class RoutingRepository {
  constructor(private readonly db: Queryable) {}

  /** Every rule, in the order they are tried. */
  async listRules(): Promise<RoutingRule[]> {
    const { rows } = await this.db.query<RuleRecord>(
      `SELECT ${RULE_COLUMNS} FROM routing_rules ORDER BY priority, created_at`,
    );
    return rows.map(toRule);
  }

  /** A new rule, its references checked. */
  async createRule(input: RoutingRuleCreate): Promise<RoutingRule> {
    const rule = {
      priority: 100,
      active: true,
      requestingHospitalId: null,
      requestingDepartmentId: null,
      modalities: [],
      bodyParts: [],
      urgencies: [],
      fromMinute: null,
      toMinute: null,
      targetDepartmentId: null,
      subspecialty: null,
      ...input,
    };
    await this.check(rule);
    const { rows } = await this.db.query<RuleRecord>(
      `INSERT INTO routing_rules (name, priority, active, requesting_hospital_id, requesting_department_id, modalities,
         body_parts, urgencies, from_minute, to_minute, target_department_id, subspecialty)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${RULE_COLUMNS}`,
      ruleValues(rule),
    );
    return toRule(firstRow(rows));
  }

  /** Changes a rule; the result must still be a valid rule. */
  async updateRule(id: string, input: RoutingRuleUpdate): Promise<RoutingRule> {
    const { rows: found } = await this.db.query<RuleRecord>(
      `SELECT ${RULE_COLUMNS} FROM routing_rules WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const current = found[0];
    if (!current) throw new AppError('not_found', `routing rule ${id} does not exist`);
    const rule = { ...toRule(current), ...input };
    await this.check(rule);
    const { rows } = await this.db.query<RuleRecord>(
      `UPDATE routing_rules SET name = $2, priority = $3, active = $4, requesting_hospital_id = $5,
         requesting_department_id = $6, modalities = $7, body_parts = $8, urgencies = $9, from_minute = $10,
         to_minute = $11, target_department_id = $12, subspecialty = $13, updated_at = now()
       WHERE id = $1 RETURNING ${RULE_COLUMNS}`,
      [id, ...ruleValues(rule)],
    );
    return toRule(firstRow(rows));
  }

  private async check(rule: {
    requestingHospitalId: string | null;
    requestingDepartmentId: string | null;
    fromMinute: number | null;
    toMinute: number | null;
    targetDepartmentId: string | null;
  }): Promise<void> {
    const errors: FieldError[] = [];
    if ((rule.fromMinute === null) !== (rule.toMinute === null)) {
      errors.push({
        field: 'toMinute',
        message: 'a time window needs both fromMinute and toMinute, or neither',
      });
    }
    const kindOf = async (departmentId: string): Promise<string | undefined> => {
      const { rows } = await this.db.query<{ kind: string; hospital_id: string }>(
        'SELECT h.kind, d.hospital_id FROM departments d JOIN hospitals h ON h.id = d.hospital_id WHERE d.id = $1',
        [departmentId],
      );
      return rows[0]?.kind;
    };
    if (rule.targetDepartmentId && (await kindOf(rule.targetDepartmentId)) !== 'city') {
      errors.push({ field: 'targetDepartmentId', message: 'must be a department of a city hospital' });
    }
    if (rule.requestingDepartmentId && (await kindOf(rule.requestingDepartmentId)) !== 'county') {
      errors.push({ field: 'requestingDepartmentId', message: 'must be a department of a county hospital' });
    }
    if (rule.requestingHospitalId) {
      const { rows } = await this.db.query('SELECT 1 FROM hospitals WHERE id = $1', [
        rule.requestingHospitalId,
      ]);
      if (!rows.length) errors.push({ field: 'requestingHospitalId', message: 'no such hospital' });
    }
    if (errors.length) throw new AppError('validation_failed', 'the routing rule is not valid', errors);
  }

  /**
   * The decision for a case at `at`: a specialist, or the pool when nobody eligible is on duty anywhere the case may
   * go. `exclude` leaves out specialists who held the case before (a released or escalated case goes elsewhere).
   * Null only when the case does not exist.
   */
  async decide(caseId: string, at: Date, exclude: string[] = []): Promise<RoutingDecision | null> {
    const { rows: cases } = await this.db.query<CaseForRouting>(
      `SELECT id, requesting_hospital_id, requesting_department_id, target_department_id, modality, body_part, urgency
       FROM cases WHERE id = $1`,
      [caseId],
    );
    const c = cases[0];
    if (!c) return null;
    const rules = await this.matchingRules(c, at);
    // The matching rules in order, then a last resort: any specialist of the partnered departments. A case is better
    // read by a general radiologist now than left waiting for a subspecialist who is full or off duty.
    const plan: RuleRow[] = [
      ...rules,
      {
        id: '',
        name: rules.length
          ? 'last resort: any specialist of the partnered departments'
          : 'default: the partnered department',
        target_department_id: null,
        subspecialty: null,
      },
    ];
    const fallbacks = await new HospitalsRepository(this.db).partnerDepartments(c.requesting_department_id);
    const tried: RoutingDecision['tried'] = [];
    for (const rule of plan) {
      const primary = rule.target_department_id ?? c.target_department_id;
      const departments = [...new Set([primary, ...(rule.target_department_id ? [] : fallbacks)])].filter(
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
      // Lock first, count after: a statement that waited for the lock still reads from its own start, so the
      // count must be a statement of its own to see the assignment that held the lock.
      await this.db.query('SELECT 1 FROM users WHERE id = $1 FOR UPDATE', [decision.specialistId]);
      const { rows } = await this.db.query<{ room: boolean }>(
        `SELECT u.max_open_cases > (
           SELECT count(*) FROM cases c
           WHERE c.assigned_specialist_id = u.id AND ${OPEN_CASE}
         ) AS room
         FROM users u WHERE u.id = $1`,
        [decision.specialistId],
      );
      if (rows[0]?.room) return decision;
      left.push(decision.specialistId);
    }
  }

  private async matchingRules(c: CaseForRouting, at: Date): Promise<RuleRow[]> {
    const { rows } = await this.db.query<RuleRow>(
      `SELECT id, name, target_department_id, subspecialty FROM routing_rules
       WHERE active
         AND (requesting_hospital_id IS NULL OR requesting_hospital_id = $1)
         AND (requesting_department_id IS NULL OR requesting_department_id = $2)
         AND (cardinality(modalities) = 0 OR $3::text = ANY(modalities))
         AND (cardinality(body_parts) = 0 OR upper($4::text) = ANY(body_parts))
         AND (cardinality(urgencies) = 0 OR $5::case_urgency = ANY(urgencies))
         AND (from_minute IS NULL
              OR (from_minute <= to_minute AND $6 BETWEEN from_minute AND to_minute)
              OR (from_minute > to_minute AND ($6 >= from_minute OR $6 <= to_minute)))
       ORDER BY priority, created_at`,
      [
        c.requesting_hospital_id,
        c.requesting_department_id,
        c.modality,
        c.body_part,
        c.urgency,
        hospitalMinute(at),
      ],
    );
    return rows;
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
