import type { Domain } from '@telemed/domain';
import type { FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Caller } from '@telemed/domain';
import { actorOf } from './auth.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** what the workflow's use cases run on: the database, and the queues the outbox is relayed to */
    domain: Domain;
  }
}

/** The signed-in user of a request and where it came from, as a use case's caller. */
export function callerOf(request: FastifyRequest): Caller {
  return { actor: actorOf(request), origin: request.origin };
}

/**
 * The domain layer's footing in the api. A use case's follow-up work is relayed to BullMQ right after it commits;
 * a failed relay never fails the request (the change is committed, and the router's sweep relays what is left).
 */
export default fp(
  async (app) => {
    app.decorate('domain', {
      db: app.db,
      jobs: {
        add: async (queue, payload, identity) => {
          await app.queues.byName[queue].add(queue, payload, identity);
        },
      },
      onRelayError: (error: unknown) => {
        app.log.warn({ err: error }, 'could not queue the follow-up; the router sweep will');
      },
    });
  },
  { name: 'domain', dependencies: ['database', 'queues'] },
);
