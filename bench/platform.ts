/**
 * The platform as the benchmarks run it: the api and the router as their own processes, started from their built
 * entry points the way `pnpm start` starts them, configured by environment variables and driven over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../web/e2e/platform.js';
import { onCleanup } from './harness.js';

/** A port nobody listens on right now. */
export { freePort };

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The demo password every benchmark signs in with; the api seeds the demo with it. */
export const BENCH_PASSWORD = `bench-${randomBytes(8).toString('hex')}`;

/** Runs Node with `args` and only `env` (and PATH), stopped with SIGTERM at clean-up. */
export function startNode(name: string, args: string[], env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, args, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
  onCleanup(`stop the ${name}`, async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    await exited;
  });
  return child;
}

/** Waits until `url` answers 2xx, failing if `child` exits first or `timeoutMs` passes. */
export async function answering(url: string, child: ChildProcess, timeoutMs = 120_000): Promise<void> {
  for (let waited = 0; waited < timeoutMs; waited += 200) {
    if (child.exitCode !== null) throw new Error(`${url}: the process exited with code ${child.exitCode}`);
    const ok = await fetch(url).then(
      (res) => res.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000} s`);
}

function startService(name: 'api' | 'router', env: Record<string, string>): ChildProcess {
  return startNode(name, [join(root, 'services', name, 'dist', 'server.js')], { LOG_LEVEL: 'warn', ...env });
}

/** What the api and the router need: the database, Redis and its key prefix, and anything a benchmark adds. */
export interface ServiceSettings {
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  env?: Record<string, string>;
}

/**
 * Starts the api with the demo seeded into its empty database (SEED_DEMO=if-empty, BENCH_PASSWORD) and resolves with
 * its base URL once it answers.
 */
export async function startApi(settings: ServiceSettings): Promise<string> {
  const port = await freePort();
  const child = startService('api', {
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.redisKeyPrefix,
    JWT_SECRET: randomBytes(32).toString('hex'),
    SEED_DEMO: 'if-empty',
    DEMO_PASSWORD: BENCH_PASSWORD,
    LOGIN_RATE_LIMIT_PER_MINUTE: '100000',
    HOST: '127.0.0.1',
    PORT: String(port),
    ...settings.env,
  });
  const base = `http://127.0.0.1:${port}`;
  // Migrating and seeding a new database takes seconds on a busy machine.
  await answering(`${base}/readyz`, child);
  return base;
}

/** Starts the router on the given database and Redis prefix; `env` sets its concurrency, sweep and the like. */
export function startRouter(settings: ServiceSettings): ChildProcess {
  return startService('router', {
    DATABASE_URL: settings.databaseUrl,
    REDIS_URL: settings.redisUrl,
    REDIS_KEY_PREFIX: settings.redisKeyPrefix,
    ...settings.env,
  });
}

/** One signed-in user of the api. */
export class ApiUser {
  private constructor(
    readonly base: string,
    readonly username: string,
    private token: string,
  ) {}

  /** Signs `username` in with BENCH_PASSWORD. */
  static async signIn(base: string, username: string): Promise<ApiUser> {
    return new ApiUser(base, username, await accessToken(base, username));
  }

  /** A fresh access token, so a long run cannot outlive the one it started with. */
  async refresh(): Promise<string> {
    this.token = await accessToken(this.base, this.username);
    return this.token;
  }

  /** The Authorization header of this user. */
  headers(): Record<string, string> {
    return { authorization: `Bearer ${this.token}` };
  }

  /** A JSON request; signs in again once when the access token has expired; throws unless the answer is 2xx. */
  async call<T>(method: string, path: string, body?: unknown, retried = false): Promise<T> {
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...this.headers(),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    if (res.status === 401 && !retried) {
      await this.refresh();
      return this.call(method, path, body, true);
    }
    const text = await res.text();
    if (!res.ok)
      throw new Error(`${method} ${path} as ${this.username}: ${res.status} ${text.slice(0, 500)}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

async function accessToken(base: string, username: string): Promise<string> {
  const res = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: BENCH_PASSWORD }),
  });
  const body = (await res.json()) as { accessToken?: unknown };
  if (!res.ok || typeof body.accessToken !== 'string') {
    throw new Error(`${username} cannot sign in: ${res.status} ${JSON.stringify(body)}`);
  }
  return body.accessToken;
}
