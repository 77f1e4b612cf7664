import {
  AppError,
  QUEUES,
  criticalJobIdentity,
  type Case,
  type CriticalAcknowledgement,
  type CriticalFinding,
  type CriticalStage,
} from '@telemed/contracts';
import type { CaseFacts, OutboxMessage } from '@telemed/db';
import { recordCaseEvent } from '../case-events.js';
import type { Caller, Domain, Work } from '../context.js';
import { notify } from '../follow-ups.js';
import { caseNotFound, requirePermitted } from '../policy.js';
import { inWork } from '../unit-of-work.js';
import { caseAfter, lockCase } from '../cases/case-moves.js';
import { caseLine } from '../routing/notification-text.js';
import { routerCaller } from '../routing/route-case.js';
import { skipped, type RoutingOutcome } from '../routing/routing-outcome.js';

const METHOD_LABEL = { phone: '电话', in_app: '平台内', in_person: '当面' } as const;
const STAGE_LABEL: Record<CriticalStage, string> = { head: '科主任', admin: '平台管理员' };

/** The escalation timer of one stage of a critical finding: a delayed job firing at `dueAt`. */
export function criticalMessage(
  finding: Pick<CriticalFinding, 'id' | 'caseId'>,
  stage: CriticalStage,
  dueAt: string,
  requestId: string,
): OutboxMessage {
  const due = new Date(dueAt);
  const identity = criticalJobIdentity(finding.id, stage, due);
  return {
    queue: QUEUES.critical,
    payload: { criticalId: finding.id, caseId: finding.caseId, stage, dueAt, requestId },
    jobId: identity.jobId,
    ...(identity.priority === undefined ? {} : { priority: identity.priority }),
    runAt: due,
  };
}

/**
 * A report version flagged critical, inside the use case that wrote it: opens the finding (unless one is open, which
 * still stands), records it in the history, pages the requesting department's staff and sets the escalation timer.
 */
export async function raiseCriticalFinding(
  work: Work,
  facts: CaseFacts,
  c: Case,
  reportVersion: number,
): Promise<void> {
  const finding = await work.tx.critical.flag(c.id, reportVersion, work.caller.actor.userId);
  if (!finding) return;
  await recordCaseEvent(work, facts, {
    action: 'critical_finding',
    to: facts.state,
    reason: `危急值：报告第 ${String(reportVersion)} 版，待申请科室确认`,
    details: { criticalId: finding.id, reportVersion, headDueAt: finding.headDueAt },
  });
  const staff = new Set([c.createdBy, ...(await work.tx.critical.departmentStaff(c.requestingDepartmentId))]);
  await notify(
    work,
    [...staff].map((userId) => ({
      userId,
      caseId: c.id,
      kind: 'case.critical_finding' as const,
      page: true,
      title: `危急值 请确认 ${caseLine(c)}`,
      body: `报告医生：${c.assignedSpecialistName ?? ''}；请尽快电话联系临床并在平台确认`,
    })),
  );
  work.later(criticalMessage(finding, 'head', finding.headDueAt, work.caller.origin.requestId));
}

/**
 * Someone of the requesting side acknowledges the case's open critical finding: who (the caller), when (now), how
 * (phone, in the app, in person) with a note. Recorded in the history and the audit trail; the specialist who
 * flagged it is told. The escalation timers find it acknowledged and do nothing.
 */
export async function acknowledgeCriticalFinding(
  domain: Domain,
  caller: Caller,
  caseId: string,
  input: CriticalAcknowledgement,
): Promise<CriticalFinding> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, caseId);
    const open = await work.tx.critical.openFor(caseId);
    if (!open) {
      throw new AppError(
        'no_critical_to_acknowledge',
        'this case has no critical finding waiting to be acknowledged; it was acknowledged already or never flagged',
      );
    }
    requirePermitted(caller.actor, 'acknowledge_critical', c);
    const note = input.note?.trim() ?? '';
    const acknowledged = await work.tx.critical.acknowledge(open.id, caller.actor.userId, input.method, note);
    await recordCaseEvent(work, c, {
      action: 'critical_acknowledged',
      to: c.state,
      reason: `${METHOD_LABEL[input.method]}确认${note ? `：${note}` : ''}`,
      details: { criticalId: open.id, method: input.method, reportVersion: open.reportVersion },
    });
    const after = await caseAfter(work, caseId);
    await notify(work, [
      {
        userId: open.flaggedBy,
        caseId,
        kind: 'case.critical_acknowledged',
        page: false,
        title: `危急值已确认 ${caseLine(after)}`,
        body: `${caller.actor.displayName} ${METHOD_LABEL[input.method]}确认`,
      },
    ]);
    return acknowledged;
  });
}

/** The escalation fired before the database's clock reached its due time: the job is to be retried shortly. */
export class CriticalNotYetDue extends Error {
  constructor(criticalId: string) {
    super(`the escalation of critical finding ${criticalId} is not due yet by the database's clock`);
    this.name = 'CriticalNotYetDue';
  }
}

/**
 * Nobody acknowledged a critical finding in time. Unless it has been acknowledged since, or this stage already ran,
 * tells the requesting department's heads (stage `head`; the administrators when it has none) or the platform's
 * administrators (stage `admin`), records the escalation in the case history and the audit trail, and after the
 * head sets the administrators' timer.
 */
export async function escalateCriticalFinding(
  domain: Domain,
  criticalId: string,
  stage: CriticalStage,
  requestId: string,
): Promise<RoutingOutcome> {
  return inWork(domain, routerCaller(requestId), async (work) => {
    const locked = await work.tx.critical.lock(criticalId);
    if (!locked) return skipped('the critical finding does not exist');
    const f = locked.finding;
    if (f.acknowledgedAt) return skipped('acknowledged in time');
    if ((stage === 'head' ? f.headEscalatedAt : f.adminEscalatedAt) !== null)
      return skipped('already escalated');
    if (stage === 'admin' && !f.headEscalatedAt) return skipped('the head has not been told yet');
    const dueAt = stage === 'head' ? f.headDueAt : f.adminDueAt;
    if (Date.parse(dueAt) > locked.now.getTime()) throw new CriticalNotYetDue(criticalId);

    await work.tx.critical.markEscalated(criticalId, stage);
    const recipients =
      stage === 'head'
        ? await work.tx.dispatch.departmentHeads(locked.requestingDepartmentId)
        : await work.tx.critical.administrators();
    const facts = await lockCase(work, f.caseId);
    const c = await caseAfter(work, f.caseId);
    const minutes = Math.round((Date.parse(dueAt) - Date.parse(f.flaggedAt)) / 6000) / 10;
    const why = `危急值 ${String(minutes)} 分钟内无人确认，已通知${STAGE_LABEL[stage]}`;
    await recordCaseEvent(work, facts, {
      action: 'critical_escalation',
      to: facts.state,
      reason: why,
      details: { criticalId, stage, dueAt, notified: recipients },
    });
    await notify(
      work,
      recipients.map((userId) => ({
        userId,
        caseId: f.caseId,
        kind: 'case.critical_escalated' as const,
        page: true,
        title: `危急值未确认 ${caseLine(c)}`,
        body: `${why}；请联系${c.requestingHospitalName} ${c.requestingDepartmentName}`,
      })),
    );
    if (stage === 'head') work.later(criticalMessage(f, 'admin', f.adminDueAt, requestId));
    return { outcome: 'escalated', reason: why };
  });
}

/** Every critical finding of a case the actor sees, with its escalations and acknowledgement, oldest first. */
export async function caseCriticalFindings(
  domain: Domain,
  actor: Caller['actor'],
  caseId: string,
): Promise<CriticalFinding[]> {
  const c = await domain.db.cases.facts(actor, caseId);
  if (!c) throw caseNotFound(caseId);
  return domain.db.critical.list(caseId);
}
