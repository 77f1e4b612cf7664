import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts a built service with only `env` and answers what it printed on stderr and its exit code. */
function start(
  service: string,
  env: Record<string, string>,
): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'services', service, 'dist', 'server.js')], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => {
    child.once('close', (code) => {
      resolve({ code, stderr });
    });
  });
}

const badNodeEnv =
  "  - NODE_ENV: must be one of development, production, test ('production' refuses demo data and default secrets)";

describe('a missing and a bad variable', { timeout: 20_000 }, () => {
  it('stop the api, the router and the gateway with the same words', async () => {
    const env = { NODE_ENV: 'staging', LOG_LEVEL: 'loud', GATEWAY_LOG_LEVEL: 'loud' };
    const [api, router, gateway] = await Promise.all(
      ['api', 'router', 'gateway'].map((service) => start(service, env)),
    );
    const logLevel = (name: string): string =>
      `  - ${name}: must be one of fatal, error, warn, info, debug, trace, silent (pino log level)`;
    expect(api).toEqual({
      code: 1,
      stderr: [
        'api: invalid configuration:',
        badNodeEnv,
        '  - DATABASE_URL: is required (postgres://user@host:5432/db)',
        '  - REDIS_URL: is required (redis://host:6379)',
        '  - JWT_SECRET: is required (at least 32 random characters)',
        logLevel('LOG_LEVEL'),
        '',
      ].join('\n'),
    });
    expect(router).toEqual({
      code: 1,
      stderr: [
        'router: invalid configuration:',
        badNodeEnv,
        '  - DATABASE_URL: is required (postgres://user@host:5432/db)',
        '  - REDIS_URL: is required (redis://host:6379)',
        logLevel('LOG_LEVEL'),
        '',
      ].join('\n'),
    });
    expect(gateway).toEqual({
      code: 1,
      stderr: [
        'gateway: invalid configuration:',
        badNodeEnv,
        '  - GATEWAY_API_USERNAME: is required (the api account the gateway signs in as)',
        '  - GATEWAY_API_PASSWORD: is required (password of that account)',
        logLevel('GATEWAY_LOG_LEVEL'),
        '',
      ].join('\n'),
    });
  });
});
