import type { Actor, CaseFacts } from '@telemed/db';
import type { Domain } from '../context.js';
import { caseNotFound, requirePermitted } from '../policy.js';

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
