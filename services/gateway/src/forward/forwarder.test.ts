import { readdir, readFile } from 'node:fs/promises';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool } from '../spool/spool.js';
import type { SpooledInstance } from '../spool/spooled-instance.js';
import { captureLog } from '../test/capture-log.js';
import { StowPeer, stowAnswer } from '../test/stow-peer.js';
import { syntheticDataSet } from '../test/synthetic-dicom.js';
import { testLog } from '../test/test-log.js';
import { waitFor } from '../test/wait-for.js';
import { ApiSession } from './api-session.js';
import { outboundTransform } from './deidentify.js';
import { Forwarder, type ForwarderOptions } from './forwarder.js';
import { StowClient } from './stow-client.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
let dir: string;
let spool: Spool;
let peer: StowPeer;
const forwarders: Forwarder[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gateway-forwarder-'));
  spool = await Spool.open({ dir, minFreeBytes: 0, keepSentMs: 0, log: testLog() });
  peer = await StowPeer.start();
});
afterEach(async () => {
  for (const forwarder of forwarders.splice(0)) await forwarder.close(0);
  await peer.close();
  await spool.close();
  await rm(dir, { recursive: true, force: true });
});

async function spoolInstance(study: string, sop: string, pixelBytes = 64): Promise<SpooledInstance> {
  const incoming = spool.receive({
    sopClassUid: CT,
    sopInstanceUid: sop,
    transferSyntaxUid: '1.2.840.10008.1.2.1',
    sourceApplicationEntityTitle: 'CT01',
  });
  incoming.stream.end(syntheticDataSet({ sopInstanceUid: sop, studyInstanceUid: study, pixelBytes }));
  return incoming.commit();
}

function start(options: Partial<ForwarderOptions> = {}, apiUrl = peer.url): Forwarder {
  const forwarder = Forwarder.start({
    spool,
    stow: new StowClient(apiUrl),
    session: new ApiSession({ apiUrl, username: 'county-gateway', password: 'secret', timeoutMs: 2000 }),
    transform: outboundTransform('none'),
    batchMaxBytes: 64 * 1024 * 1024,
    retryMinMs: 20,
    retryMaxMs: 200,
    log: testLog(),
    pollIntervalMs: 50,
    ...options,
  });
  forwarders.push(forwarder);
  return forwarder;
}

const spoolEmpty = async (): Promise<boolean> => (await readdir(spool.incomingDir)).length === 0;

describe('forwarding to the api', () => {
  it('sends each study as its own multipart/related request whose parts are the spool files, byte for byte', async () => {
    const a1 = await spoolInstance('1.1', '1.1.1');
    const b1 = await spoolInstance('2.2', '2.2.1');
    const a2 = await spoolInstance('1.1', '1.1.2');
    const files = new Map<string, Buffer>();
    for (const instance of [a1, b1, a2]) files.set(instance.sopInstanceUid, await readFile(instance.path));

    start();
    await waitFor(spoolEmpty, 'the spool to drain');

    expect(peer.logins).toEqual([{ username: 'county-gateway', password: 'secret' }]);
    expect(peer.stows).toHaveLength(2);
    const [first, second] = peer.stows;
    expect(first?.authorization).toBe('Bearer access-1');
    expect(first?.contentType).toMatch(/^multipart\/related; type="application\/dicom"; boundary=/);
    expect(first?.parts.map((part) => part.equals(files.get('1.1.1') ?? Buffer.alloc(0)))).toEqual([
      true,
      false,
    ]);
    expect(first?.parts[1]?.equals(files.get('1.1.2') ?? Buffer.alloc(0))).toBe(true);
    expect(second?.parts).toHaveLength(1);
    expect(second?.parts[0]?.equals(files.get('2.2.1') ?? Buffer.alloc(0))).toBe(true);
  });

  it('splits a study into batches of at most GATEWAY_BATCH_MAX_BYTES', async () => {
    for (let i = 1; i <= 5; i++) await spoolInstance('1.1', `1.1.${i}`, 10_000);
    start({ batchMaxBytes: 25_000 });
    await waitFor(spoolEmpty, 'the spool to drain');
    expect(peer.stows.map((stow) => stow.parts.length)).toEqual([2, 2, 1]);
  });

  it('202: stores what was stored, rejects permanent failures with a reason, retries transient ones', async () => {
    await spoolInstance('1.1', '1.1.1');
    await spoolInstance('1.1', '1.1.2');
    await spoolInstance('1.1', '1.1.3');
    peer.handler = (_request, attempt) =>
      attempt === 1
        ? {
            status: 202,
            body: stowAnswer(
              ['1.1.1'],
              [
                { uid: '1.1.2', reason: 0xa700 },
                { uid: '1.1.3', reason: 0xc000 },
              ],
            ),
          }
        : undefined;
    start();
    await waitFor(spoolEmpty, 'the spool to drain');
    expect(peer.stows).toHaveLength(2);
    expect(peer.stows[1]?.parts).toHaveLength(1);
    const rejected = (await readdir(spool.rejectedDir)).sort();
    expect(rejected).toHaveLength(2);
    expect(rejected[0]).toMatch(/^1\.1_1\.1\.3_.*\.dcm$/);
    const reason = JSON.parse(await readFile(join(spool.rejectedDir, rejected[1] ?? ''), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(reason).toMatchObject({ sopInstanceUid: '1.1.3', failureReason: '0xC000', httpStatus: 202 });
  });

  it('409: an all-failed batch with permanent reasons goes to rejected/', async () => {
    await spoolInstance('1.1', '1.1.1');
    await spoolInstance('1.1', '1.1.2');
    peer.handler = () => ({
      status: 409,
      body: stowAnswer(
        [],
        [
          { uid: '1.1.1', reason: 0xa900 },
          { uid: '1.1.2', reason: 0xc000 },
        ],
      ),
    });
    start();
    await waitFor(spoolEmpty, 'the spool to drain');
    expect(peer.stows).toHaveLength(1);
    expect(await readdir(spool.rejectedDir)).toHaveLength(4);
  });

  it('5xx: retries the whole batch with backoff, logging each failure once, until the api recovers', async () => {
    await spoolInstance('1.1', '1.1.1');
    peer.handler = (_request, attempt) =>
      attempt <= 3 ? { status: 503, body: { title: 'busy' } } : undefined;
    const { log, records } = captureLog();
    const started = Date.now();
    start({ log, retryMinMs: 40, retryMaxMs: 1000, random: () => 0 });
    await waitFor(spoolEmpty, 'the spool to drain');
    expect(peer.stows).toHaveLength(4);
    // Delays of 20, 40 and 80 ms: the lower half of a ceiling doubling from 40 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    const failures = records.filter((r) => r.msg.startsWith('forwarding failed'));
    expect(failures).toHaveLength(3);
    expect(failures[0]?.msg).toContain('HTTP 503');
    // The spool empties just before the forwarder notes its recovery.
    await waitFor(() => records.some((r) => r.msg === 'forwarding resumed'), 'the recovery to be logged');
  });

  it('a link outage loses nothing: retries until the api is reachable again', async () => {
    await spoolInstance('1.1', '1.1.1');
    await spoolInstance('1.1', '1.1.2');
    const port = peer.port;
    await peer.close();
    const { log, records } = captureLog();
    start({ log }, `http://127.0.0.1:${port}`);
    await waitFor(
      () => records.filter((r) => r.msg.startsWith('forwarding failed')).length >= 3,
      'failed tries',
    );
    expect((await readdir(spool.incomingDir)).length).toBe(2);
    peer = await StowPeer.start(port);
    await waitFor(spoolEmpty, 'the spool to drain');
    expect(peer.allParts()).toHaveLength(2);
  });

  it('renews the access token when the api refuses it (401) and retries at once', async () => {
    await spoolInstance('1.1', '1.1.1');
    const forwarder = start();
    await waitFor(spoolEmpty, 'the first instance');
    // The api forgets every token (a restart with a new key): the next request gets 401 and the gateway renews.
    peer.validTokens.clear();
    await spoolInstance('2.2', '2.2.1');
    forwarder.wake();
    await waitFor(spoolEmpty, 'the second instance');
    expect(peer.unauthorized).toBe(1);
    expect(peer.refreshes).toEqual(['refresh-1']);
    expect(peer.stows.map((stow) => stow.authorization)).toEqual(['Bearer access-1', 'Bearer access-2']);
  });

  it('refreshes a token about to expire instead of signing in again', async () => {
    peer.expiresIn = 10;
    const forwarder = start();
    await spoolInstance('1.1', '1.1.1');
    forwarder.wake();
    await waitFor(spoolEmpty, 'the first instance');
    await spoolInstance('2.2', '2.2.1');
    forwarder.wake();
    await waitFor(spoolEmpty, 'the second instance');
    expect(peer.logins).toHaveLength(1);
    expect(peer.refreshes).toEqual(['refresh-1']);
    expect(peer.unauthorized).toBe(0);
  });

  it('keeps trying when signing in fails', async () => {
    await spoolInstance('1.1', '1.1.1');
    peer.loginStatus = 401;
    start();
    await waitFor(() => peer.logins.length >= 3, 'repeated sign-in attempts');
    expect(peer.stows).toHaveLength(0);
    peer.loginStatus = 200;
    await waitFor(spoolEmpty, 'the spool to drain');
  });

  it('413: halves the batch size and carries on', async () => {
    for (let i = 1; i <= 4; i++) await spoolInstance('1.1', `1.1.${i}`, 1000);
    peer.handler = (request) =>
      request.parts.length > 1 ? { status: 413, body: { title: 'too large' } } : undefined;
    start();
    await waitFor(spoolEmpty, 'the spool to drain');
    expect(peer.stows.filter((stow) => stow.parts.length === 1)).toHaveLength(4);
  });

  it('a new forwarder sends what a stopped one left in the spool', async () => {
    const instance = await spoolInstance('1.1', '1.1.1');
    peer.handler = () => 'hang';
    const first = start();
    await waitFor(() => peer.stows.length === 1, 'the first request');
    await first.close(50);
    expect(await readdir(spool.incomingDir)).toEqual([instance.fileName]);

    peer.handler = () => undefined;
    start();
    await waitFor(spoolEmpty, 'the spool to drain');
    expect(peer.stows).toHaveLength(2);
  });
});
