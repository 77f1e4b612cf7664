import {
  IMAGE_QUALITY_CATEGORIES,
  type ImageQualityCategory,
  type ImageQualityRating,
  type TechnicianQuality,
  type TechnicianQualityQuery,
} from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, isoNotNull } from '../rows.js';

/** A rating to store: who rated whose images on which case. */
export interface NewRating {
  caseId: string;
  technicianId: string;
  hospitalId: string;
  ratedBy: string;
  score: number;
  categories: ImageQualityCategory[];
  comment: string;
}

interface RatingRow {
  id: string;
  case_id: string;
  technician_id: string;
  technician_name: string;
  rated_by: string;
  rated_by_name: string;
  score: number;
  categories: ImageQualityCategory[];
  comment: string;
  rated_at: Date;
}

const RATING_SELECT = `SELECT q.*, t.display_name AS technician_name, r.display_name AS rated_by_name
  FROM image_quality_ratings q JOIN users t ON t.id = q.technician_id JOIN users r ON r.id = q.rated_by`;

function toRating(r: RatingRow): ImageQualityRating {
  return {
    id: r.id,
    caseId: r.case_id,
    technicianId: r.technician_id,
    technicianName: r.technician_name,
    ratedBy: r.rated_by,
    ratedByName: r.rated_by_name,
    score: r.score,
    categories: r.categories,
    comment: r.comment,
    ratedAt: isoNotNull(r.rated_at),
  };
}

/** 带教 feedback: how readers rated the images each technician sent, and the summary per technician. */
export class ImageQualityRepository {
  constructor(private readonly db: Queryable) {}

  /** Stores a reader's rating of a case, replacing their earlier one; the rating and whether it replaced one. */
  async rate(r: NewRating): Promise<{ rating: ImageQualityRating; replaced: boolean }> {
    const { rows } = await this.db.query<{ id: string; replaced: boolean }>(
      `INSERT INTO image_quality_ratings (case_id, technician_id, hospital_id, rated_by, score, categories, comment)
       VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (case_id, rated_by) DO UPDATE
         SET score = EXCLUDED.score, categories = EXCLUDED.categories, comment = EXCLUDED.comment, rated_at = now()
       RETURNING id, (xmax <> 0) AS replaced`,
      [r.caseId, r.technicianId, r.hospitalId, r.ratedBy, r.score, r.categories, r.comment],
    );
    const { id, replaced } = firstRow(rows);
    const { rows: stored } = await this.db.query<RatingRow>(`${RATING_SELECT} WHERE q.id = $1`, [id]);
    return { rating: toRating(firstRow(stored)), replaced };
  }

  /** The ratings of a case, oldest first. */
  async forCase(caseId: string): Promise<ImageQualityRating[]> {
    const { rows } = await this.db.query<RatingRow>(
      `${RATING_SELECT} WHERE q.case_id = $1 ORDER BY q.rated_at, q.id`,
      [caseId],
    );
    return rows.map(toRating);
  }

  /**
   * Each technician's ratings in the period (of one hospital, or all when `hospitalId` is null), most rated first:
   * the average score, how many ratings named each category, and the latest comments.
   */
  async summary(hospitalId: string | null, q: TechnicianQualityQuery): Promise<TechnicianQuality[]> {
    const recent = q.recent ?? 5;
    const { rows } = await this.db.query<{
      technician_id: string;
      technician_name: string;
      hospital_id: string;
      hospital_name: string;
      ratings: string;
      average_score: string;
      by_category: Record<string, string> | null;
      recent: {
        caseId: string;
        score: number;
        categories: ImageQualityCategory[];
        comment: string;
        ratedByName: string;
        ratedAt: string;
      }[];
    }>(
      `WITH rated AS (
         SELECT q.*, r.display_name AS rated_by_name FROM image_quality_ratings q JOIN users r ON r.id = q.rated_by
         WHERE ($1::uuid IS NULL OR q.hospital_id = $1)
           AND ($2::timestamptz IS NULL OR q.rated_at >= $2) AND ($3::timestamptz IS NULL OR q.rated_at < $3)
       )
       SELECT q.technician_id, t.display_name AS technician_name, q.hospital_id, h.name AS hospital_name,
              count(*) AS ratings, round(avg(q.score), 2) AS average_score,
              (SELECT jsonb_object_agg(cat, n) FROM (
                 SELECT cat, count(*) AS n FROM rated x, unnest(x.categories) AS cat
                 WHERE x.technician_id = q.technician_id AND x.hospital_id = q.hospital_id GROUP BY cat) c
              ) AS by_category,
              COALESCE((SELECT jsonb_agg(jsonb_build_object(
                   'caseId', y.case_id, 'score', y.score, 'categories', to_jsonb(y.categories), 'comment', y.comment,
                   'ratedByName', y.rated_by_name, 'ratedAt', y.rated_at) ORDER BY y.rated_at DESC)
                 FROM (SELECT * FROM rated y WHERE y.technician_id = q.technician_id AND y.hospital_id = q.hospital_id
                       ORDER BY y.rated_at DESC LIMIT $4) y), '[]') AS recent
       FROM rated q JOIN users t ON t.id = q.technician_id JOIN hospitals h ON h.id = q.hospital_id
       GROUP BY q.technician_id, t.display_name, q.hospital_id, h.name
       ORDER BY count(*) DESC, t.display_name`,
      [hospitalId, q.from ?? null, q.to ?? null, recent],
    );
    return rows.map((r) => {
      const byCategory: Record<string, number> = {};
      for (const c of IMAGE_QUALITY_CATEGORIES) byCategory[c] = Number(r.by_category?.[c] ?? 0);
      return {
        technicianId: r.technician_id,
        technicianName: r.technician_name,
        hospitalId: r.hospital_id,
        hospitalName: r.hospital_name,
        ratings: Number(r.ratings),
        averageScore: Number(r.average_score),
        byCategory,
        recent: r.recent.map((x) => ({ ...x, ratedAt: new Date(x.ratedAt).toISOString() })),
      };
    });
  }
}
