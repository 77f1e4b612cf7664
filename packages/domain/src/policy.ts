import {
  AppError,
  CASE_PERMISSIONS,
  CASE_TRANSITIONS,
  PLATFORM_PERMISSIONS,
  nextState,
  permits,
  rolePermits,
  type CaseAction,
  type CaseOperation,
  type CaseState,
  type PlatformPermission,
} from '@telemed/contracts';
import type { Actor, CaseFacts } from '@telemed/db';

const spoken = (operation: string): string => operation.replaceAll('_', ' ');

/** The state `action` leads to, or `illegal_transition` (409) naming the states it is allowed from. */
export function requireLegal(state: CaseState, action: CaseAction): CaseState {
  const to = nextState(state, action);
  if (to) return to;
  const allowed = CASE_TRANSITIONS[action].from.join(', ');
  throw new AppError(
    'not_in_this_state',
    `cannot ${spoken(action)} a case that is ${state}; allowed from: ${allowed}`,
    { params: { action, state, allowed: [...CASE_TRANSITIONS[action].from] } },
  );
}

/** `forbidden` (403) unless the permission table lets the actor take `operation` on the case. */
export function requirePermitted(actor: Actor, operation: CaseOperation, c: CaseFacts): void {
  if (permits(actor, operation, c)) return;
  throw new AppError(
    'case_not_permitted',
    `only ${CASE_PERMISSIONS[operation].who} can ${spoken(operation)} this case`,
    { params: { allow: [...CASE_PERMISSIONS[operation].allow] } },
  );
}

/** Why the role may not do what the platform permission covers, or null when it may. */
export function platformRefusal(role: Actor['role'], permission: PlatformPermission): string | null {
  return rolePermits(role, permission) ? null : `only ${PLATFORM_PERMISSIONS[permission].who} can do this`;
}

/** `forbidden` (403) unless the actor's role holds the platform permission. */
export function requirePlatformPermission(actor: Pick<Actor, 'role'>, permission: PlatformPermission): void {
  const refusal = platformRefusal(actor.role, permission);
  if (refusal) {
    throw new AppError('role_not_permitted', refusal, {
      params: { allow: [...PLATFORM_PERMISSIONS[permission].allow] },
    });
  }
}

/** The answer for a case that does not exist for the asker. */
export function caseNotFound(id: string): AppError {
  return new AppError('case_not_found', `case ${id} was not found`);
}
