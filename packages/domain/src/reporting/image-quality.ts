import {
  AppError,
  IMAGE_QUALITY_CATEGORIES,
  type CaseState,
  type ImageQualityInput,
  type ImageQualityRating,
  type TechnicianQuality,
  type TechnicianQualityQuery,
} from '@telemed/contracts';
import type { Actor } from '@telemed/db';
import { recordCaseEvent } from '../case-events.js';
import type { Caller, Domain } from '../context.js';
import { notify } from '../follow-ups.js';
import { requirePermitted, requirePlatformPermission } from '../policy.js';
import { inWork } from '../unit-of-work.js';
import { caseAfter, lockCase } from '../cases/case-moves.js';
import { caseLine } from '../routing/notification-text.js';

// the images are rated by someone reading them
const RATED_STATES: readonly CaseState[] = ['in_review', 'preliminary', 'final'];

/**
 * A reader rates the images of a case (1-5, what was wrong, a comment): 带教 feedback to the technician who opened
 * it, who is told. Rating again replaces the reader's earlier rating; both are in the history.
 */
export async function rateImageQuality(
  domain: Domain,
  caller: Caller,
  caseId: string,
  input: ImageQualityInput,
): Promise<ImageQualityRating> {
  return inWork(domain, caller, async (work) => {
    const c = await lockCase(work, caseId);
    if (!RATED_STATES.includes(c.state)) {
      throw new AppError(
        'rating_not_now',
        `the images of a case that is ${c.state} cannot be rated yet; start the review first (allowed from: ${RATED_STATES.join(', ')})`,
        { params: { state: c.state, allowed: [...RATED_STATES] } },
      );
    }
    requirePermitted(caller.actor, 'rate_image_quality', c);
    const categories = IMAGE_QUALITY_CATEGORIES.filter((k) => input.categories?.includes(k));
    const { rating, replaced } = await work.tx.imageQuality.rate({
      caseId,
      technicianId: c.createdBy,
      hospitalId: c.requestingHospitalId,
      ratedBy: caller.actor.userId,
      score: input.score,
      categories,
      comment: input.comment?.trim() ?? '',
    });
    await recordCaseEvent(work, c, {
      action: 'image_quality_rated',
      to: c.state,
      reason: `图像质量 ${String(input.score)}/5${rating.comment ? `：${rating.comment}` : ''}`,
      details: { ratingId: rating.id, score: input.score, categories, replaced },
    });
    const after = await caseAfter(work, caseId);
    await notify(work, [
      {
        userId: c.createdBy,
        caseId,
        kind: 'case.quality_rated',
        page: false,
        title: `图像质量反馈 ${String(input.score)}/5 ${caseLine(after)}`,
        body: `${caller.actor.displayName} 评价了本例图像质量`,
      },
    ]);
    return rating;
  });
}

/**
 * The image quality of each technician: a county hospital's staff see their own hospital's technicians, an
 * administrator every hospital's (or one, by `hospitalId`).
 */
export async function technicianQuality(
  domain: Domain,
  actor: Actor,
  q: TechnicianQualityQuery,
): Promise<TechnicianQuality[]> {
  requirePlatformPermission(actor, 'quality.read');
  const hospitalId = actor.role === 'admin' ? (q.hospitalId ?? null) : actor.hospitalId;
  if (actor.role !== 'admin' && q.hospitalId && q.hospitalId !== actor.hospitalId) {
    throw new AppError(
      'own_technicians_only',
      "you can see only your own hospital's technicians; leave out hospitalId",
    );
  }
  return domain.db.imageQuality.summary(hospitalId, q);
}
