import { Type, type Static } from '@sinclair/typebox';
import { Uuid, oneOf } from './common.js';
import { CaseState, Urgency } from './case-states.js';

/** Queue names, shared by the producers (api, router) and the router's workers. */
export const QUEUES = {
  /** a study received no new instance for STUDY_STABLE_SECONDS: route its case */
  studyStable: 'study-stable',
  /** a submitted case is due to be routed to a specialist */
  route: 'route',
  /** an assignment's report is due: escalate if it has none */
  sla: 'sla',
  /** a notification in the outbox is to be delivered over socket.io */
  notify: 'notify',
  /** a critical finding is due to be acknowledged: escalate if nobody has */
  critical: 'critical',
  /** a case entered or left a department's pool: tell the department's specialists over socket.io */
  pool: 'pool',
} as const;
export type QueueName = (typeof QUEUES)[keyof typeof QUEUES];

/** A stable study; IDs only, never patient data. */
export const StudyStableJob = Type.Object({
  studyId: Uuid,
  studyInstanceUid: Type.String(),
  hospitalId: Uuid,
  caseId: Type.Union([Uuid, Type.Null()]),
  instanceCount: Type.Integer(),
  requestId: Type.String(),
});
export type StudyStableJob = Static<typeof StudyStableJob>;

/** A case to route, in the routing round that began at `dueAt`. */
export const RouteJob = Type.Object({
  caseId: Uuid,
  dueAt: Type.String({ format: 'date-time' }),
  requestId: Type.String(),
});
export type RouteJob = Static<typeof RouteJob>;

/** An assignment whose report was due at `dueAt`. */
export const SlaJob = Type.Object({
  caseId: Uuid,
  dueAt: Type.String({ format: 'date-time' }),
  requestId: Type.String(),
});
export type SlaJob = Static<typeof SlaJob>;

/** Who hears of an unacknowledged critical finding, in turn: the requesting department's head, then the administrators. */
export const CRITICAL_STAGES = ['head', 'admin'] as const;
export type CriticalStage = (typeof CRITICAL_STAGES)[number];

/** A critical finding whose acknowledgement was due at `dueAt`, escalating to `stage`. */
export const CriticalJob = Type.Object({
  criticalId: Uuid,
  caseId: Uuid,
  stage: oneOf(CRITICAL_STAGES),
  dueAt: Type.String({ format: 'date-time' }),
  requestId: Type.String(),
});
export type CriticalJob = Static<typeof CriticalJob>;

/** A notification of the outbox to deliver. */
export const NotifyJob = Type.Object({
  notificationId: Type.String({ pattern: '^[0-9]+$' }),
  requestId: Type.String(),
});
export type NotifyJob = Static<typeof NotifyJob>;

/** A case that entered or left its department's pool; IDs, state and urgency only. */
export const PoolJob = Type.Object({
  caseId: Uuid,
  departmentId: Uuid,
  state: CaseState,
  urgency: Urgency,
  requestId: Type.String(),
});
export type PoolJob = Static<typeof PoolJob>;

/** BullMQ priority by urgency: 1 is taken first, so STAT jumps every queue. */
export const URGENCY_PRIORITY: Record<Urgency, number> = { stat: 1, urgent: 5, routine: 10 };

/** Options of a job as every producer must send them: the id that makes a repeated add a no-op. */
export interface JobIdentity {
  jobId: string;
  priority?: number;
  delay?: number;
}

/** One routing round of a case: the same round added twice (api, sweep, stable study) runs once. */
export function routeJobIdentity(
  caseId: string,
  dueAt: Date,
  urgency: Urgency,
  now = new Date(),
): JobIdentity {
  return {
    jobId: `route-${caseId}-${dueAt.getTime()}`,
    priority: URGENCY_PRIORITY[urgency],
    delay: Math.max(0, dueAt.getTime() - now.getTime()),
  };
}

/** The SLA timer of one assignment, firing at `dueAt`. */
export function slaJobIdentity(caseId: string, dueAt: Date, urgency: Urgency, now = new Date()): JobIdentity {
  return {
    jobId: `sla-${caseId}-${dueAt.getTime()}`,
    priority: URGENCY_PRIORITY[urgency],
    delay: Math.max(0, dueAt.getTime() - now.getTime()),
  };
}

/** One escalation stage of a critical finding, firing at `dueAt`; a critical finding pages, so it goes first. */
export function criticalJobIdentity(
  criticalId: string,
  stage: CriticalStage,
  dueAt: Date,
  now = new Date(),
): JobIdentity {
  return {
    jobId: `critical-${criticalId}-${stage}`,
    priority: 1,
    delay: Math.max(0, dueAt.getTime() - now.getTime()),
  };
}

/** The delivery of one notification. */
export function notifyJobIdentity(notificationId: string, page: boolean): JobIdentity {
  return { jobId: `notify-${notificationId}`, priority: page ? 1 : 5 };
}

/** The news of one move of a case into or out of the pool, keyed by the history row of that move. */
export function poolJobIdentity(historyId: string, urgency: Urgency): JobIdentity {
  return { jobId: `pool-${historyId}`, priority: URGENCY_PRIORITY[urgency] };
}

/** Retries and retention of a queue's jobs. */
export interface JobDefaults {
  attempts: number;
  backoff: { type: 'exponential'; delay: number };
  removeOnComplete: boolean | { age: number; count: number };
  removeOnFail: boolean;
}

// eight attempts, backing off exponentially; failed jobs are kept
const retried = (firstDelayMs: number, removeOnComplete: JobDefaults['removeOnComplete']): JobDefaults => ({
  attempts: 8,
  backoff: { type: 'exponential', delay: firstDelayMs },
  removeOnComplete,
  removeOnFail: false,
});

/**
 * How long each queue's jobs are retried and kept, the same for every producer. Failed jobs stay, with their reason,
 * until someone looks. A completed route job is dropped at once so a later event may queue the same round again
 * (the job re-reads the case, so running a round twice assigns nothing twice).
 */
export const JOB_DEFAULTS: Record<QueueName, JobDefaults> = {
  'study-stable': retried(1000, { age: 86_400, count: 10_000 }),
  route: retried(500, true),
  sla: retried(1000, { age: 86_400, count: 10_000 }),
  notify: retried(500, { age: 3600, count: 10_000 }),
  critical: retried(1000, { age: 86_400, count: 10_000 }),
  pool: retried(500, { age: 3600, count: 10_000 }),
};
