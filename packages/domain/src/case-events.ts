import type { CaseState } from '@telemed/contracts';
import type { CaseFacts } from '@telemed/db';
import type { Work } from './context.js';

/** What happened to a case, for its history and the audit trail. */
export interface CaseEvent {
  action: string;
  to: CaseState;
  reason?: string;
  details?: Record<string, unknown>;
}

/**
 * The history row and the audit event of something that happened to a case, in the use case's transaction; the
 * history row's id.
 */
export async function recordCaseEvent(work: Work, c: CaseFacts, event: CaseEvent): Promise<string> {
  const { actor, origin } = work.caller;
  const reason = event.reason ?? '';
  const details = event.details ?? {};
  const historyId = await work.tx.cases.writeHistory({
    caseId: c.id,
    action: event.action,
    from: event.action === 'create' ? null : c.state,
    to: event.to,
    actor,
    reason,
    details,
  });
  await work.tx.audit.record({
    actor,
    action: `case.${event.action}`,
    resourceType: 'case',
    resourceId: c.id,
    hospitalId: c.requestingHospitalId,
    outcome: 'success',
    origin,
    details: {
      from: event.action === 'create' ? null : c.state,
      to: event.to,
      ...details,
      ...(reason ? { reason } : {}),
    },
  });
  return historyId;
}
