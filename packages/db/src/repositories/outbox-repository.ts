import type { JobIdentity, QueueName } from '@telemed/contracts';
import type { Queryable } from '../pool.js';

/** A job to queue once the transaction that wrote it commits. */
export interface OutboxMessage {
  queue: QueueName;
  /** the job's payload: IDs only */
  payload: Record<string, unknown>;
  jobId: string;
  priority?: number;
  /** when the job is to run; absent: at once */
  runAt?: Date;
}

/** An outbox row waiting to be relayed to its queue. */
export interface PendingMessage extends OutboxMessage {
  id: string;
}

/** Follow-up work written with the change that causes it, then relayed to the queues. */
export class OutboxRepository {
  constructor(private readonly db: Queryable) {}

  /** Writes messages; their row ids. */
  async add(messages: OutboxMessage[]): Promise<string[]> {
    if (!messages.length) return [];
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO outbox (queue, job_id, payload, priority, run_at)
       SELECT * FROM unnest($1::text[], $2::text[], $3::jsonb[], $4::integer[], $5::timestamptz[])
       RETURNING id`,
      [
        messages.map((m) => m.queue),
        messages.map((m) => m.jobId),
        messages.map((m) => JSON.stringify(m.payload)),
        messages.map((m) => m.priority ?? null),
        messages.map((m) => m.runAt ?? null),
      ],
    );
    return rows.map((r) => r.id);
  }

  /** Messages not relayed yet: those named, or (no ids) every one written at least `olderThanMs` ago. */
  async pending(ids: string[] | null, olderThanMs: number, limit: number): Promise<PendingMessage[]> {
    const { rows } = await this.db.query<{
      id: string;
      queue: QueueName;
      job_id: string;
      payload: Record<string, unknown>;
      priority: number | null;
      run_at: Date | null;
    }>(
      `SELECT id, queue, job_id, payload, priority, run_at FROM outbox
       WHERE relayed_at IS NULL AND ($1::bigint[] IS NULL OR id = ANY($1::bigint[]))
         AND created_at <= clock_timestamp() - make_interval(secs => $2::double precision / 1000)
       ORDER BY id LIMIT $3`,
      [ids, ids ? 0 : olderThanMs, limit],
    );
    return rows.map((r) => ({
      id: r.id,
      queue: r.queue,
      payload: r.payload,
      jobId: r.job_id,
      ...(r.priority === null ? {} : { priority: r.priority }),
      ...(r.run_at === null ? {} : { runAt: r.run_at }),
    }));
  }

  /** Marks messages relayed. */
  async markRelayed(ids: string[]): Promise<void> {
    if (!ids.length) return;
    await this.db.query('UPDATE outbox SET relayed_at = clock_timestamp() WHERE id = ANY($1::bigint[])', [
      ids,
    ]);
  }

  /** Forgets relayed messages older than `days`. */
  async prune(days: number): Promise<number> {
    const { rowCount } = await this.db.query(
      `DELETE FROM outbox WHERE relayed_at < clock_timestamp() - make_interval(days => $1)`,
      [days],
    );
    return rowCount ?? 0;
  }
}

/** The BullMQ options of a pending message: its job id, priority, and the delay left until it is due. */
export function jobIdentityOf(m: OutboxMessage, now = new Date()): JobIdentity {
  return {
    jobId: m.jobId,
    ...(m.priority === undefined ? {} : { priority: m.priority }),
    ...(m.runAt ? { delay: Math.max(0, m.runAt.getTime() - now.getTime()) } : {}),
  };
}
