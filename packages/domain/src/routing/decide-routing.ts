import type { RoutingDecision } from '@telemed/contracts';
import type { MatchedRule, Repositories } from '@telemed/db';

/**
 * The routing decision for a case at `at`: a specialist, or the pool when nobody eligible is on duty anywhere the
 * case may go. The plan: the matching rules in order (each names a department and perhaps a subspecialty, or leaves
 * the department to the partnership), then a last resort, any specialist of the partnered departments; a rule that
 * leaves the department to the partnership tries the partnered department first and the requesting department's
 * other partnerships after it (科室对科室). Among the candidates, the least open work weighted by urgency wins.
 * `exclude` leaves out specialists who held the case before. Null only when the case does not exist.
 */
export async function decideRouting(
  tx: Repositories,
  caseId: string,
  at: Date,
  exclude: string[] = [],
): Promise<RoutingDecision | null> {
  const c = await tx.routingCandidates.caseForRouting(caseId);
  if (!c) return null;
  const rules = await tx.routingRules.matching(
    {
      requestingHospitalId: c.requestingHospitalId,
      requestingDepartmentId: c.requestingDepartmentId,
      modality: c.modality,
      bodyPart: c.bodyPart,
      urgency: c.urgency,
    },
    at,
  );
  // A case is better read by a general radiologist now than left waiting for a subspecialist who is full or away.
  const plan: MatchedRule[] = [
    ...rules,
    {
      id: '',
      name: rules.length
        ? 'last resort: any specialist of the partnered departments'
        : 'default: the partnered department',
      targetDepartmentId: null,
      subspecialty: null,
    },
  ];
  const fallbacks = await tx.hospitals.partnerDepartments(c.requestingDepartmentId);
  const tried: RoutingDecision['tried'] = [];
  for (const rule of plan) {
    const primary = rule.targetDepartmentId ?? c.targetDepartmentId;
    const departments = [...new Set([primary, ...(rule.targetDepartmentId ? [] : fallbacks)])].filter(
      (d): d is string => d !== null,
    );
    for (const departmentId of departments) {
      const candidates = await tx.routingCandidates.candidates(
        departmentId,
        rule.subspecialty,
        c.modality,
        at,
        exclude,
      );
      tried.push({ departmentId, candidates });
      const chosen = candidates[0];
      if (chosen) {
        return {
          outcome: 'assigned',
          ruleId: rule.id || null,
          ruleName: rule.name,
          departmentId,
          specialistId: chosen.userId,
          reason:
            `${chosen.username} has the least open work (${chosen.load} weighted, ${chosen.openCases} of ` +
            `${chosen.cap} cases) among ${candidates.length} on duty` +
            (rule.subspecialty ? ` reading ${rule.subspecialty}` : '') +
            (departmentId === primary
              ? ''
              : '; the first department had nobody free, so the fallback pool took it'),
          tried,
          excluded: exclude,
          decidedAt: at.toISOString(),
        };
      }
    }
  }
  const first = plan[0];
  return {
    outcome: 'pool',
    ruleId: first?.id || null,
    ruleName: first?.name ?? '',
    departmentId: c.targetDepartmentId,
    specialistId: null,
    reason:
      'nobody eligible is on duty with room for another case in any department this case may go to; ' +
      'it waits in the department pool for a claim, and routing is tried again',
    tried,
    excluded: exclude,
    decidedAt: at.toISOString(),
  };
}

/**
 * Decides, and holds the chosen specialist's place until the transaction ends (their row locked and their open
 * cases counted again), so two decisions taken at once never both give the last place under a cap. A specialist
 * found full at that moment is left out and the decision taken again. Inside a transaction.
 */
export async function chooseSpecialist(
  tx: Repositories,
  caseId: string,
  at: Date,
  exclude: string[] = [],
): Promise<RoutingDecision | null> {
  const left = [...exclude];
  for (;;) {
    const decision = await decideRouting(tx, caseId, at, left);
    if (!decision?.specialistId) return decision;
    if (await tx.routingCandidates.holdPlace(decision.specialistId)) return decision;
    left.push(decision.specialistId);
  }
}
