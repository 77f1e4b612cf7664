import { AppError, type Annotation, type CaseAnnotations } from '@telemed/contracts';
import type { Actor } from '@telemed/db';
import type { Caller, Domain } from '../context.js';
import { caseNotFound, requirePermitted } from '../policy.js';
import { inWork } from '../unit-of-work.js';

/** The measurements and marks saved with a case the actor sees (the county side sees them too). */
export async function caseAnnotations(domain: Domain, actor: Actor, id: string): Promise<CaseAnnotations> {
  const c = await domain.db.cases.facts(actor, id);
  if (!c) throw caseNotFound(id);
  return domain.db.annotations.get(id);
}

/**
 * Replaces the case's measurements and marks with `annotations`, made from version `fromVersion`: the assigned
 * specialist only, and only over the version they read (409 when it moved on), with its audit event.
 */
export async function saveCaseAnnotations(
  domain: Domain,
  caller: Caller,
  id: string,
  fromVersion: number,
  annotations: Annotation[],
): Promise<CaseAnnotations> {
  const ids = new Set(annotations.map((a) => a.id));
  if (ids.size !== annotations.length) {
    throw new AppError('annotation_ids_repeat', 'each annotation needs an id of its own; two share one');
  }
  return inWork(domain, caller, async (work) => {
    const c = await work.tx.cases.facts(caller.actor, id);
    if (!c) throw caseNotFound(id);
    requirePermitted(caller.actor, 'annotate', c);
    const version = await work.tx.annotations.replace(id, fromVersion, annotations, caller.actor.userId);
    if (version === null) {
      throw new AppError(
        'measurements_changed',
        `the measurements were saved elsewhere since version ${fromVersion}; reload them and measure again`,
        { params: { version: fromVersion } },
      );
    }
    await work.tx.audit.record({
      actor: caller.actor,
      action: 'case.annotations.save',
      resourceType: 'case',
      resourceId: id,
      hospitalId: c.requestingHospitalId,
      outcome: 'success',
      origin: caller.origin,
      details: { version, annotations: annotations.length },
    });
    return work.tx.annotations.get(id);
  });
}
