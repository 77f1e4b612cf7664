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
  hospitalId: Uuid,
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
  hospitalName: Type.String(),
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

/** The work one city department took in and gave back on one day of its hospital's time zone. */
export const Throughput = Type.Object({
  departmentId: Uuid,
  departmentName: Type.String(),
  hospitalName: Type.String(),
  day: Type.String({ format: 'date' }),
  received: Type.Integer({ minimum: 0, description: 'cases submitted to it that day' }),
  reported: Type.Integer({
    minimum: 0,
    description: 'cases given their first report that day: preliminary, or final straight away',
  }),
  finalized: Type.Integer({ minimum: 0, description: 'cases given a final report that day' }),
});
export type Throughput = Static<typeof Throughput>;

/** What an administrator watches: the queues, the backlog, the SLA, turnaround and throughput. */
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
  throughput: Type.Array(Throughput, {
    description:
      "per city department and day of its hospital's time zone, the last `days` days counting today; days without " +
      'work left out',
  }),
});
export type QueueFigures = Static<typeof QueueFigures>;

export const QueueFiguresQuery = Type.Object(
  { days: Type.Optional(Type.Integer({ minimum: 1, maximum: 90, default: 7 })) },
  { additionalProperties: false },
);
export type QueueFiguresQuery = Static<typeof QueueFiguresQuery>;

/**
 * A specialist an administrator may hand a case to now: on duty in the case's department or a department partnered
 * with the requesting one, with room under their cap; the open work they hold.
 */
export const SpecialistChoice = Type.Object({
  userId: Uuid,
  displayName: Type.String(),
  departmentId: Uuid,
  departmentName: Type.String(),
  hospitalName: Type.String(),
  load: Type.Integer({ description: 'open cases weighted by urgency: stat 3, urgent 2, routine 1' }),
  openCases: Type.Integer(),
  cap: Type.Integer(),
});
export type SpecialistChoice = Static<typeof SpecialistChoice>;
