import { AppError } from '@telemed/contracts';
import type { Actor, CaseFacts } from '@telemed/db';
import type { Work } from '../context.js';

/**
 * `specialistId` may hold the case: an active specialist; and, unless an administrator (or the router) hands it
 * over, one of the case's department or of the other city departments its requesting department is partnered with
 * (科室对科室). Anyone else is an administrator's call.
 */
export async function requireEligibleHolder(
  work: Work,
  c: CaseFacts,
  specialistId: string,
  by: Actor,
): Promise<void> {
  const user = await work.tx.users.find(specialistId);
  if (!user || user.role !== 'specialist' || !user.active) {
    throw new AppError('validation_failed', 'the case can only go to an active specialist', {
      errors: [
        { field: 'specialistId', message: 'must be an active specialist', reason: 'active_specialist' },
      ],
    });
  }
  if (by.role === 'admin') return;
  const partners = await work.tx.hospitals.partnerDepartments(c.requestingDepartmentId);
  const departments = new Set([...(c.targetDepartmentId ? [c.targetDepartmentId] : []), ...partners]);
  if (!user.departmentId || !departments.has(user.departmentId)) {
    throw new AppError(
      'hand_within_partners',
      "you can hand this case only to a specialist of the case's department or of a department partnered with " +
        'the requesting department; ask an administrator to assign it elsewhere',
    );
  }
}
