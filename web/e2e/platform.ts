/**
 * The platform as `pnpm start` runs it, for the browser tests: the launcher itself (api, router, DIMSE gateway as
 * their own processes, the built app served by the api) on a fresh database of the test Postgres and its own Redis
 * key prefix, on free ports. Nothing is started in-process: what the tests drive is what a hospital runs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case } from '@telemed/contracts';
import { createTestDatabase, TEST_ADMIN_URL, type TestDatabase } from '@telemed/db';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The demo password the platform is seeded with in these tests. */
export const E2E_PASSWORD = `e2e-${randomBytes(6).toString('hex')}`;

/** A running platform and what a test needs to reach it. */
export interface Platform {
  /** `http://127.0.0.1:{port}`: the app and the api, as users reach them */
  base: string;
  /** the gateway's DICOM port (AE title TELEMED) */
  dimsePort: number;
  /** the platform's database */
  databaseUrl: string;
  /** the demo users' password */
  password: string;
  /** Signs a demo user in over HTTP and returns the access token. */
  login(username: string): Promise<string>;
  /** Calls the api as `token`'s user, JSON in and out; throws with the api's answer when it refuses. */
  api<T>(token: string, method: string, path: string, body?: unknown): Promise<T>;
  /** The case once `ready` holds, asked every 200 ms for up to 15 s (the router works on its own time). */
  waitForCase(token: string, id: string, ready: (c: Case) => boolean): Promise<Case>;
  /** What the processes printed, for a failing test to show. */
  output(): string;
  /** The launcher's process id: every service of this platform runs under it. */
  pid: number;
  stop(): Promise<void>;
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address !== 'string') resolve(address.port);
        else reject(new Error('no free port'));
      });
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => {
      resolve();
    });
  });
}

/** Starts the launcher of `pnpm start` and resolves once the api answers `/readyz`; `env` adds settings. */
export async function startPlatform(env: Record<string, string> = {}): Promise<Platform> {
  const database: TestDatabase = await createTestDatabase(TEST_ADMIN_URL, 'telemed_e2e');
  const dataDir = await mkdtemp(join(tmpdir(), 'telemed-e2e-'));
  const [port, dimsePort, videoPort] = [await freePort(), await freePort(), await freePort()];
  const base = `http://127.0.0.1:${port}`;
  let log = '';
  const launcher = spawn(process.execPath, ['--import', 'tsx', join(root, 'infra/local-dev/start.ts')], {
    cwd: root,
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? dataDir,
      DATABASE_URL: database.url,
      REDIS_URL: process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379',
      REDIS_KEY_PREFIX: `telemed-e2e:${randomBytes(4).toString('hex')}:`,
      JWT_SECRET: randomBytes(32).toString('hex'),
      DEMO_PASSWORD: E2E_PASSWORD,
      PORT: String(port),
      GATEWAY_DIMSE_PORT: String(dimsePort),
      VIDEO_PORT: String(videoPort),
      // one media worker is plenty for a test's consult, and spares the machine's cores
      VIDEO_WORKERS: '1',
      ARCHIVE_DIR: join(dataDir, 'archive'),
      GATEWAY_SPOOL_DIR: join(dataDir, 'gateway-spool'),
      LOG_LEVEL: 'warn',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (chunk: Buffer): void => {
    log = (log + chunk.toString('utf8')).slice(-20_000);
  };
  launcher.stdout.on('data', keep);
  launcher.stderr.on('data', keep);

  const stop = async (): Promise<void> => {
    if (launcher.exitCode === null && launcher.signalCode === null) launcher.kill('SIGTERM');
    await exited(launcher);
    await database.drop().catch(() => undefined);
    await rm(dataDir, { recursive: true, force: true });
  };

  for (let waited = 0; ; waited += 200) {
    if (launcher.exitCode !== null) {
      await stop();
      throw new Error(`the platform exited with code ${launcher.exitCode}:\n${log}`);
    }
    const ready = await fetch(`${base}/readyz`).then(
      (res) => res.ok,
      () => false,
    );
    if (ready) break;
    if (waited > 120_000) {
      await stop();
      throw new Error(`the platform did not answer ${base}/readyz within 120 s:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }

  const api = async <T>(token: string, method: string, path: string, body?: unknown): Promise<T> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  const login = async (username: string): Promise<string> => {
    const res = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password: E2E_PASSWORD }),
    });
    if (!res.ok) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
    return ((await res.json()) as { accessToken: string }).accessToken;
  };
  const waitForCase = async (token: string, id: string, ready: (c: Case) => boolean): Promise<Case> => {
    for (let i = 0; ; i++) {
      const c = await api<Case>(token, 'GET', `/api/cases/${id}`);
      if (ready(c)) return c;
      if (i > 75) throw new Error(`case ${id} stayed ${c.state}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  return {
    base,
    dimsePort,
    databaseUrl: database.url,
    password: E2E_PASSWORD,
    login,
    api,
    waitForCase,
    output: () => log,
    pid: launcher.pid ?? 0,
    stop,
  };
}
