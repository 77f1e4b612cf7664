import { jobIdentityOf } from '@telemed/db';
import type { Domain } from './context.js';

const BATCH = 500;

/**
 * Relays outbox messages to their queues and marks them relayed: those named, or every one older than
 * `olderThanMs` (the sweep's catch-up after a crash between commit and relay). Job ids make a message relayed twice
 * one job. Returns how many were relayed.
 */
export async function relayOutbox(domain: Domain, ids: string[] | null, olderThanMs = 0): Promise<number> {
  const pending = await domain.db.outbox.pending(ids, olderThanMs, BATCH);
  const now = new Date();
  for (const m of pending) await domain.jobs.add(m.queue, m.payload, jobIdentityOf(m, now));
  await domain.db.outbox.markRelayed(pending.map((m) => m.id));
  return pending.length;
}
