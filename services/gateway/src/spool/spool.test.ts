import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readInstanceIdentity } from '@telemed/dicom/node';
import { syntheticDataSet } from '../test/synthetic-dicom.js';
import { testLog } from '../test/test-log.js';
import { StoreFailure } from './incoming-instance.js';
import { Spool, type SpoolOptions } from './spool.js';
import { SpoolLockedError } from './spool-lock.js';

const CT = '1.2.840.10008.5.1.4.1.1.2';
const EXPLICIT = '1.2.840.10008.1.2.1';
let dir: string;
const spools: Spool[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gateway-spool-'));
});
afterEach(async () => {
  for (const spool of spools.splice(0)) await spool.close();
  await rm(dir, { recursive: true, force: true });
});

async function open(options: Partial<SpoolOptions> = {}): Promise<Spool> {
  const spool = await Spool.open({ dir, minFreeBytes: 0, keepSentMs: 0, log: testLog(), ...options });
  spools.push(spool);
  return spool;
}

async function receive(
  spool: Spool,
  sop: string,
  study: string | undefined,
  options: { commandSop?: string } = {},
) {
  const incoming = spool.receive({
    sopClassUid: CT,
    sopInstanceUid: options.commandSop ?? sop,
    transferSyntaxUid: EXPLICIT,
    sourceApplicationEntityTitle: 'CT01',
  });
  const dataSet = syntheticDataSet({ sopInstanceUid: sop, ...(study ? { studyInstanceUid: study } : {}) });
  // Arrives in PDU-sized pieces, as over the network.
  for (let offset = 0; offset < dataSet.length; offset += 50)
    incoming.stream.write(dataSet.subarray(offset, offset + 50));
  return { incoming, dataSet };
}

describe('the spool', () => {
  it('lands a received instance in incoming/ as a Part 10 file whose data set is the received bytes', async () => {
    const spool = await open();
    const { incoming, dataSet } = await receive(spool, '1.2.3.100', '1.2.3');
    const stored = await incoming.commit();
    expect(stored.fileName).toMatch(/^1\.2\.3_1\.2\.3\.100_\d{13}-\d{6}-[0-9a-f]{8}\.dcm$/);
    const file = await readFile(stored.path);
    expect(file.subarray(file.length - dataSet.length).equals(dataSet)).toBe(true);
    expect(stored.size).toBe(file.length);
    expect(await readInstanceIdentity(stored.path)).toMatchObject({
      transferSyntaxUid: EXPLICIT,
      sopInstanceUid: '1.2.3.100',
      studyInstanceUid: '1.2.3',
    });
    expect(await readdir(spool.temporaryDir)).toEqual([]);
    const pending = await spool.pending();
    expect(pending.map((i) => i.sopInstanceUid)).toEqual(['1.2.3.100']);
    expect((await spool.measure(pending)).map((i) => i.size)).toEqual([file.length]);
  });

  it('refuses unreadable data and data naming another instance, leaving nothing behind', async () => {
    const spool = await open();
    const garbage = spool.receive({
      sopClassUid: CT,
      sopInstanceUid: '1.1',
      transferSyntaxUid: EXPLICIT,
      sourceApplicationEntityTitle: 'X',
    });
    garbage.stream.write(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9]));
    await expect(garbage.commit()).rejects.toMatchObject({ reason: 'unreadable' });

    const { incoming } = await receive(spool, '1.2.3.100', '1.2.3', { commandSop: '1.2.3.999' });
    await expect(incoming.commit()).rejects.toBeInstanceOf(StoreFailure);

    const { incoming: noStudy } = await receive(spool, '1.2.3.101', undefined);
    await expect(noStudy.commit()).rejects.toMatchObject({ reason: 'unreadable' });

    expect(await readdir(spool.temporaryDir)).toEqual([]);
    expect(await spool.pending()).toEqual([]);
  });

  it('answers out of resources when the disk is below the configured free space', async () => {
    const spool = await open({ minFreeBytes: Number.MAX_SAFE_INTEGER });
    const { incoming } = await receive(spool, '1.2.3.100', '1.2.3');
    await expect(incoming.commit()).rejects.toMatchObject({ reason: 'out-of-resources' });
    expect(await spool.pending()).toEqual([]);
  });

  it('after a crash keeps every acknowledged instance and drops half-received ones', async () => {
    const first = await open();
    const { incoming } = await receive(first, '1.2.3.100', '1.2.3');
    await incoming.commit();
    // A second instance is mid-transfer when the process dies: its temporary file is on disk, never committed.
    const { incoming: interrupted } = await receive(first, '1.2.3.101', '1.2.3');
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await readdir(first.temporaryDir)).toHaveLength(1);
    // The process died: its lock names a pid that no longer exists.
    await writeFile(join(dir, 'gateway.lock'), JSON.stringify({ pid: 2 ** 22 + 12345, host: hostname() }));
    spools.splice(0);

    const second = await open();
    expect(await readdir(second.temporaryDir)).toEqual([]);
    expect((await second.pending()).map((i) => i.sopInstanceUid)).toEqual(['1.2.3.100']);
    await interrupted.discard();
  });

  it('refuses a spool a live gateway holds', async () => {
    const sleeper = spawn('sleep', ['30']);
    try {
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, 'gateway.lock'), JSON.stringify({ pid: sleeper.pid, host: hostname() }));
      await expect(open()).rejects.toBeInstanceOf(SpoolLockedError);
    } finally {
      sleeper.kill();
    }
  });

  it('moves forwarded instances to sent/ when they are kept, and purges them after the retention', async () => {
    const spool = await open({ keepSentMs: 3_600_000 });
    const { incoming } = await receive(spool, '1.2.3.100', '1.2.3');
    const stored = await incoming.commit();
    await spool.markForwarded([stored]);
    expect(await spool.pending()).toEqual([]);
    expect(await readdir(spool.sentDir)).toEqual([stored.fileName]);
    expect(await spool.purgeSent()).toBe(0);
    const old = new Date(Date.now() - 2 * 3_600_000);
    await utimes(join(spool.sentDir, stored.fileName), old, old);
    expect(await spool.purgeSent()).toBe(1);
    expect(await readdir(spool.sentDir)).toEqual([]);
  });

  it('removes forwarded instances when none are kept', async () => {
    const spool = await open();
    const { incoming } = await receive(spool, '1.2.3.100', '1.2.3');
    await spool.markForwarded([await incoming.commit()]);
    expect(await readdir(spool.incomingDir)).toEqual([]);
    expect(await readdir(spool.sentDir)).toEqual([]);
  });

  it('moves rejected instances to rejected/ with the reason beside them', async () => {
    const spool = await open();
    const { incoming } = await receive(spool, '1.2.3.100', '1.2.3');
    const stored = await incoming.commit();
    await spool.markRejected([
      {
        instance: stored,
        rejection: { httpStatus: 409, failureReason: 0xc000, message: 'cannot understand' },
      },
    ]);
    expect((await readdir(spool.rejectedDir)).sort()).toEqual([
      stored.fileName,
      `${stored.fileName}.reason.json`,
    ]);
    const reason = JSON.parse(
      await readFile(join(spool.rejectedDir, `${stored.fileName}.reason.json`), 'utf8'),
    ) as Record<string, unknown>;
    expect(reason).toMatchObject({ sopInstanceUid: '1.2.3.100', failureReason: '0xC000', httpStatus: 409 });
    expect(await spool.pending()).toEqual([]);
  });

  it('ignores files in incoming/ that are not spool instances', async () => {
    const spool = await open();
    await writeFile(join(spool.incomingDir, 'notes.txt'), 'hello');
    expect(await spool.pending()).toEqual([]);
  });
});
