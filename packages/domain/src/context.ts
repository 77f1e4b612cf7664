import type { JobIdentity, QueueName } from '@telemed/contracts';
import type { Actor, Database, OutboxMessage, Repositories, RequestOrigin } from '@telemed/db';

/** Who asks a use case to run, and from where (for the audit trail). */
export interface Caller {
  actor: Actor;
  origin: RequestOrigin;
}

/** Where relayed outbox messages go: the service's BullMQ producers. */
export interface JobSink {
  add(queue: QueueName, payload: Record<string, unknown>, identity: JobIdentity): Promise<void>;
}

/** What the use cases run on: the database, and where follow-up work is relayed after commit. */
export interface Domain {
  db: Database;
  jobs: JobSink;
  /** told when relaying after commit failed; the router's sweep relays what is left */
  onRelayError?: (error: unknown) => void;
}

/** One use case's transaction: its repositories, its caller, and the follow-up work it causes. */
export interface Work {
  tx: Repositories;
  caller: Caller;
  /** follow-up jobs, written to the outbox when the use case is done, in the same transaction */
  later(message: OutboxMessage): void;
}
