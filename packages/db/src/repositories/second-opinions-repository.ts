import type { SecondOpinion } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, iso, isoNotNull } from '../rows.js';

interface OpinionRow {
  id: string;
  case_id: string;
  requested_by: string;
  requested_by_name: string;
  specialist_id: string;
  specialist_name: string;
  question: string;
  opinion: string | null;
  requested_at: Date;
  answered_at: Date | null;
  withdrawn_at: Date | null;
}

const OPINION_SELECT = `SELECT o.*, r.display_name AS requested_by_name, s.display_name AS specialist_name
  FROM second_opinions o JOIN users r ON r.id = o.requested_by JOIN users s ON s.id = o.specialist_id`;

function toOpinion(r: OpinionRow): SecondOpinion {
  return {
    id: r.id,
    caseId: r.case_id,
    requestedBy: r.requested_by,
    requestedByName: r.requested_by_name,
    specialistId: r.specialist_id,
    specialistName: r.specialist_name,
    question: r.question,
    opinion: r.opinion,
    requestedAt: isoNotNull(r.requested_at),
    answeredAt: iso(r.answered_at),
    withdrawnAt: iso(r.withdrawn_at),
    state: r.answered_at ? 'answered' : r.withdrawn_at ? 'withdrawn' : 'open',
  };
}

/** Second opinions asked of other specialists: at most one open per case. */
export class SecondOpinionsRepository {
  constructor(private readonly db: Queryable) {}

  /** Opens a request; the caller holds the case's row lock and has checked that none is open. */
  async open(
    caseId: string,
    requestedBy: string,
    specialistId: string,
    question: string,
  ): Promise<SecondOpinion> {
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO second_opinions (case_id, requested_by, specialist_id, question) VALUES ($1, $2, $3, $4)
       RETURNING id`,
      [caseId, requestedBy, specialistId, question],
    );
    return this.get(firstRow(rows).id);
  }

  /** The case's open request, or null. */
  async openFor(caseId: string): Promise<SecondOpinion | null> {
    const { rows } = await this.db.query<OpinionRow>(
      `${OPINION_SELECT} WHERE o.case_id = $1 AND o.answered_at IS NULL AND o.withdrawn_at IS NULL`,
      [caseId],
    );
    const row = rows[0];
    return row ? toOpinion(row) : null;
  }

  /** Records the answer to an open request. */
  async answer(id: string, opinion: string): Promise<SecondOpinion> {
    await this.db.query(
      `UPDATE second_opinions SET opinion = $2, answered_at = now()
       WHERE id = $1 AND answered_at IS NULL AND withdrawn_at IS NULL`,
      [id, opinion],
    );
    return this.get(id);
  }

  /** Withdraws an open request. */
  async withdraw(id: string): Promise<SecondOpinion> {
    await this.db.query(
      `UPDATE second_opinions SET withdrawn_at = now() WHERE id = $1 AND answered_at IS NULL AND withdrawn_at IS NULL`,
      [id],
    );
    return this.get(id);
  }

  /** Every request of a case, oldest first. */
  async list(caseId: string): Promise<SecondOpinion[]> {
    const { rows } = await this.db.query<OpinionRow>(
      `${OPINION_SELECT} WHERE o.case_id = $1 ORDER BY o.requested_at, o.id`,
      [caseId],
    );
    return rows.map(toOpinion);
  }

  private async get(id: string): Promise<SecondOpinion> {
    const { rows } = await this.db.query<OpinionRow>(`${OPINION_SELECT} WHERE o.id = $1`, [id]);
    return toOpinion(firstRow(rows));
  }
}
