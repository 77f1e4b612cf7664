import { AppError, type RosterEntry, type RosterEntryCreate, type RosterQuery } from '@telemed/contracts';
import type { Queryable } from '../pool.js';
import { firstRow, isoNotNull } from '../rows.js';

interface RosterRow {
  id: string;
  user_id: string;
  department_id: string;
  starts_at: Date;
  ends_at: Date;
  modalities: string[];
  note: string;
}

/** The duty roster: who reads for which department, when, and which modalities. */
export class RosterRepository {
  constructor(private readonly db: Queryable) {}

  /** Entries overlapping a window (or covering an instant), optionally of one department or person. */
  async list(q: RosterQuery): Promise<RosterEntry[]> {
    const from = q.at ?? q.from ?? null;
    const to = q.at ?? q.to ?? null;
    const { rows } = await this.db.query<RosterRow>(
      `SELECT * FROM roster_entries
       WHERE ($1::timestamptz IS NULL OR ends_at > $1)
         AND ($2::timestamptz IS NULL OR starts_at <= $2)
         AND ($3::uuid IS NULL OR department_id = $3)
         AND ($4::uuid IS NULL OR user_id = $4)
       ORDER BY starts_at, department_id LIMIT 5000`,
      [from, to, q.departmentId ?? null, q.userId ?? null],
    );
    return rows.map(toEntry);
  }

  /** Adds a shift. */
  async create(input: RosterEntryCreate): Promise<RosterEntry> {
    const { rows } = await this.db.query<RosterRow>(
      `INSERT INTO roster_entries (user_id, department_id, starts_at, ends_at, modalities, note)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
      [
        input.userId,
        input.departmentId,
        input.startsAt,
        input.endsAt,
        input.modalities ?? [],
        input.note ?? '',
      ],
    );
    return toEntry(firstRow(rows));
  }

  /** Removes a shift and returns it. */
  async remove(id: string): Promise<RosterEntry> {
    const { rows } = await this.db.query<RosterRow>('DELETE FROM roster_entries WHERE id = $1 RETURNING *', [
      id,
    ]);
    const row = rows[0];
    if (!row) throw new AppError('not_found', `roster entry ${id} does not exist`);
    return toEntry(row);
  }
}

function toEntry(r: RosterRow): RosterEntry {
  return {
    id: r.id,
    userId: r.user_id,
    departmentId: r.department_id,
    startsAt: isoNotNull(r.starts_at),
    endsAt: isoNotNull(r.ends_at),
    modalities: r.modalities,
    note: r.note,
  };
}
