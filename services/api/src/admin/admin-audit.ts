import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Repositories } from '@telemed/db';

/** One audit event of an administrator's change. */
export interface ChangeEvent {
  action: string;
  resourceType: string;
  resourceId: string;
  hospitalId?: string | null;
  details: Record<string, unknown>;
}

/** A field's value before and after a change. */
export interface FieldChange {
  from: unknown;
  to: unknown;
}

/** Fields that never enter the audit trail, not even as asked for. */
const SECRET_FIELDS = new Set(['password', 'passwordHash']);

/**
 * Runs an administrator's change and writes its audit events in the same transaction, so a change is never stored
 * unrecorded. A change that fails is recorded by the route's `config.audit` (refused, not found, conflict...) with
 * what was asked for, which this puts in `request.auditTrail.details` first.
 */
export async function auditedChange<T>(
  app: FastifyInstance,
  request: FastifyRequest,
  change: (tx: Repositories) => Promise<{ result: T; events: ChangeEvent[] }>,
): Promise<T> {
  if (request.body && typeof request.body === 'object') {
    request.auditTrail.details = { requested: withoutSecrets(request.body) };
  }
  const result = await app.db.transaction(async (tx) => {
    const { result, events } = await change(tx);
    // Last in the transaction: appending to the audit chain holds its head until commit.
    for (const event of events) {
      await tx.audit.record({ actor: request.actor, origin: request.origin, outcome: 'success', ...event });
    }
    return result;
  });
  request.auditTrail.recorded = true;
  return result;
}

/** The fields among `fields` whose value differs between `before` and `after`, each with both values. */
export function changesBetween(before: object, after: object, fields: string[]): Record<string, FieldChange> {
  const was = new Map<string, unknown>(Object.entries(before));
  const is = new Map<string, unknown>(Object.entries(after));
  const changes: Record<string, FieldChange> = {};
  for (const field of fields) {
    if (SECRET_FIELDS.has(field) || !is.has(field)) continue;
    const from = was.get(field) ?? null;
    const to = is.get(field) ?? null;
    if (JSON.stringify(from) !== JSON.stringify(to)) changes[field] = { from, to };
  }
  return changes;
}

/** A request body as it may be recorded: every field but passwords. */
export function withoutSecrets(body: object): Record<string, unknown> {
  return Object.fromEntries(Object.entries(body).filter(([key]) => !SECRET_FIELDS.has(key)));
}
