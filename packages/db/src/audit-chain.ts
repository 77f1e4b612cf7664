import type pg from 'pg';

/** The first link of the audit chain that does not hold. */
export interface ChainBreak {
  /** the event where the chain stops holding */
  id: string;
  /** what differs, in words */
  problem: string;
}

/** The outcome of walking the audit chain from its anchor to its head. */
export interface ChainReport {
  /** events checked (all of them when the chain is intact) */
  events: number;
  firstBreak: ChainBreak | null;
  /** the newest event the walk reached and its hash (hex): record these elsewhere to detect a rewritten chain */
  lastId: string;
  lastHash: string;
}

export interface VerifyOptions {
  batchSize?: number;
  /** called after each batch with the number of events checked so far */
  onProgress?: (checked: number) => void;
}

interface HeadRow {
  anchor_id: string;
  anchor_hash: Buffer;
  last_id: string;
  last_hash: Buffer;
}

interface LinkRow {
  id: string;
  prev_hash: Buffer | null;
  hash: Buffer | null;
  recomputed: Buffer | null;
}

/**
 * Walks the audit trail oldest first in one snapshot and checks every link: each event follows the hash of the one
 * before it (or the anchor), its content still hashes to its stored hash, and the newest is the one the chain head
 * records. Stops at the first break.
 */
export async function verifyAuditChain(pool: pg.Pool, options: VerifyOptions = {}): Promise<ChainReport> {
  const batchSize = options.batchSize ?? 5000;
  const client = await pool.connect();
  try {
    // One snapshot: events appended while the walk runs are neither half-seen nor mistaken for a break.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const { rows: heads } = await client.query<HeadRow>(
      'SELECT anchor_id, anchor_hash, last_id, last_hash FROM audit_chain_head',
    );
    const head = heads[0];
    if (!head) throw new Error('audit_chain_head is empty: the chain has no anchor (was it emptied?)');
    let expected = head.anchor_hash;
    let previousId = head.anchor_id;
    let checked = 0;
    const broken = (id: string, problem: string): ChainReport => ({
      events: checked,
      firstBreak: { id, problem },
      lastId: previousId,
      lastHash: expected.toString('hex'),
    });
    const before = (): string => {
      if (previousId !== head.anchor_id) return `event ${previousId}`;
      return head.anchor_id === '0'
        ? 'the start of the chain'
        : `the anchor (archived event ${head.anchor_id})`;
    };
    // An event is chained as its transaction commits; one that is stored unchained got past the trigger.
    const { rows: unchained } = await client.query<{ id: string }>(
      'SELECT id FROM audit_events WHERE id <= 0 OR hash IS NULL OR prev_hash IS NULL ORDER BY id LIMIT 1',
    );
    if (unchained[0]) {
      return broken(
        unchained[0].id,
        'it was never chained: it was stored past the trigger that appends events',
      );
    }
    for (;;) {
      const { rows } = await client.query<LinkRow>(
        `SELECT id, prev_hash, hash, sha256(prev_hash || audit_event_content(e)) AS recomputed
         FROM audit_events e WHERE id > $1 ORDER BY id LIMIT $2`,
        [checked === 0 ? '0' : previousId, batchSize],
      );
      for (const row of rows) {
        if (BigInt(row.id) <= BigInt(head.anchor_id)) {
          return broken(row.id, `stored although the chain is anchored after it, at event ${head.anchor_id}`);
        }
        if (!row.prev_hash?.equals(expected)) {
          return broken(
            row.id,
            `its previous hash does not match ${before()}: an event between them was removed, or events were ` +
              're-ordered or rewritten',
          );
        }
        if (!row.hash || !row.recomputed?.equals(row.hash)) {
          return broken(row.id, 'its content no longer matches its hash: the event was altered');
        }
        expected = row.hash;
        previousId = row.id;
        checked += 1;
      }
      options.onProgress?.(checked);
      if (rows.length < batchSize) break;
    }
    if (previousId !== head.last_id || !expected.equals(head.last_hash)) {
      return broken(
        head.last_id,
        `the chain head records event ${head.last_id} as the newest, but the walk ends at ${before()}: ` +
          'the newest events were removed or replaced',
      );
    }
    return { events: checked, firstBreak: null, lastId: previousId, lastHash: expected.toString('hex') };
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    client.release();
  }
}
