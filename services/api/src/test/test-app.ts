import Fastify, { type FastifyInstance, type InjectOptions, type LightMyRequestResponse } from 'fastify';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { encodeMultipartRelated } from '@telemed/dicom';
import {
  createDatabase,
  createPool,
  createTestDatabase,
  TEST_ADMIN_URL,
  type Database,
  type TestDatabase,
} from '@telemed/db';
import app, { serverOptions } from '../app.js';
import { loadConfig, type Config } from '../config.js';
import { seedDemo } from '../seed/demo-seed.js';

export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
export const DEMO_PASSWORD = 'demo-test-password';

/** A registered route as Fastify reported it. */
export interface RouteInfo {
  method: string;
  url: string;
}

/** The api on its own fresh database (demo-seeded) and Redis key prefix, with helpers to drive it. */
export interface TestApp {
  app: FastifyInstance;
  db: Database;
  config: Config;
  routes: RouteInfo[];
  /** The blob store's folder. */
  archiveDir: string;
  /** Signs in a demo user and returns the access token. */
  login(username: string): Promise<string>;
  /** Signs in and returns the whole token response. */
  loginFull(username: string, password?: string): Promise<LightMyRequestResponse>;
  /** An injected request as `token`'s user. */
  as(token: string, options: InjectOptions): Promise<LightMyRequestResponse>;
  /** The id of a demo user. */
  userId(username: string): Promise<string>;
  /** Sends Part 10 files in one STOW-RS request (`url` may carry a query) as `token`'s user. */
  stow(token: string, files: Uint8Array[], url?: string): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

/** Starts the api against a new database with the demo seed; `env` overrides configuration. */
export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase(TEST_ADMIN_URL);
  const prefix = `telemed-test:${randomBytes(4).toString('hex')}:`;
  const archiveDir = await mkdtemp(join(tmpdir(), 'telemed-archive-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: TEST_REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    LOG_LEVEL: 'silent',
    LOGIN_RATE_LIMIT_PER_MINUTE: '10000',
    ARCHIVE_DIR: archiveDir,
    ...env,
  });
  // The tests' own view of the database, apart from the app's pool, as a second replica would have.
  const db = createDatabase(createPool({ connectionString: database.url, max: 4 }));
  await seedDemo(db, DEMO_PASSWORD);

  const routes: RouteInfo[] = [];
  const fastify = Fastify(serverOptions(config));
  fastify.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });
  await fastify.register(app, { config });
  await fastify.ready();

  const loginFull = (username: string, password = DEMO_PASSWORD): Promise<LightMyRequestResponse> =>
    fastify.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });

  return {
    app: fastify,
    db,
    config,
    routes,
    archiveDir,
    loginFull,
    async login(username) {
      const res = await loginFull(username);
      if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
      return res.json<{ accessToken: string }>().accessToken;
    },
    as(token, options) {
      return fastify.inject({
        ...options,
        headers: { ...options.headers, authorization: `Bearer ${token}` },
      });
    },
    stow(token, files, url = '/dicomweb/studies') {
      const boundary = `test-${randomBytes(8).toString('hex')}`;
      const parts = files.map((body) => ({ contentType: 'application/dicom', body }));
      return fastify.inject({
        method: 'POST',
        url,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/related; type="application/dicom"; boundary=${boundary}`,
        },
        payload: Buffer.from(encodeMultipartRelated(parts, boundary)),
      });
    },
    async userId(username) {
      const users = await db.users.list();
      const user = users.find((u) => u.username === username);
      if (!user) throw new Error(`no demo user ${username}`);
      return user.id;
    },
    async close() {
      await fastify.close();
      await db.pool.end();
      const redis = new Redis(TEST_REDIS_URL);
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 500);
        if (keys.length) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
      await redis.quit();
      await database.drop();
      await rm(archiveDir, { recursive: true, force: true });
    },
  };
}
