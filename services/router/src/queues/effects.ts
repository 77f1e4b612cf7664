import type { Case } from '@telemed/contracts';
import type { RouterContext } from './context.js';
import { addNotifyJobs } from './notify.js';
import { addSlaJob } from './sla.js';

/** What a job did, kept as the job's return value. */
export interface JobOutcome {
  outcome: 'assigned' | 'pool' | 'skipped' | 'reassigned' | 'escalated';
  reason: string;
  specialistId?: string;
}

/** What a job decided inside its transaction, to be queued after it commits. */
export interface Effects {
  outcome: JobOutcome;
  notify: { id: string; page: boolean }[];
  /** an assignment whose SLA timer is to be set */
  sla: Case | null;
}

/** Queues what a committed decision set in motion: deliveries, and the SLA timer of a new assignment. */
export async function applyEffects(ctx: RouterContext, effects: Effects, requestId: string): Promise<void> {
  await addNotifyJobs(ctx.queues.notify, effects.notify, requestId);
  if (effects.sla?.slaDueAt) {
    await addSlaJob(
      ctx.queues.sla,
      effects.sla.id,
      new Date(effects.sla.slaDueAt),
      effects.sla.urgency,
      requestId,
    );
  }
}

/** Effects of a job that found nothing to do, and why. */
export function skipped(reason: string): Effects {
  return { outcome: { outcome: 'skipped', reason }, notify: [], sla: null };
}
