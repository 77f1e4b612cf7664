import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';

const Check = Type.Object({
  status: Type.Union([Type.Literal('ok'), Type.Literal('failing')]),
  detail: Type.String(),
});
const Readiness = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not_ready')]),
  checks: Type.Object({ postgres: Check, redis: Check }),
});

async function probe(
  work: () => Promise<unknown>,
  timeoutMs: number,
): Promise<{ status: 'ok' | 'failing'; detail: string }> {
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      work(),
      new Promise((_, reject) => {
        timer = setTimeout(() => {
          reject(new Error(`no answer in ${timeoutMs} ms`));
        }, timeoutMs);
      }),
    ]);
    return { status: 'ok', detail: '' };
  } catch (error) {
    return { status: 'failing', detail: (error as Error).message };
  } finally {
    clearTimeout(timer);
  }
}

/** Liveness (the process answers) and readiness (Postgres and Redis answer). */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      config: { public: true },
      schema: {
        tags: ['health'],
        security: [],
        response: { 200: Type.Object({ status: Type.Literal('ok') }) },
      },
    },
    async () => ({ status: 'ok' as const }),
  );
  app.get(
    '/readyz',
    {
      config: { public: true },
      schema: { tags: ['health'], security: [], response: { 200: Readiness, 503: Readiness } },
    },
    async (_request, reply) => {
      const [postgres, redis] = await Promise.all([
        probe(() => app.db.pool.query('SELECT 1'), 2000),
        probe(() => app.redis.ping(), 2000),
      ]);
      const ready = postgres.status === 'ok' && redis.status === 'ok';
      return reply
        .code(ready ? 200 : 503)
        .send({ status: ready ? 'ready' : 'not_ready', checks: { postgres, redis } });
    },
  );
};
