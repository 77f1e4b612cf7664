import type { NewNotification } from '@telemed/db';
import { recordCaseEvent } from '../case-events.js';
import type { Domain } from '../context.js';
import { notify } from '../follow-ups.js';
import { inWork } from '../unit-of-work.js';
import { caseAfter, holdBy, lockCase, releaseFrom } from '../cases/case-moves.js';
import { chooseSpecialist } from './decide-routing.js';
import { caseLine } from './notification-text.js';
import { routerCaller } from './route-case.js';
import { skipped, type RoutingOutcome } from './routing-outcome.js';

/** The timer fired before the database's clock reached the due time: the job is to be retried shortly. */
export class SlaNotYetDue extends Error {
  constructor(caseId: string) {
    super(`the SLA of case ${caseId} is not due yet by the database's clock`);
    this.name = 'SlaNotYetDue';
  }
}

/**
 * An assignment's SLA ran out. Unless the case has been reported, released or reassigned since (the timer belongs to
 * one assignment), records the breach in the case history, pages the department heads, and reassigns the case to
 * the next eligible specialist (never one who held it before); when nobody else is eligible it stays, escalated.
 */
export async function escalateSla(
  domain: Domain,
  caseId: string,
  dueAt: string,
  requestId: string,
): Promise<RoutingOutcome> {
  return inWork(domain, routerCaller(requestId), async (work) => {
    const c = await work.tx.dispatch.lock(caseId);
    if (!c) return skipped('the case does not exist');
    if (c.state !== 'assigned' && c.state !== 'in_review') return skipped(`the case is ${c.state}`);
    if (c.slaDueAt?.getTime() !== Date.parse(dueAt)) return skipped('the case was assigned again since');
    if (c.slaEscalatedAt) return skipped('already escalated');
    if (c.slaDueAt > c.now) throw new SlaNotYetDue(c.id);

    await work.tx.dispatch.markEscalated(c.id);
    const before = await caseAfter(work, c.id);
    const facts = await lockCase(work, c.id);
    const late = `SLA breached: no report by ${c.slaDueAt.toISOString()} from ${before.assignedSpecialistName ?? 'the specialist'}`;
    await recordCaseEvent(work, facts, {
      action: 'sla_breach',
      to: facts.state,
      reason: late,
      details: { specialistId: c.assignedSpecialistId, dueAt },
    });
    const heads = c.targetDepartmentId ? await work.tx.dispatch.departmentHeads(c.targetDepartmentId) : [];
    const decision = await chooseSpecialist(work.tx, c.id, c.now, c.previousHolders);
    const next = decision?.specialistId ?? null;
    const notes: NewNotification[] = heads.map((head) => ({
      userId: head,
      caseId: c.id,
      kind: 'case.sla_breached',
      page: true,
      title: `超时 ${caseLine(before)}`,
      body: next
        ? `${late}; reassigned: ${decision?.reason ?? ''}`
        : `${late}; nobody else eligible is on duty`,
    }));
    if (!decision || !next) {
      await notify(work, notes);
      return { outcome: 'escalated', reason: `${late}; nobody else eligible is on duty` };
    }
    const reason = `${late}; ${decision.reason}`;
    const released = await releaseFrom(work, facts, reason, null, decision);
    await holdBy(work, released.facts, 'assign', next, { reason, routingDecision: decision });
    const reassigned = await caseAfter(work, c.id);
    if (c.assignedSpecialistId) {
      notes.push({
        userId: c.assignedSpecialistId,
        caseId: c.id,
        kind: 'case.reassigned_away',
        page: false,
        title: `已转派 ${caseLine(before)}`,
        body: late,
      });
    }
    notes.push({
      userId: next,
      caseId: c.id,
      kind: 'case.assigned',
      page: true,
      title: `超时转派 ${caseLine(reassigned)}`,
      body: reassigned.clinicalQuestion,
    });
    await notify(work, notes);
    return { outcome: 'reassigned', reason: late, specialistId: next };
  });
}
