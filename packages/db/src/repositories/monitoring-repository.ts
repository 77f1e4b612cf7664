import type { HospitalBacklog, QueueFigures, SlaCase, Throughput, Turnaround } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { isoNotNull } from '../rows.js';

/** The case figures of the admin queue view; the queue depths come from the queues themselves. */
export type CaseFigures = Omit<QueueFigures, 'queues' | 'at'>;

interface SlaRow {
  id: string;
  state: SlaCase['state'];
  urgency: SlaCase['urgency'];
  hospital_id: string;
  hospital_name: string;
  specialist_id: string | null;
  specialist_name: string | null;
  sla_due_at: Date;
  minutes_left: number;
  escalated: boolean;
}

const SLA_SELECT = `
  SELECT c.id, c.state, c.urgency, h.id AS hospital_id, h.name AS hospital_name, c.assigned_specialist_id AS specialist_id,
         u.display_name AS specialist_name, c.sla_due_at,
         round(extract(epoch FROM c.sla_due_at - $1::timestamptz) / 60)::int AS minutes_left,
         c.sla_escalated_at IS NOT NULL AS escalated
  FROM cases c JOIN hospitals h ON h.id = c.requesting_hospital_id
  LEFT JOIN users u ON u.id = c.assigned_specialist_id
  WHERE c.state IN ('assigned', 'in_review') AND c.sla_due_at IS NOT NULL`;

function toSlaCase(r: SlaRow): SlaCase {
  return {
    caseId: r.id,
    state: r.state,
    urgency: r.urgency,
    hospitalId: r.hospital_id,
    hospitalName: r.hospital_name,
    specialistId: r.specialist_id,
    specialistName: r.specialist_name,
    slaDueAt: isoNotNull(r.sla_due_at),
    minutesLeft: r.minutes_left,
    escalated: r.escalated,
  };
}

const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);

/** Backlog, SLA and turnaround figures over all cases, for administrators. */
export class MonitoringRepository {
  constructor(private readonly db: Queryable) {}

  /**
   * The figures at `now`; turnaround per city department over the last `days` days, today included, each day
   * counted on the clock of the department's hospital.
   */
  async figures(now: Date, days: number): Promise<CaseFigures> {
    const { rows: states } = await this.db.query<{ state: string; n: number }>(
      'SELECT state::text, count(*)::int AS n FROM cases GROUP BY state ORDER BY state',
    );
    const { rows: backlog } = await this.db.query<{
      hospital_id: string;
      hospital_name: string;
      submitted: number;
      assigned: number;
      in_review: number;
      preliminary: number;
      breached: number;
    }>(
      `SELECT h.id AS hospital_id, h.name AS hospital_name,
              count(*) FILTER (WHERE c.state = 'submitted')::int AS submitted,
              count(*) FILTER (WHERE c.state = 'assigned')::int AS assigned,
              count(*) FILTER (WHERE c.state = 'in_review')::int AS in_review,
              count(*) FILTER (WHERE c.state = 'preliminary')::int AS preliminary,
              count(*) FILTER (WHERE c.state IN ('assigned', 'in_review') AND c.sla_due_at <= $1)::int AS breached
       FROM hospitals h JOIN cases c ON c.requesting_hospital_id = h.id
       WHERE c.state IN ('submitted', 'assigned', 'in_review', 'preliminary')
       GROUP BY h.id, h.name ORDER BY h.name`,
      [now],
    );
    // at risk: inside the last fifth of the assignment's window
    const { rows: atRisk } = await this.db.query<SlaRow>(
      `${SLA_SELECT} AND c.sla_due_at > $1
         AND c.sla_due_at - $1::timestamptz < (c.sla_due_at - c.assigned_at) / 5
       ORDER BY c.sla_due_at LIMIT 200`,
      [now],
    );
    const { rows: breached } = await this.db.query<SlaRow>(
      `${SLA_SELECT} AND c.sla_due_at <= $1 ORDER BY c.sla_due_at LIMIT 200`,
      [now],
    );
    const { rows: turnaround } = await this.db.query<{
      department_id: string;
      department_name: string;
      hospital_name: string;
      day: string;
      cases: number;
      a50: number | null;
      a90: number | null;
      p50: number | null;
      p90: number | null;
      f50: number | null;
      f90: number | null;
    }>(
      `WITH t AS (
         SELECT c.target_department_id AS department_id,
                to_char(c.submitted_at AT TIME ZONE h.time_zone, 'YYYY-MM-DD') AS day,
                extract(epoch FROM c.assigned_at - c.submitted_at) / 60 AS to_assigned,
                extract(epoch FROM c.preliminary_at - c.submitted_at) / 60 AS to_preliminary,
                extract(epoch FROM c.finalized_at - c.submitted_at) / 60 AS to_final
         FROM cases c
         JOIN departments td ON td.id = c.target_department_id
         JOIN hospitals h ON h.id = td.hospital_id
         -- whole days from midnight on the department's hospital's clock, today the last of them
         WHERE c.submitted_at >= (date_trunc('day', $1::timestamptz AT TIME ZONE h.time_zone)
                                  - make_interval(days => $2 - 1)) AT TIME ZONE h.time_zone
       )
       SELECT t.department_id, d.name AS department_name, dh.name AS hospital_name, t.day, count(*)::int AS cases,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY t.to_assigned) AS a50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY t.to_assigned) AS a90,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY t.to_preliminary) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY t.to_preliminary) AS p90,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY t.to_final) AS f50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY t.to_final) AS f90
       FROM t JOIN departments d ON d.id = t.department_id JOIN hospitals dh ON dh.id = d.hospital_id
       GROUP BY t.department_id, d.name, dh.name, t.day ORDER BY t.day DESC, d.name`,
      [now, days],
    );
    const { rows: throughput } = await this.db.query<{
      department_id: string;
      department_name: string;
      hospital_name: string;
      day: string;
      received: number;
      reported: number;
      finalized: number;
    }>(
      `WITH moments AS (
         SELECT c.target_department_id AS department_id, m.kind, m.at
         FROM cases c
         CROSS JOIN LATERAL (VALUES ('received', c.submitted_at), ('reported', COALESCE(c.preliminary_at, c.finalized_at)),
                                    ('finalized', c.finalized_at)) AS m(kind, at)
         WHERE c.target_department_id IS NOT NULL AND m.at IS NOT NULL
       ), days AS (
         SELECT m.department_id, m.kind, to_char(m.at AT TIME ZONE h.time_zone, 'YYYY-MM-DD') AS day
         FROM moments m
         JOIN departments d ON d.id = m.department_id
         JOIN hospitals h ON h.id = d.hospital_id
         -- whole days from midnight on the department's hospital's clock, today the last of them
         WHERE m.at >= (date_trunc('day', $1::timestamptz AT TIME ZONE h.time_zone)
                        - make_interval(days => $2 - 1)) AT TIME ZONE h.time_zone
       )
       SELECT days.department_id, d.name AS department_name, h.name AS hospital_name, days.day,
              count(*) FILTER (WHERE days.kind = 'received')::int AS received,
              count(*) FILTER (WHERE days.kind = 'reported')::int AS reported,
              count(*) FILTER (WHERE days.kind = 'finalized')::int AS finalized
       FROM days JOIN departments d ON d.id = days.department_id JOIN hospitals h ON h.id = d.hospital_id
       GROUP BY days.department_id, d.name, h.name, days.day ORDER BY days.day DESC, h.name, d.name`,
      [now, days],
    );
    return {
      casesByState: Object.fromEntries(states.map((s) => [s.state, s.n])),
      backlog: backlog.map((b): HospitalBacklog => ({
        hospitalId: b.hospital_id,
        hospitalName: b.hospital_name,
        submitted: b.submitted,
        assigned: b.assigned,
        inReview: b.in_review,
        preliminary: b.preliminary,
        breached: b.breached,
      })),
      atRisk: atRisk.map(toSlaCase),
      breached: breached.map(toSlaCase),
      turnaround: turnaround.map((t): Turnaround => ({
        departmentId: t.department_id,
        departmentName: t.department_name,
        hospitalName: t.hospital_name,
        day: t.day,
        cases: t.cases,
        toAssignedP50: round1(t.a50),
        toAssignedP90: round1(t.a90),
        toPreliminaryP50: round1(t.p50),
        toPreliminaryP90: round1(t.p90),
        toFinalP50: round1(t.f50),
        toFinalP90: round1(t.f90),
      })),
      throughput: throughput.map((t): Throughput => ({
        departmentId: t.department_id,
        departmentName: t.department_name,
        hospitalName: t.hospital_name,
        day: t.day,
        received: t.received,
        reported: t.reported,
        finalized: t.finalized,
      })),
    };
  }
}
