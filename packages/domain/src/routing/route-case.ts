import { ROUTER_ACTOR, type NewNotification } from '@telemed/db';
import type { Caller, Domain } from '../context.js';
import { notify } from '../follow-ups.js';
import { inWork } from '../unit-of-work.js';
import { caseAfter, holdBy, lockCase } from '../cases/case-moves.js';
import { chooseSpecialist } from './decide-routing.js';
import { caseLine } from './notification-text.js';
import { skipped, type RoutingOutcome } from './routing-outcome.js';

/** The platform's own caller for work it starts: the router, with the job's request id. */
export function routerCaller(requestId: string): Caller {
  return { actor: ROUTER_ACTOR, origin: { ip: '', userAgent: 'router', requestId } };
}

/**
 * One routing round of a submitted case. Under its row lock it re-reads the case and does nothing unless it is still
 * submitted, due and its study ready (so a repeated or late round is harmless); decides by the rules, the roster
 * and the load; assigns it, or leaves it in the pool to be tried again after `poolRetryMs` (telling the department's
 * heads once). The decision is kept on the case; notifications and the SLA timer go to the outbox.
 */
export async function routeCase(
  domain: Domain,
  caseId: string,
  requestId: string,
  poolRetryMs: number,
): Promise<RoutingOutcome> {
  return inWork(domain, routerCaller(requestId), async (work) => {
    const c = await work.tx.dispatch.lock(caseId);
    if (!c) return skipped('the case does not exist');
    if (c.state !== 'submitted') return skipped(`the case is ${c.state}`);
    if (!c.routingDueAt || c.routingDueAt > c.now) return skipped('not due for routing');
    if (!c.studyReady) return skipped('its study is still arriving');
    const decision = await chooseSpecialist(work.tx, c.id, c.now, c.previousHolders);
    if (!decision) return skipped('the case does not exist');
    if (!decision.specialistId) {
      await work.tx.dispatch.recordPooled(c.id, decision, new Date(c.now.getTime() + poolRetryMs));
      // the heads hear once that a case is waiting with nobody to take it
      if (!c.wasPooled && c.targetDepartmentId) {
        const current = await caseAfter(work, c.id);
        const notes: NewNotification[] = (await work.tx.dispatch.departmentHeads(c.targetDepartmentId)).map(
          (head) => ({
            userId: head,
            caseId: c.id,
            kind: 'case.pool',
            page: c.urgency === 'stat',
            title: `待认领 ${caseLine(current)}`,
            body: decision.reason,
          }),
        );
        await notify(work, notes);
      }
      return { outcome: 'pool', reason: decision.reason };
    }
    await holdBy(work, await lockCase(work, c.id), 'assign', decision.specialistId, {
      reason: `${decision.ruleName}: ${decision.reason}`,
      routingDecision: decision,
    });
    const assigned = await caseAfter(work, c.id);
    await notify(work, [
      {
        userId: decision.specialistId,
        caseId: c.id,
        kind: 'case.assigned',
        // STAT work pages: shown and sounded until acknowledged
        page: c.urgency === 'stat',
        title: `新病例 ${caseLine(assigned)}`,
        body: assigned.clinicalQuestion,
      },
    ]);
    return { outcome: 'assigned', reason: decision.reason, specialistId: decision.specialistId };
  });
}
