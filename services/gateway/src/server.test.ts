import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInstanceIdentity } from '@telemed/dicom/node';
import { dcmtkSkipReason, pydicomSamples, run } from './test/dcmtk.js';
import { startGatewayProcess, type GatewayProcess } from './test/gateway-process.js';
import { StowPeer } from './test/stow-peer.js';
import { waitFor } from './test/wait-for.js';

const skip = dcmtkSkipReason();
if (skip) process.stdout.write(`gateway process tests skipped: ${skip}\n`);

// Each test starts gateway processes from source, which takes seconds on a busy two-core machine.
describe.skipIf(skip)('the gateway process killed at any point', { timeout: 90_000 }, () => {
  let dir: string;
  let peer: StowPeer;
  const running: GatewayProcess[] = [];
  const samples = pydicomSamples();

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gateway-process-'));
    peer = await StowPeer.start();
  });
  afterEach(async () => {
    for (const gateway of running.splice(0)) {
      gateway.child.kill('SIGKILL');
      await gateway.exited;
    }
    await peer.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function start(): Promise<GatewayProcess> {
    const gateway = await startGatewayProcess({
      GATEWAY_DIMSE_PORT: '0',
      GATEWAY_SPOOL_DIR: join(dir, 'spool'),
      GATEWAY_SPOOL_MIN_FREE_MB: '0',
      GATEWAY_API_URL: peer.url,
      GATEWAY_API_USERNAME: 'county-gateway',
      GATEWAY_API_PASSWORD: 'secret',
      GATEWAY_RETRY_MIN_MS: '50',
      GATEWAY_RETRY_MAX_MS: '200',
    });
    running.push(gateway);
    return gateway;
  }

  async function kill(gateway: GatewayProcess): Promise<void> {
    gateway.child.kill('SIGKILL');
    await gateway.exited;
    running.splice(running.indexOf(gateway), 1);
  }

  const incoming = (): Promise<string[]> => readdir(join(dir, 'spool', 'incoming'));

  it('killed while forwarding, a restarted gateway forwards everything it had acknowledged', async () => {
    if (!samples) throw new Error('samples vanished');
    // The api takes the request and never answers: the gateway is mid-forward when it is killed.
    peer.handler = () => 'hang';
    const first = await start();
    const store = await run('storescu', [
      '-aec',
      'TELEMED',
      '127.0.0.1',
      String(first.dimsePort),
      samples.ct,
      samples.mr,
    ]);
    expect(store.code, store.output).toBe(0);
    await waitFor(() => peer.stows.length >= 1, 'a forward in flight');
    const spooled = new Map<string, Buffer>();
    for (const name of await incoming())
      spooled.set(name, await readFile(join(dir, 'spool', 'incoming', name)));
    expect(spooled.size).toBe(2);

    await kill(first);
    expect((await incoming()).sort()).toEqual([...spooled.keys()].sort());

    peer.handler = () => undefined;
    const requestsBefore = peer.stows.length;
    await start();
    await waitFor(async () => (await incoming()).length === 0, 'the restarted gateway to drain the spool');
    const delivered = peer.stows.slice(requestsBefore).flatMap((stow) => stow.parts);
    for (const file of spooled.values()) expect(delivered.some((part) => part.equals(file))).toBe(true);
  });

  it('killed while receiving, it keeps every instance it acknowledged and forwards them after a restart', async () => {
    if (!samples) throw new Error('samples vanished');
    const ct = await readInstanceIdentity(samples.ct);
    peer.handler = () => 'hang';
    const first = await start();
    const copies = Array.from({ length: 120 }, () => samples.ct);
    const storescu = spawn('storescu', [
      '-v',
      '-aec',
      'TELEMED',
      '127.0.0.1',
      String(first.dimsePort),
      ...copies,
    ]);
    let output = '';
    storescu.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    storescu.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const storescuDone = new Promise<void>((resolve) =>
      storescu.once('exit', () => {
        resolve();
      }),
    );

    await waitFor(async () => (await incoming()).length >= 10, 'instances arriving', 20_000);
    await kill(first);
    await storescuDone;
    const acknowledged = output.match(/Received Store Response \(Success\)/g)?.length ?? 0;
    expect(acknowledged).toBeGreaterThan(0);
    // Every success the modality heard is on disk; at most one more (committed, its answer lost in the kill).
    const kept = (await incoming()).length;
    expect(kept).toBeGreaterThanOrEqual(acknowledged);
    expect(kept).toBeLessThanOrEqual(acknowledged + 1);

    peer.handler = () => undefined;
    const requestsBefore = peer.stows.length;
    await start();
    await waitFor(
      async () => (await incoming()).length === 0,
      'the restarted gateway to drain the spool',
      25_000,
    );
    expect(await readdir(join(dir, 'spool', 'tmp'))).toEqual([]);
    const delivered = peer.stows.slice(requestsBefore).flatMap((stow) => stow.parts);
    expect(delivered).toHaveLength(kept);
    for (const part of delivered) expect(part.includes(Buffer.from(ct.sopInstanceUid))).toBe(true);
  });

  it('stops cleanly on SIGTERM, releasing the spool', async () => {
    const gateway = await start();
    gateway.child.kill('SIGTERM');
    expect(await gateway.exited).toBe(0);
    running.splice(running.indexOf(gateway), 1);
    expect(await readdir(join(dir, 'spool'))).not.toContain('gateway.lock');
  });
});
