/**
 * The baseline of `bench:case-list`: one Fastify route running the case list's repository query for one session's
 * actor, with nothing around it. It runs as its own process, as the api it is compared with does, so that neither
 * shares an event loop with the load generator.
 *
 * Environment (set by case-list.ts): BARE_PORT, BARE_DATABASE_URL, BARE_PG_POOL_MAX, BARE_SESSION_ID, BARE_USER_ID,
 * BARE_IDLE_MS, BARE_ABSOLUTE_MS, BARE_PAGE.
 */
import Fastify from 'fastify';
import { CasesRepository, SessionsRepository, createPool } from '@telemed/db';

function setting(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
}

const pool = createPool({
  connectionString: setting('BARE_DATABASE_URL'),
  max: Number(setting('BARE_PG_POOL_MAX')),
  applicationName: 'telemed-bench-bare',
});
const actor = await new SessionsRepository(pool).actorFor(
  setting('BARE_SESSION_ID'),
  setting('BARE_USER_ID'),
  {
    idleMs: Number(setting('BARE_IDLE_MS')),
    absoluteMs: Number(setting('BARE_ABSOLUTE_MS')),
  },
);
if (!actor) throw new Error('the session named by BARE_SESSION_ID was not found');
const cases = new CasesRepository(pool);
const limit = Number(setting('BARE_PAGE'));

const server = Fastify();
server.get('/cases', () => cases.list(actor, { limit }));
process.once('SIGTERM', () => {
  void server
    .close()
    .then(() => pool.end())
    .finally(() => process.exit(0));
});
await server.listen({ host: '127.0.0.1', port: Number(setting('BARE_PORT')) });
