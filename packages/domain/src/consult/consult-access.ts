import type { Actor, CaseFacts } from '@telemed/db';
import { recordCaseEvent } from '../case-events.js';
import type { Caller, Domain } from '../context.js';
import { caseNotFound, requirePermitted } from '../policy.js';
import { inWork } from '../unit-of-work.js';
import { caseAfter } from '../cases/case-moves.js';
import { announceConsult } from '../cases/case-news.js';

/**
 * Whether `actor` may join the video consult of a case: they must see the case, and be the assigned specialist,
 * staff of the requesting department or an administrator. Throws `not_found` or `forbidden` with the reason.
 */
export async function requireConsultAccess(domain: Domain, actor: Actor, caseId: string): Promise<CaseFacts> {
  const c = await domain.db.cases.facts(actor, caseId);
  if (!c) throw caseNotFound(caseId);
  requirePermitted(actor, 'join_consult', c);
  return c;
}

/** What happens in a case's consult that its history keeps. */
export type ConsultEvent = 'consult_started' | 'consult_joined' | 'consult_left' | 'consult_ended';

/**
 * Keeps a consult event in the case's history and the audit trail (who, when; `details` such as how long they were
 * in), after checking the caller may be in that consult at all. Starting one rings the other side.
 */
export async function recordConsultEvent(
  domain: Domain,
  caller: Caller,
  caseId: string,
  event: ConsultEvent,
  details: Record<string, unknown> = {},
): Promise<void> {
  await inWork(domain, caller, async (work) => {
    const c = await work.tx.cases.facts(caller.actor, caseId);
    if (!c) throw caseNotFound(caseId);
    requirePermitted(caller.actor, 'join_consult', c);
    await recordCaseEvent(work, c, { action: event, to: c.state, details });
    if (event === 'consult_started')
      await announceConsult(
        work,
        await caseAfter(work, caseId),
        caller.actor.userId,
        caller.actor.displayName,
      );
  });
}
