import type { FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { AuditOutcome } from '@telemed/contracts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * Patient data passes through this route: every call is recorded in the audit trail. With `coalesceSeconds`,
     * repeated successful calls of one session on one resource (a viewer fetching frame after frame) are recorded
     * once per that many seconds; refusals are always recorded.
     */
    audit?: { action: string; resourceType: string; coalesceSeconds?: number };
  }
  interface FastifyRequest {
    auditTrail: AuditTrail;
  }
}

/** What a handler adds to its route's audit event. */
export interface AuditTrail {
  /** The event was written inside the handler's own transaction: do not write another. */
  recorded: boolean;
  resourceId: string | null;
  hospitalId: string | null;
  details: Record<string, unknown>;
}

function outcomeOf(status: number): AuditOutcome {
  if (status < 400) return 'success';
  if (status === 401 || status === 403 || status === 423) return 'denied';
  if (status === 404) return 'not_found';
  if (status === 409) return 'conflict';
  if (status < 500) return 'invalid';
  return 'error';
}

/**
 * Records who touched which patient data, when, from where, and with what outcome, for every route that declares
 * `config.audit`, before the response leaves. Reads are recorded as well as writes, refusals as well as successes.
 * If the event cannot be written the response becomes a 500: patient data never leaves unrecorded.
 */
export default fp(
  async (app) => {
    // Fastify wants reference-typed decorations to start as null; onRequest gives each request its own.
    app.decorateRequest<AuditTrail | null>('auditTrail', null);
    app.addHook('onRequest', async (request) => {
      request.auditTrail = { recorded: false, resourceId: null, hospitalId: null, details: {} };
    });
    app.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload) => {
      const audit = request.routeOptions.config.audit;
      if (!audit || request.auditTrail.recorded) return payload;
      const trail = request.auditTrail;
      const params = request.params as { id?: string; study?: string } | undefined;
      const resourceId = trail.resourceId ?? params?.id ?? params?.study ?? null;
      const outcome = outcomeOf(reply.statusCode);
      const coalesce =
        audit.coalesceSeconds && outcome === 'success' && request.actor
          ? {
              key: `audit-seen:${request.actor.sessionId}:${audit.action}:${resourceId ?? ''}`,
              seconds: audit.coalesceSeconds,
            }
          : null;
      try {
        if (coalesce && (await app.redis.exists(coalesce.key)) === 1) return payload;
        await app.db.audit.record({
          actor: request.actor,
          action: audit.action,
          resourceType: audit.resourceType,
          resourceId,
          hospitalId: trail.hospitalId,
          outcome,
          origin: request.origin,
          details: trail.details,
        });
        trail.recorded = true;
      } catch (error) {
        request.log.error({ err: error }, 'audit event could not be written; withholding the response');
        trail.recorded = true;
        reply.code(500).type('application/problem+json; charset=utf-8');
        return JSON.stringify({
          type: 'https://telemed.invalid/problems/internal',
          title: 'internal',
          status: 500,
          code: 'internal',
          detail: `the access could not be recorded, so it was refused; quote reference ${request.id} to support`,
        });
      }
      // Only a recorded read silences the next ones: marked after the insert, so a failed insert leaves the next
      // read to be recorded. Two reads at once may both be recorded, which errs on the side of the trail.
      if (coalesce) {
        await app.redis.set(coalesce.key, '1', 'EX', coalesce.seconds).catch((error: unknown) => {
          request.log.warn({ err: error }, 'read recorded; its de-duplication mark could not be set');
        });
      }
      return payload;
    });
  },
  { name: 'audit', dependencies: ['database', 'redis'] },
);
