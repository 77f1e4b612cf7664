import {
  AppError,
  type Notification,
  type NotificationKind,
  type NotificationListQuery,
} from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, iso, isoNotNull } from '../rows.js';

/** A notification to write. */
export interface NewNotification {
  userId: string;
  caseId: string | null;
  kind: NotificationKind;
  page: boolean;
  title: string;
  body: string;
}

interface NotificationRow {
  id: string;
  user_id: string;
  case_id: string | null;
  kind: NotificationKind;
  page: boolean;
  title: string;
  body: string;
  created_at: Date;
  delivered_at: Date | null;
  read_at: Date | null;
}

function toNotification(r: NotificationRow): Notification {
  return {
    id: r.id,
    userId: r.user_id,
    caseId: r.case_id,
    kind: r.kind,
    page: r.page,
    title: r.title,
    body: r.body,
    createdAt: isoNotNull(r.created_at),
    deliveredAt: iso(r.delivered_at),
    readAt: iso(r.read_at),
  };
}

/**
 * The notification outbox. Rows are written in the transaction of the change they announce; delivery over
 * socket.io stamps `delivered_at`; the user marks them read.
 */
export class NotificationsRepository {
  constructor(private readonly db: Queryable) {}

  /** Writes notifications; returns their ids in order. */
  async add(notifications: NewNotification[]): Promise<{ id: string; page: boolean }[]> {
    const out: { id: string; page: boolean }[] = [];
    for (const n of notifications) {
      const { rows } = await this.db.query<{ id: string }>(
        `INSERT INTO notifications (user_id, case_id, kind, page, title, body) VALUES ($1, $2, $3, $4, $5, $6)
         RETURNING id`,
        [n.userId, n.caseId, n.kind, n.page, n.title, n.body],
      );
      out.push({ id: firstRow(rows).id, page: n.page });
    }
    return out;
  }

  /** One notification, or null. */
  async get(id: string): Promise<Notification | null> {
    const { rows } = await this.db.query<NotificationRow>('SELECT * FROM notifications WHERE id = $1', [id]);
    const row = rows[0];
    return row ? toNotification(row) : null;
  }

  /** Stamps delivery; false when it was already delivered. */
  async markDelivered(id: string): Promise<boolean> {
    const { rowCount } = await this.db.query(
      'UPDATE notifications SET delivered_at = clock_timestamp() WHERE id = $1 AND delivered_at IS NULL',
      [id],
    );
    return rowCount === 1;
  }

  /** Notifications not delivered `olderThanMs` after they were written: their delivery job was lost. */
  async undelivered(olderThanMs: number, limit: number): Promise<{ id: string; page: boolean }[]> {
    const { rows } = await this.db.query<{ id: string; page: boolean }>(
      `SELECT id, page FROM notifications
       WHERE delivered_at IS NULL AND created_at < clock_timestamp() - make_interval(secs => $1)
       ORDER BY id LIMIT $2`,
      [olderThanMs / 1000, limit],
    );
    return rows;
  }

  /** A user's notifications, newest first. */
  async list(userId: string, q: NotificationListQuery): Promise<Notification[]> {
    const { rows } = await this.db.query<NotificationRow>(
      `SELECT * FROM notifications WHERE user_id = $1 AND (NOT $2 OR read_at IS NULL) ORDER BY id DESC LIMIT $3`,
      [userId, q.unread ?? false, q.limit ?? 50],
    );
    return rows.map(toNotification);
  }

  /** Marks one of the user's notifications read; not_found when it is not theirs. */
  async markRead(userId: string, id: string): Promise<Notification> {
    const { rows } = await this.db.query<NotificationRow>(
      `UPDATE notifications SET read_at = COALESCE(read_at, now()) WHERE id = $1 AND user_id = $2 RETURNING *`,
      [id, userId],
    );
    const row = rows[0];
    if (!row) throw new AppError('not_found', `notification ${id} was not found`);
    return toNotification(row);
  }
}
