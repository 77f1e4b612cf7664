import fp from 'fastify-plugin';
import { createDatabase, createPool, type Database } from '@telemed/db';

declare module 'fastify' {
  interface FastifyInstance {
    db: Database;
  }
}

export interface DatabaseOptions {
  url: string;
  poolMax: number;
}

/** The Postgres pool and its repositories, shared by every route; closed with the app. */
export default fp<DatabaseOptions>(
  async (app, options) => {
    const pool = createPool({
      connectionString: options.url,
      max: options.poolMax,
      applicationName: 'telemed-api',
      onError: (error) => {
        app.log.error({ err: error }, 'idle postgres connection failed');
      },
    });
    app.decorate('db', createDatabase(pool));
    app.addHook('onClose', async () => {
      await pool.end();
    });
  },
  { name: 'database' },
);
