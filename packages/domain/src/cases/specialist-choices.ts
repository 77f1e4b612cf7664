import type { SpecialistChoice } from '@telemed/contracts';
import type { Actor } from '@telemed/db';
import type { Domain } from '../context.js';
import { caseNotFound } from '../policy.js';

/**
 * Whom a case the actor sees could be handed to now: specialists on duty in its department, then in the other city
 * departments its requesting department is partnered with (科室对科室), each with room under their cap; never its
 * current holder. The same circle the router draws when it reassigns a breached case.
 */
export async function specialistChoices(
  domain: Domain,
  actor: Actor,
  caseId: string,
): Promise<SpecialistChoice[]> {
  const c = await domain.db.cases.facts(actor, caseId);
  const routing = await domain.db.routingCandidates.caseForRouting(caseId);
  if (!c || !routing) throw caseNotFound(caseId);
  const partners = await domain.db.hospitals.partnerDepartments(c.requestingDepartmentId);
  const departments = [...new Set([c.targetDepartmentId, ...partners])].filter(
    (d): d is string => d !== null,
  );
  return domain.db.routingCandidates.onDuty(
    departments,
    routing.modality,
    new Date(),
    c.assignedSpecialistId ? [c.assignedSpecialistId] : [],
  );
}
