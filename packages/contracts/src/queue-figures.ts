import { Type, type Static } from '@sinclair/typebox';
import { Instant, Uuid } from './common.js';
import { CaseState, Urgency } from './case-states.js';

const Count = Type.Integer({ minimum: 0 });

/** One BullMQ queue's jobs by state. */
export const QueueDepth = Type.Object({
  queue: Type.String(),
  waiting: Count,
  prioritized: Count,
  active: Count,
  delayed: Count,
  failed: Count,
  completed: Count,
});
export type QueueDepth = Static<typeof QueueDepth>;

/** Open cases of one requesting hospital, by state. */
export const HospitalBacklog = Type.Object({
  hospitalId: Uuid,
  hospitalName: Type.String(),
  submitted: Count,
  assigned: Count,
  inReview: Count,
  preliminary: Count,
  breached: Count,
});
export type HospitalBacklog = Static<typeof HospitalBacklog>;

/** A case whose SLA is about to run out, or has. */
export const SlaCase = Type.Object({
  caseId: Uuid,
  state: CaseState,
  urgency: Urgency,
  hospitalName: Type.String(),
  specialistId: Type.Union([Uuid, Type.Null()]),
  specialistName: Type.Union([Type.String(), Type.Null()]),
  slaDueAt: Instant,
  minutesLeft: Type.Integer({ description: 'negative once breached' }),
  escalated: Type.Boolean(),
});
export type SlaCase = Static<typeof SlaCase>;

const Minutes = Type.Union([Type.Number(), Type.Null()], { description: 'minutes; null without data' });

/** Turnaround of the cases one city department received on one day of its hospital's time zone, in minutes. */
export const Turnaround = Type.Object({
  departmentId: Uuid,
  departmentName: Type.String(),
  day: Type.String({ format: 'date' }),
  cases: Count,
  toAssignedP50: Minutes,
  toAssignedP90: Minutes,
  toPreliminaryP50: Minutes,
  toPreliminaryP90: Minutes,
  toFinalP50: Minutes,
  toFinalP90: Minutes,
});
export type Turnaround = Static<typeof Turnaround>;

/** What an administrator watches: the queues, the backlog, the SLA and turnaround. */
export const QueueFigures = Type.Object({
  at: Instant,
  queues: Type.Array(QueueDepth),
  casesByState: Type.Record(Type.String(), Count),
  backlog: Type.Array(HospitalBacklog),
  atRisk: Type.Array(SlaCase, { description: 'due within the last fifth of their window' }),
  breached: Type.Array(SlaCase),
  turnaround: Type.Array(Turnaround, {
    description:
      "per city department and day of its hospital's time zone, the last `days` days (7 unless asked) counting today",
  }),
});
export type QueueFigures = Static<typeof QueueFigures>;

export const QueueFiguresQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) },
  { additionalProperties: false },
);
export type QueueFiguresQuery = Static<typeof QueueFiguresQuery>;
