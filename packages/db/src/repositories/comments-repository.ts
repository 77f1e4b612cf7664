import type { CaseComment } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, isoNotNull } from '../rows.js';

interface CommentRow {
  id: string;
  case_id: string;
  author_id: string;
  author_name: string;
  author_role: string;
  body: string;
  created_at: Date;
}

const COMMENT_SELECT = `SELECT m.*, u.display_name AS author_name, u.role AS author_role
  FROM case_comments m JOIN users u ON u.id = m.author_id`;

/** The comment threads of cases, between the county side and the specialists. */
export class CommentsRepository {
  constructor(private readonly db: Queryable) {}

  /** Adds a comment; the comment as stored. */
  async add(caseId: string, authorId: string, body: string): Promise<CaseComment> {
    const { rows } = await this.db.query<{ id: string }>(
      'INSERT INTO case_comments (case_id, author_id, body) VALUES ($1, $2, $3) RETURNING id',
      [caseId, authorId, body],
    );
    const { rows: created } = await this.db.query<CommentRow>(`${COMMENT_SELECT} WHERE m.id = $1`, [
      firstRow(rows).id,
    ]);
    return toComment(firstRow(created));
  }

  /** The thread of a case, oldest first. */
  async list(caseId: string): Promise<CaseComment[]> {
    const { rows } = await this.db.query<CommentRow>(
      `${COMMENT_SELECT} WHERE m.case_id = $1 ORDER BY m.created_at, m.id`,
      [caseId],
    );
    return rows.map(toComment);
  }
}

function toComment(r: CommentRow): CaseComment {
  return {
    id: r.id,
    caseId: r.case_id,
    authorId: r.author_id,
    authorName: r.author_name,
    authorRole: r.author_role,
    body: r.body,
    createdAt: isoNotNull(r.created_at),
  };
}
