import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSeries, seriesUids, type SeriesOptions } from '@telemed/dicom';
import { startTestApp, type TestApp } from '../test/test-app.js';

// Debian's Orthanc and its DICOMweb plugin are a real peer that stores into the archive over STOW-RS. The test fails
// (it does not skip) when they are missing: `.ci/run` installs them.

/** A file the Debian package `pkg` installed whose path ends in `suffix`. */
function installed(pkg: string, suffix: RegExp): string | undefined {
  const listed = spawnSync('dpkg', ['-L', pkg], { encoding: 'utf8' });
  return listed.status === 0 ? listed.stdout.split('\n').find((f) => suffix.test(f)) : undefined;
}

/** The Orthanc server and its DICOMweb plugin's shared object, as the packages installed them; null if absent. */
function orthancFiles(): { server: string; plugin: string } | null {
  const server = installed('orthanc', /\/Orthanc$/);
  const plugin = installed('orthanc-dicomweb', /DicomWeb\.so$/);
  return server && plugin ? { server, plugin } : null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address !== 'string') resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}

const files = orthancFiles();
let t: TestApp;
let work: string;
let orthanc: ChildProcess | undefined;
let orthancUrl = '';
let orthancLog = '';

const STUDY: SeriesOptions = {
  modality: 'CT',
  slices: 12,
  seed: 7301,
  rows: 64,
  columns: 64,
  patientName: '吴九',
  patientId: 'QC-ORTHANC-1',
};

beforeAll(async () => {
  t = await startTestApp();
  // without Orthanc the test itself fails, saying what to install
  if (!files) return;
  const { server, plugin } = files;
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const address = t.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  const tech = await t.login('wangjianguo');
  work = await mkdtemp(join(tmpdir(), 'telemed-orthanc-'));
  const httpPort = await freePort();
  const config = {
    Name: 'county-pacs',
    StorageDirectory: join(work, 'storage'),
    IndexDirectory: join(work, 'storage'),
    HttpPort: httpPort,
    DicomServerEnabled: false,
    DicomPort: await freePort(),
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    Plugins: [plugin],
    DicomWeb: {
      Enable: true,
      Root: '/dicom-web/',
      Servers: {
        telemed: {
          Url: `http://127.0.0.1:${address.port}/dicomweb/`,
          HttpHeaders: { Authorization: `Bearer ${tech}` },
        },
      },
    },
  };
  const configFile = join(work, 'orthanc.json');
  await writeFile(configFile, JSON.stringify(config));
  orthanc = spawn(server, [configFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  const keep = (chunk: Buffer): void => {
    orthancLog = (orthancLog + chunk.toString()).slice(-20_000);
  };
  orthanc.stdout?.on('data', keep);
  orthanc.stderr?.on('data', keep);
  orthancUrl = `http://127.0.0.1:${httpPort}`;
  for (let i = 0; i < 150; i++) {
    if (orthanc.exitCode !== null) break;
    const up = await fetch(`${orthancUrl}/system`).then(
      (r) => r.ok,
      () => false,
    );
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`Orthanc did not start:\n${orthancLog}`);
}, 60_000);

afterAll(async () => {
  if (orthanc && orthanc.exitCode === null) {
    const exited = new Promise((resolve) => orthanc?.once('exit', resolve));
    orthanc.kill('SIGTERM');
    await exited;
  }
  await t.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe("Debian's Orthanc as a DICOMweb peer", () => {
  it('stores a study into the archive over STOW-RS, every instance indexed', async () => {
    expect(files, 'this test needs Orthanc: apt-get install orthanc orthanc-dicomweb').not.toBeNull();
    const slices = [...generateSeries(STUDY)];
    let orthancStudy = '';
    for (const slice of slices) {
      const res = await fetch(`${orthancUrl}/instances`, {
        method: 'POST',
        headers: { 'content-type': 'application/dicom' },
        body: slice,
      });
      expect(res.status, orthancLog).toBe(200);
      orthancStudy = ((await res.json()) as { ParentStudy: string }).ParentStudy;
    }

    const sent = await fetch(`${orthancUrl}/dicom-web/servers/telemed/stow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Resources: [orthancStudy], Synchronous: true }),
    });
    expect(sent.status, `${await sent.clone().text()}\n${orthancLog}`).toBe(200);

    const { studyInstanceUid, sopInstanceUids } = seriesUids(STUDY);
    const tech = await t.login('wangjianguo');
    const found = await t.as(tech, {
      method: 'GET',
      url: `/dicomweb/studies/${studyInstanceUid}/instances?limit=1000`,
    });
    expect(found.statusCode).toBe(200);
    const sopUids = found
      .json<Record<string, { Value?: string[] }>[]>()
      .map((i) => i['00080018']?.Value?.[0])
      .sort();
    expect(sopUids).toEqual([...sopInstanceUids].sort());
    const study = await t.as(tech, {
      method: 'GET',
      url: `/dicomweb/studies?StudyInstanceUID=${studyInstanceUid}`,
    });
    expect(study.json<Record<string, { Value?: unknown[] }>[]>()[0]?.['00100010']?.Value).toEqual([
      { Alphabetic: '吴九' },
    ]);
  }, 60_000);
});
