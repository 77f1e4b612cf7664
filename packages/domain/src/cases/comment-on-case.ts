import type { CaseComment } from '@telemed/contracts';
import type { Caller, Domain } from '../context.js';
import { caseNotFound, requirePermitted } from '../policy.js';
import { inWork } from '../unit-of-work.js';
import { caseAfter } from './case-moves.js';
import { announceComment } from './case-news.js';

/** Adds to the comment thread between the county side and the specialists, with its audit event. */
export async function commentOnCase(
  domain: Domain,
  caller: Caller,
  id: string,
  body: string,
): Promise<CaseComment> {
  return inWork(domain, caller, async (work) => {
    const c = await work.tx.cases.facts(caller.actor, id);
    if (!c) throw caseNotFound(id);
    requirePermitted(caller.actor, 'comment', c);
    const comment = await work.tx.comments.add(id, caller.actor.userId, body.trim());
    await work.tx.audit.record({
      actor: caller.actor,
      action: 'case.comment',
      resourceType: 'case',
      resourceId: id,
      hospitalId: c.requestingHospitalId,
      outcome: 'success',
      origin: caller.origin,
      details: { commentId: comment.id },
    });
    await announceComment(work, await caseAfter(work, id), caller.actor.userId, comment.authorName);
    return comment;
  });
}
