import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

interface Run {
  code: number | null;
  stderr: string;
  /** the `msg` of each JSON log line */
  messages: string[];
  records: Record<string, unknown>[];
}

/** Runs the fixture service; `signalOn` sends SIGTERM once that message is logged. */
function runFixture(env: Record<string, string>, signalOn?: string): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', join('src', 'test', 'fixture-service.ts')], {
    cwd: packageDir,
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const records: Record<string, unknown>[] = [];
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  createInterface({ input: child.stdout }).on('line', (line) => {
    const record = JSON.parse(line) as Record<string, unknown>;
    records.push(record);
    if (record.msg === signalOn) child.kill('SIGTERM');
  });
  return new Promise((resolve) => {
    child.once('close', (code) => {
      resolve({ code, stderr, records, messages: records.map((r) => String(r.msg)) });
    });
  });
}

describe('runService', { timeout: 20_000 }, () => {
  it('stops with every configuration problem named, before starting anything', async () => {
    const run = await runFixture({ FIXTURE_PORT: 'http' });
    expect(run.code).toBe(1);
    expect(run.stderr).toBe(
      [
        'fixture: invalid configuration:',
        '  - FIXTURE_MODE: is required (how the fixture behaves)',
        '  - FIXTURE_PORT: must be a whole number (a port to report)',
        '',
      ].join('\n'),
    );
    expect(run.messages).toEqual([]);
  });

  it('says it listens, and on SIGTERM closes the service and exits 0', async () => {
    const run = await runFixture({ FIXTURE_MODE: 'ok' }, 'fixture listening');
    expect(run.code).toBe(0);
    // the two lines of the shutdown may reach the pipe in either order on a loaded machine; both must be there
    expect(run.messages[0]).toBe('fixture listening');
    expect(run.messages.slice(1).sort()).toEqual(['fixture closed', 'shutting down']);
    expect(run.records[0]).toMatchObject({ name: 'fixture', port: 4000 });
    expect(run.records.find((r) => r.msg === 'shutting down')).toMatchObject({ signal: 'SIGTERM' });
  });

  it('exits 1 when closing takes longer than the delay', async () => {
    const run = await runFixture({ FIXTURE_MODE: 'slow-close' }, 'fixture listening');
    expect(run.code).toBe(1);
    expect(run.messages).toEqual([
      'fixture listening',
      'shutting down',
      'shutdown took too long; exiting with work unfinished',
    ]);
  });

  it('logs an uncaught error, closes the service and exits 1', async () => {
    const run = await runFixture({ FIXTURE_MODE: 'crash' });
    expect(run.code).toBe(1);
    // as on a signal, the shutdown's two lines may reach the pipe in either order
    expect(run.messages[0]).toBe('fixture listening');
    expect(run.messages.slice(1).sort()).toEqual(['fixture closed', 'shutting down after an error']);
    expect(run.records.find((r) => r.msg === 'shutting down after an error')).toMatchObject({
      err: { message: 'something broke' },
    });
  });

  it('logs why it could not start and exits 1', async () => {
    const run = await runFixture({ FIXTURE_MODE: 'fail-start' });
    expect(run.code).toBe(1);
    expect(run.messages).toEqual(['fixture could not start']);
    expect(run.records[0]).toMatchObject({ level: 60, err: { message: 'the port is taken' } });
  });
});
