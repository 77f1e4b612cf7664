import { AppError, REPORT_ACTION, type Case, type ReportCreate, type Urgency } from '@telemed/contracts';
import type { Caller, Domain } from '../context.js';
import { scheduleCaseTimers } from '../follow-ups.js';
import { requireLegal, requirePermitted } from '../policy.js';
import { inWork } from '../unit-of-work.js';
import { caseAfter, holdBy, lockCase, moveCase, releaseFrom } from './case-moves.js';
import { announceReport } from './case-news.js';
import { requireEligibleHolder } from './holders.js';
import { raiseCriticalFinding } from '../reporting/critical-findings.js';

/** How long a released case waits in its department's pool for a colleague to claim it before the router tries. */
export const RELEASE_GRACE_MS: Record<Urgency, number> = { stat: 0, urgent: 5 * 60_000, routine: 5 * 60_000 };

/** Sends a draft case to the county department's partnered city department; the router takes it from there. */
export async function submitCase(domain: Domain, caller: Caller, id: string): Promise<Case> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, id);
    const to = requireLegal(c.state, 'submit');
    requirePermitted(caller.actor, 'submit', c);
    const target = await work.tx.hospitals.partnerOf(c.requestingDepartmentId);
    if (!target) {
      throw new AppError(
        'no_partner_department',
        'the requesting department has no active partner department in a city hospital; ask an administrator to add a partnership',
      );
    }
    const { timers } = await moveCase(
      work,
      c,
      'submit',
      to,
      { targetDepartmentId: target, routeInMs: 0 },
      { details: { targetDepartmentId: target } },
    );
    scheduleCaseTimers(work, id, to, timers);
    return caseAfter(work, id);
  });
}

/** An administrator gives a submitted case to a specialist; the SLA clock starts. */
export async function assignCase(
  domain: Domain,
  caller: Caller,
  id: string,
  specialistId: string,
): Promise<Case> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, id);
    requireLegal(c.state, 'assign');
    requirePermitted(caller.actor, 'assign', c);
    await requireEligibleHolder(work, c, specialistId, caller.actor);
    await holdBy(work, c, 'assign', specialistId);
    return caseAfter(work, id);
  });
}

/** A specialist of the case's department takes it from the pool; of two at once, one wins. */
export async function claimCase(domain: Domain, caller: Caller, id: string): Promise<Case> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, id);
    requireLegal(c.state, 'claim');
    requirePermitted(caller.actor, 'claim', c);
    await holdBy(work, c, 'claim', caller.actor.userId);
    return caseAfter(work, id);
  });
}

/** The assigned specialist starts reading. */
export async function startReview(domain: Domain, caller: Caller, id: string): Promise<Case> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, id);
    const to = requireLegal(c.state, 'start_review');
    requirePermitted(caller.actor, 'start_review', c);
    await moveCase(work, c, 'start_review', to, {});
    return caseAfter(work, id);
  });
}

/**
 * The assigned specialist writes a report version: preliminary, final (locked from then on), or an addendum to the
 * final, which says why it is added. A version flagged critical opens a critical finding the requesting side must
 * acknowledge, unless one is open already.
 */
export async function writeReport(
  domain: Domain,
  caller: Caller,
  id: string,
  report: ReportCreate,
): Promise<Case> {
  const action = REPORT_ACTION[report.kind];
  const reason = report.reason?.trim() ?? '';
  if (report.kind === 'addendum' && !reason) {
    throw new AppError('validation_failed', 'an addendum must say why the final report is added to', {
      errors: [{ field: 'reason', message: 'say why this addendum is written', reason: 'addendum_reason' }],
    });
  }
  if (report.kind !== 'addendum' && reason) {
    throw new AppError('validation_failed', 'only an addendum carries a reason', {
      errors: [
        {
          field: 'reason',
          message: `leave out reason for a ${report.kind} report`,
          reason: 'reason_only_for_addendum',
        },
      ],
    });
  }
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, id);
    if (c.state === 'final' && report.kind !== 'addendum') {
      throw new AppError(
        'final_report_locked',
        'cannot change the report of a case that is final: the final report is locked; write an addendum ' +
          '(kind: addendum) with a reason instead',
      );
    }
    const to = requireLegal(c.state, action);
    requirePermitted(caller.actor, action, c);
    const reportVersion = await work.tx.reports.add(id, caller.actor.userId, { ...report, reason });
    await moveCase(
      work,
      c,
      action,
      to,
      {},
      {
        ...(reason ? { reason } : {}),
        details: { reportVersion, kind: report.kind, critical: report.critical ?? false },
      },
    );
    const after = await caseAfter(work, id);
    await announceReport(work, after, report.kind, report.critical ?? false);
    if (report.critical) await raiseCriticalFinding(work, { ...c, state: to }, after, reportVersion);
    return caseAfter(work, id);
  });
}

/** The requesting hospital or an administrator withdraws a case, with a reason. */
export async function cancelCase(domain: Domain, caller: Caller, id: string, reason: string): Promise<Case> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, id);
    const to = requireLegal(c.state, 'cancel');
    requirePermitted(caller.actor, 'cancel', c);
    await moveCase(work, c, 'cancel', to, { routeInMs: null, sla: 'clear' }, { reason });
    return caseAfter(work, id);
  });
}

/**
 * The assigned specialist or an administrator gives a case back: to the department's pool (where colleagues may
 * claim it before the router tries again), or straight on to another specialist (of the case's or a partnered
 * department, unless an administrator hands it on).
 */
export async function reassignCase(
  domain: Domain,
  caller: Caller,
  id: string,
  input: { reason: string; specialistId?: string | null },
): Promise<Case> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, id);
    requireLegal(c.state, 'reassign');
    requirePermitted(caller.actor, 'reassign', c);
    const next = input.specialistId ?? null;
    if (next) await requireEligibleHolder(work, c, next, caller.actor);
    const released = await releaseFrom(work, c, input.reason, next ? null : RELEASE_GRACE_MS[c.urgency]);
    if (next) await holdBy(work, released.facts, 'assign', next, { reason: input.reason });
    else scheduleCaseTimers(work, id, released.facts.state, released.timers);
    return caseAfter(work, id);
  });
}

/**
 * The assigned specialist hands the case back to the department's pool before writing any report (the reason is
 * optional): colleagues may claim it at once, and the router tries it again after the same grace as a reassignment.
 */
export async function releaseCase(domain: Domain, caller: Caller, id: string, reason = ''): Promise<Case> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, id);
    requireLegal(c.state, 'release');
    requirePermitted(caller.actor, 'release', c);
    const released = await releaseFrom(work, c, reason, RELEASE_GRACE_MS[c.urgency], undefined, 'release');
    scheduleCaseTimers(work, id, released.facts.state, released.timers);
    return caseAfter(work, id);
  });
}
