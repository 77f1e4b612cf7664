import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeText, generateSeries, parsePart10, replacementUid, seriesUids, Tag } from '@telemed/dicom';
import type { SeriesOptions } from '@telemed/dicom';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Spool } from '../spool/spool.js';
import type { SpooledInstance } from '../spool/spooled-instance.js';
import { StowPeer, stowAnswer } from '../test/stow-peer.js';
import { testLog } from '../test/test-log.js';
import { waitFor } from '../test/wait-for.js';
import { ApiSession } from './api-session.js';
import { outboundTransform, type DeidentifySettings, type OutboundTransform } from './deidentify.js';
import { Forwarder } from './forwarder.js';
import { StowClient } from './stow-client.js';

const KEY = 'county-site-secret-0001';
const series: SeriesOptions = {
  modality: 'CT',
  slices: 2,
  rows: 32,
  columns: 32,
  charset: 'GB18030',
  patientName: '张三',
  patientId: 'TM-20240611-7',
  institutionName: '县人民医院',
};
const original = seriesUids(series);

let dir: string;
let workDir: string;
let spool: Spool;
let peer: StowPeer;
let forwarder: Forwarder | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gateway-deidentify-'));
  workDir = join(dir, 'outbound');
  spool = await Spool.open({ dir, minFreeBytes: 0, keepSentMs: 0, log: testLog() });
  peer = await StowPeer.start();
});
afterEach(async () => {
  await forwarder?.close(0);
  forwarder = undefined;
  await peer.close();
  await spool.close();
  await rm(dir, { recursive: true, force: true });
});

/** Spools the generated slices as the DIMSE receiver would: the data set after a File Meta group. */
async function spoolSeries(): Promise<SpooledInstance[]> {
  const spooled: SpooledInstance[] = [];
  for (const [i, file] of [...generateSeries(series)].entries()) {
    const metaEnd = 144 + new DataView(file.buffer, file.byteOffset).getUint32(140, true);
    const incoming = spool.receive({
      sopClassUid: '1.2.840.10008.5.1.4.1.1.2',
      sopInstanceUid: original.sopInstanceUids[i] ?? '',
      transferSyntaxUid: '1.2.840.10008.1.2.1',
      sourceApplicationEntityTitle: 'CT01',
    });
    incoming.stream.end(Buffer.from(file.subarray(metaEnd)));
    spooled.push(await incoming.commit());
  }
  return spooled;
}

function start(transform: OutboundTransform): void {
  forwarder = Forwarder.start({
    spool,
    stow: new StowClient(peer.url),
    session: new ApiSession({
      apiUrl: peer.url,
      username: 'county-gateway',
      password: 'secret',
      timeoutMs: 2000,
    }),
    transform,
    batchMaxBytes: 64 * 1024 * 1024,
    retryMinMs: 20,
    retryMaxMs: 200,
    log: testLog(),
    pollIntervalMs: 50,
  });
}

const drained = async (path: string): Promise<boolean> => (await readdir(path)).length === 0;

describe('de-identification before forwarding', () => {
  it("basic: what leaves the gateway has no patient name, ID or hospital, and the api's answer is matched by the new UIDs", async () => {
    const settings: DeidentifySettings = { key: KEY, retainUids: false, workDir };
    const expected = original.sopInstanceUids.map((uid) => replacementUid(uid, settings));
    // The api lists only what it stored, by the UIDs it received: the spool drains only if they are understood.
    peer.handler = () => ({ status: 202, body: stowAnswer(expected) });
    const spooled = await spoolSeries();
    start(outboundTransform('basic', settings));
    await waitFor(() => drained(spool.incomingDir), 'the spool to drain');
    await waitFor(() => drained(workDir), 'the de-identified copies to be removed');

    const parts = peer.allParts();
    expect(parts).toHaveLength(2);
    for (const part of parts) {
      for (const secret of [encodeText('张三', 'GB18030'), encodeText('县人民医院', 'GB18030')])
        expect(part.includes(Buffer.from(secret))).toBe(false);
      expect(part.includes('TM-20240611-7')).toBe(false);
      const parsed = parsePart10(part);
      expect(parsed.json[Tag.PatientName]?.Value).toEqual([{ Alphabetic: 'ANONYMOUS' }]);
      expect(parsed.json['00120062']?.Value).toEqual(['YES']);
      expect(parsed.studyInstanceUid).toBe(replacementUid(original.studyInstanceUid, settings));
    }
    expect(parts.map((part) => parsePart10(part).sopInstanceUid).sort()).toEqual([...expected].sort());
    // The spool file itself was the original, untouched, until the api had it.
    expect(spooled.every((instance) => instance.path.startsWith(spool.incomingDir))).toBe(true);
  });

  it('basic with GATEWAY_DEIDENTIFY_RETAIN_UIDS keeps the UIDs but still removes the patient', async () => {
    await spoolSeries();
    const transform = outboundTransform('basic', { key: KEY, retainUids: true, workDir });
    const [first] = await spool.pending();
    const outbound = await transform({ ...first!, size: 0 });
    const sent = parsePart10(await readFile(outbound.path));
    expect(outbound.sopInstanceUid).toBe(first!.sopInstanceUid);
    expect(sent.sopInstanceUid).toBe(first!.sopInstanceUid);
    expect(sent.studyInstanceUid).toBe(original.studyInstanceUid);
    expect(sent.json[Tag.PatientName]?.Value).toEqual([{ Alphabetic: 'ANONYMOUS' }]);
    expect(outbound.size).toBe((await readFile(outbound.path)).length);
    await outbound.release();
    expect(await drained(workDir)).toBe(true);
    expect(await readFile(first!.path)).not.toHaveLength(0);
  });

  it('none: the spool file itself is sent', async () => {
    const [instance] = await spoolSeries();
    const outbound = await outboundTransform('none')(instance!);
    expect(outbound).toMatchObject({ path: instance!.path, sopInstanceUid: instance!.sopInstanceUid });
  });

  it('basic refuses to start without its key rather than send anything identifiable', () => {
    expect(() => outboundTransform('basic')).toThrow(/GATEWAY_DEIDENTIFY_KEY/);
  });

  it('fails, naming the file, for an instance it cannot de-identify, rather than send it as it is', async () => {
    const [file] = generateSeries({ ...series, slices: 1 });
    const path = join(dir, 'cut-short.dcm');
    await writeFile(path, file!.subarray(0, file!.length - 100));
    const instance: SpooledInstance = {
      path,
      fileName: 'cut-short.dcm',
      studyInstanceUid: original.studyInstanceUid,
      sopInstanceUid: original.sopInstanceUids[0]!,
      receipt: '0',
      size: file!.length - 100,
    };
    const transform = outboundTransform('basic', { key: KEY, retainUids: false, workDir });
    await expect(transform(instance)).rejects.toThrow(/cut-short\.dcm cannot be de-identified: .*cut short/);
    expect(await readdir(workDir).catch(() => [])).toEqual([]);
  });

  it('sets an instance it cannot de-identify aside in rejected/ and forwards the rest of the study', async () => {
    const settings: DeidentifySettings = { key: KEY, retainUids: false, workDir };
    const spooled = await spoolSeries();
    const broken = spooled[0];
    if (!broken) throw new Error('no instance spooled');
    // damage one spooled file after it was acknowledged, as a failing disk might
    const bytes = await readFile(broken.path);
    await writeFile(broken.path, bytes.subarray(0, bytes.length - 100));
    const expected = original.sopInstanceUids.slice(1).map((uid) => replacementUid(uid, settings));
    peer.handler = () => ({ status: 200, body: stowAnswer(expected) });
    start(outboundTransform('basic', settings));
    await waitFor(() => drained(spool.incomingDir), 'the spool to drain');
    expect(peer.allParts()).toHaveLength(spooled.length - 1);
    const rejected = await readdir(spool.rejectedDir);
    expect(rejected).toContain(broken.fileName);
    const reason = JSON.parse(
      await readFile(join(spool.rejectedDir, `${broken.fileName}.reason.json`), 'utf8'),
    ) as {
      message: string;
    };
    expect(reason.message).toMatch(/cannot be de-identified/);
  });
});
