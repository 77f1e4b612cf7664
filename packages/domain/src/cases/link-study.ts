import { AppError } from '@telemed/contracts';
import type { Actor, CaseFacts } from '@telemed/db';
import { recordCaseEvent } from '../case-events.js';
import type { Caller, Domain } from '../context.js';
import { caseNotFound, requirePermitted } from '../policy.js';
import { inWork } from '../unit-of-work.js';

/**
 * Before storing instances for a case: the case exists for the sender and is theirs to add a study to. Answers
 * before any byte is stored, so a wrong case id costs the county link nothing.
 */
export async function requireStudyLinkable(domain: Domain, actor: Actor, caseId: string): Promise<CaseFacts> {
  const c = await domain.db.cases.facts(actor, caseId);
  if (!c) throw caseNotFound(caseId);
  requirePermitted(actor, 'link_study', c);
  return c;
}

/**
 * Links a study the requesting hospital sent to its case (named at upload). A case names one study: another one is
 * refused, the same one again changes nothing.
 */
export async function linkStudy(
  domain: Domain,
  caller: Caller,
  caseId: string,
  studyInstanceUid: string,
): Promise<void> {
  await inWork(domain, caller, async (work) => {
    const c = await work.tx.cases.lockFacts(caller.actor, caseId);
    if (!c) throw caseNotFound(caseId);
    requirePermitted(caller.actor, 'link_study', c);
    if (c.studyInstanceUid === studyInstanceUid) return;
    if (c.studyInstanceUid) {
      throw new AppError('study_already_linked', `case ${caseId} already names study ${c.studyInstanceUid}`);
    }
    await work.tx.cases.linkStudy(caseId, c.requestingHospitalId, studyInstanceUid);
    await recordCaseEvent(work, c, { action: 'link_study', to: c.state, details: { studyInstanceUid } });
  });
}
