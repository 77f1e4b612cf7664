import {
  AppError,
  type CaseState,
  type SecondOpinion,
  type SecondOpinionCandidate,
  type SecondOpinionRequest,
  type User,
} from '@telemed/contracts';
import type { Actor, CaseFacts, Repositories } from '@telemed/db';
import { recordCaseEvent } from '../case-events.js';
import type { Caller, Domain } from '../context.js';
import { notify } from '../follow-ups.js';
import { caseNotFound, requirePermitted } from '../policy.js';
import { inWork } from '../unit-of-work.js';
import { caseAfter, lockCase } from '../cases/case-moves.js';
import { caseLine } from '../routing/notification-text.js';

// a second opinion is about a reading: from when the case is held until after its final report
const READING_STATES: readonly CaseState[] = ['assigned', 'in_review', 'preliminary', 'final'];

/**
 * The departments whose specialists may be asked about a case: its own, then the city departments its requesting
 * department is partnered with (科室对科室), in the partnerships' order.
 */
async function opinionCircle(db: Pick<Repositories, 'hospitals'>, c: CaseFacts): Promise<string[]> {
  const partners = await db.hospitals.partnerDepartments(c.requestingDepartmentId);
  return [...new Set([...(c.targetDepartmentId ? [c.targetDepartmentId] : []), ...partners])];
}

/** Whether `reader` may be asked for a second opinion by `askerId`: another active specialist of the circle. */
function mayBeAsked(
  reader: Pick<User, 'id' | 'role' | 'active' | 'departmentId'>,
  askerId: string,
  circle: readonly string[],
): boolean {
  return (
    reader.role === 'specialist' &&
    reader.active &&
    reader.id !== askerId &&
    !!reader.departmentId &&
    circle.includes(reader.departmentId)
  );
}

/**
 * The assigned specialist asks another specialist, of the case's department or of a city department its requesting
 * department is partnered with, for a second opinion. One open request per case: the second answers 409 until the
 * first is answered or withdrawn. The specialist asked sees the case from now on and is told.
 */
export async function requestSecondOpinion(
  domain: Domain,
  caller: Caller,
  caseId: string,
  input: SecondOpinionRequest,
): Promise<SecondOpinion> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, caseId);
    if (!READING_STATES.includes(c.state)) {
      throw new AppError(
        'second_opinion_not_now',
        `cannot ask for a second opinion on a case that is ${c.state}; allowed from: ${READING_STATES.join(', ')}`,
        { params: { state: c.state, allowed: [...READING_STATES] } },
      );
    }
    const open = await work.tx.secondOpinions.openFor(caseId);
    if (open) {
      throw new AppError(
        'second_opinion_open',
        `a second opinion from ${open.specialistName} is still open on this case; wait for it or withdraw it first`,
        { params: { specialist: open.specialistName } },
      );
    }
    requirePermitted(caller.actor, 'request_second_opinion', c);
    const reader = await work.tx.users.find(input.specialistId);
    if (!reader || !mayBeAsked(reader, caller.actor.userId, await opinionCircle(work.tx, c))) {
      throw new AppError(
        'validation_failed',
        'a second opinion can only be asked of another active specialist',
        {
          errors: [
            {
              field: 'specialistId',
              message:
                "must be another active specialist of the case's department or of a city department partnered " +
                'with the requesting department',
              reason: 'specialist_in_circle',
            },
          ],
        },
      );
    }
    const opinion = await work.tx.secondOpinions.open(
      caseId,
      caller.actor.userId,
      reader.id,
      input.question.trim(),
    );
    await recordCaseEvent(work, c, {
      action: 'second_opinion_requested',
      to: c.state,
      reason: `请 ${reader.displayName} 会诊：${opinion.question}`,
      details: { secondOpinionId: opinion.id, specialistId: reader.id },
    });
    const after = await caseAfter(work, caseId);
    await notify(work, [
      {
        userId: reader.id,
        caseId,
        kind: 'case.second_opinion_requested',
        page: c.urgency === 'stat',
        title: `会诊邀请 ${caseLine(after)}`,
        body: `${caller.actor.displayName} 请您给出第二意见`,
      },
    ]);
    return opinion;
  });
}

/** The specialist asked writes their opinion: recorded on the request and in the history; the requester is told. */
export async function giveSecondOpinion(
  domain: Domain,
  caller: Caller,
  caseId: string,
  text: string,
): Promise<SecondOpinion> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, caseId);
    const open = await work.tx.secondOpinions.openFor(caseId);
    if (!open) {
      throw new AppError(
        'no_open_second_opinion',
        'this case has no open second-opinion request; it was answered or withdrawn already',
      );
    }
    requirePermitted(caller.actor, 'give_second_opinion', c);
    const answered = await work.tx.secondOpinions.answer(open.id, text.trim());
    await recordCaseEvent(work, c, {
      action: 'second_opinion_given',
      to: c.state,
      reason: answered.opinion ?? '',
      details: { secondOpinionId: open.id },
    });
    const after = await caseAfter(work, caseId);
    await notify(work, [
      {
        userId: open.requestedBy,
        caseId,
        kind: 'case.second_opinion_given',
        page: false,
        title: `第二意见已回复 ${caseLine(after)}`,
        body: `${caller.actor.displayName} 已给出意见`,
      },
    ]);
    return answered;
  });
}

/**
 * The requester withdraws the open request; the specialist asked is told (and keeps seeing what they were shown).
 */
export async function withdrawSecondOpinion(
  domain: Domain,
  caller: Caller,
  caseId: string,
): Promise<SecondOpinion> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, caseId);
    const open = await work.tx.secondOpinions.openFor(caseId);
    if (!open)
      throw new AppError(
        'no_open_second_opinion',
        'this case has no open second-opinion request to withdraw',
      );
    requirePermitted(caller.actor, 'request_second_opinion', c);
    const withdrawn = await work.tx.secondOpinions.withdraw(open.id);
    await recordCaseEvent(work, c, {
      action: 'second_opinion_withdrawn',
      to: c.state,
      details: { secondOpinionId: open.id, specialistId: open.specialistId },
    });
    // told, so that nobody writes an opinion nobody waits for any more
    const after = await caseAfter(work, caseId);
    await notify(work, [
      {
        userId: open.specialistId,
        caseId,
        kind: 'case.second_opinion_withdrawn',
        page: false,
        title: `会诊邀请已撤回 ${caseLine(after)}`,
        body: `${caller.actor.displayName} 撤回了第二意见请求`,
      },
    ]);
    return withdrawn;
  });
}

/**
 * Whom the assigned specialist may ask for a second opinion on the case, by the rule `requestSecondOpinion` applies,
 * with whether each is on duty now: the case's department first, then the partnered ones; on duty first within each.
 */
export async function secondOpinionCandidates(
  domain: Domain,
  actor: Actor,
  caseId: string,
): Promise<SecondOpinionCandidate[]> {
  const c = await domain.db.cases.facts(actor, caseId);
  if (!c) throw caseNotFound(caseId);
  requirePermitted(actor, 'request_second_opinion', c);
  const circle = await opinionCircle(domain.db, c);
  const people = await domain.db.users.inDepartments(circle, new Date());
  return people
    .filter((person) => mayBeAsked(person, actor.userId, circle))
    .map((person) => ({
      userId: person.id,
      displayName: person.displayName,
      hospitalName: person.hospitalName,
      departmentId: person.departmentId,
      departmentName: person.departmentName,
      onDuty: person.onDuty,
    }));
}

/** Every second-opinion request of a case the actor sees, oldest first. */
export async function caseSecondOpinions(
  domain: Domain,
  actor: Actor,
  caseId: string,
): Promise<SecondOpinion[]> {
  if (!(await domain.db.cases.facts(actor, caseId))) throw caseNotFound(caseId);
  return domain.db.secondOpinions.list(caseId);
}
