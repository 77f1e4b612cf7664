import { AppError, type CaseAction } from '@telemed/contracts';
import type { Actor, CaseFacts } from '@telemed/db';

type Rule = (actor: Actor, c: CaseFacts) => boolean;

const isAdmin: Rule = (a) => a.role === 'admin';
const isRequester: Rule = (a, c) => a.role === 'technician' && a.hospitalId === c.requestingHospitalId;
const isAssignee: Rule = (a, c) => a.role === 'specialist' && a.userId === c.assignedSpecialistId;
const isTargetSpecialist: Rule = (a, c) => a.role === 'specialist' && a.departmentId === c.targetDepartmentId;

// Who may take each action on a case they can see. Visibility itself is enforced in the repository queries.
const RULES: Record<CaseAction, { rules: Rule[]; who: string }> = {
  submit: { rules: [isRequester, isAdmin], who: 'the requesting hospital' },
  cancel: { rules: [isRequester, isAdmin], who: 'the requesting hospital or an administrator' },
  assign: { rules: [isAdmin], who: 'an administrator' },
  claim: { rules: [isTargetSpecialist], who: "a specialist of the case's department" },
  start_review: { rules: [isAssignee], who: 'the assigned specialist' },
  preliminary: { rules: [isAssignee], who: 'the assigned specialist' },
  finalize: { rules: [isAssignee], who: 'the assigned specialist' },
  addendum: { rules: [isAssignee], who: 'the assigned specialist' },
  reassign: { rules: [isAssignee, isAdmin], who: 'the assigned specialist or an administrator' },
};

/** Throws `forbidden` unless the actor may take `action` on the case. */
export function authorizeCaseAction(actor: Actor, action: CaseAction, facts: CaseFacts): void {
  const { rules, who } = RULES[action];
  if (!rules.some((rule) => rule(actor, facts))) {
    throw new AppError('forbidden', `only ${who} can ${action.replace('_', ' ')} this case`);
  }
}
