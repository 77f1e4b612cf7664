import {
  AppError,
  type RoutingRule,
  type RoutingRuleCreate,
  type RoutingRuleUpdate,
  type Urgency,
} from '@telemed/contracts';
import type { Queryable } from '../pool.js';
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

/** What a rule's conditions are matched against: the case as the router sees it. */
export interface RoutingCaseFacts {
  requestingHospitalId: string;
  requestingDepartmentId: string;
  modality: string | null;
  bodyPart: string | null;
  urgency: Urgency;
}

/** A rule that matched a case: where it sends the case and who must read it. */
export interface MatchedRule {
  id: string;
  name: string;
  targetDepartmentId: string | null;
  subspecialty: string | null;
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

/**
 * Routing rules, stored as data an administrator edits: conditions on a case (requesting hospital or department,
 * modality, body part, urgency, a time-of-day window) and where it goes (target department, subspecialty).
 */
export class RoutingRulesRepository {
  constructor(private readonly db: Queryable) {}

  /** Every rule, in the order they are tried. */
  async list(): Promise<RoutingRule[]> {
    const { rows } = await this.db.query<RuleRecord>(
      `SELECT ${RULE_COLUMNS} FROM routing_rules ORDER BY priority, created_at`,
    );
    return rows.map(toRule);
  }

  /** A new rule. */
  async create(input: RoutingRuleCreate): Promise<RoutingRule> {
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
    const { rows } = await this.db.query<RuleRecord>(
      `INSERT INTO routing_rules (name, priority, active, requesting_hospital_id, requesting_department_id, modalities,
         body_parts, urgencies, from_minute, to_minute, target_department_id, subspecialty)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING ${RULE_COLUMNS}`,
      ruleValues(rule),
    );
    return toRule(firstRow(rows));
  }

  /** Changes a rule. */
  async update(id: string, input: RoutingRuleUpdate): Promise<RoutingRule> {
    const { rows: found } = await this.db.query<RuleRecord>(
      `SELECT ${RULE_COLUMNS} FROM routing_rules WHERE id = $1 FOR UPDATE`,
      [id],
    );
    const current = found[0];
    if (!current) throw new AppError('not_found', `routing rule ${id} does not exist`);
    const rule = { ...toRule(current), ...input };
    const { rows } = await this.db.query<RuleRecord>(
      `UPDATE routing_rules SET name = $2, priority = $3, active = $4, requesting_hospital_id = $5,
         requesting_department_id = $6, modalities = $7, body_parts = $8, urgencies = $9, from_minute = $10,
         to_minute = $11, target_department_id = $12, subspecialty = $13, updated_at = now()
       WHERE id = $1 RETURNING ${RULE_COLUMNS}`,
      [id, ...ruleValues(rule)],
    );
    return toRule(firstRow(rows));
  }

  /** Deletes a rule; cases it routed keep its name and id in their routing decision. */
  async remove(id: string): Promise<RoutingRule> {
    const { rows } = await this.db.query<RuleRecord>(
      `DELETE FROM routing_rules WHERE id = $1 RETURNING ${RULE_COLUMNS}`,
      [id],
    );
    const removed = rows[0];
    if (!removed) throw new AppError('not_found', `routing rule ${id} does not exist`);
    return toRule(removed);
  }

  /**
   * The active rules whose conditions match the case at `at`, in the order they are tried. A time window is read
   * on the clock of the requesting hospital (the county the case comes from): a rule about a county's nights
   * follows that county's working day, Xinjiang time for a county on Asia/Urumqi.
   */
  async matching(c: RoutingCaseFacts, at: Date): Promise<MatchedRule[]> {
    const { rows } = await this.db.query<{
      id: string;
      name: string;
      target_department_id: string | null;
      subspecialty: string | null;
    }>(
      `WITH here AS (
         SELECT (extract(hour FROM l.local) * 60 + extract(minute FROM l.local))::int AS minute
         FROM (SELECT $6::timestamptz AT TIME ZONE h.time_zone AS local FROM hospitals h WHERE h.id = $1) l
       )
       SELECT r.id, r.name, r.target_department_id, r.subspecialty FROM routing_rules r, here
       WHERE r.active
         AND (r.requesting_hospital_id IS NULL OR r.requesting_hospital_id = $1)
         AND (r.requesting_department_id IS NULL OR r.requesting_department_id = $2)
         AND (cardinality(r.modalities) = 0 OR $3::text = ANY(r.modalities))
         AND (cardinality(r.body_parts) = 0 OR upper($4::text) = ANY(r.body_parts))
         AND (cardinality(r.urgencies) = 0 OR $5::case_urgency = ANY(r.urgencies))
         AND (r.from_minute IS NULL
              OR (r.from_minute <= r.to_minute AND here.minute BETWEEN r.from_minute AND r.to_minute)
              OR (r.from_minute > r.to_minute AND (here.minute >= r.from_minute OR here.minute <= r.to_minute)))
       ORDER BY r.priority, r.created_at`,
      [c.requestingHospitalId, c.requestingDepartmentId, c.modality, c.bodyPart, c.urgency, at],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      targetDepartmentId: r.target_department_id,
      subspecialty: r.subspecialty,
    }));
  }
}
