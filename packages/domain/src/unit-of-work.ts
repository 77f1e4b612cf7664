import type { OutboxMessage } from '@telemed/db';
import type { Caller, Domain, Work } from './context.js';
import { relayOutbox } from './outbox-relay.js';

/**
 * Runs a use case as one transaction: the change, its history and audit rows, and the outbox rows of the work it
 * causes commit together or not at all. After commit the outbox rows are relayed to the queues at once; if that
 * fails, the change still stands and the router's sweep relays them.
 */
export async function inWork<T>(domain: Domain, caller: Caller, run: (work: Work) => Promise<T>): Promise<T> {
  let written: string[] = [];
  const result = await domain.db.transaction(async (tx) => {
    const messages: OutboxMessage[] = [];
    const value = await run({ tx, caller, later: (m) => messages.push(m) });
    written = await tx.outbox.add(messages);
    return value;
  });
  if (written.length) {
    try {
      await relayOutbox(domain, written);
    } catch (error) {
      domain.onRelayError?.(error);
    }
  }
  return result;
}
