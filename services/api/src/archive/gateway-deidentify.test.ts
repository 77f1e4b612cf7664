import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSeries, replacementUid, seriesUids, Tag, type SeriesOptions } from '@telemed/dicom';
import { parsePart10WithZlib } from '@telemed/dicom/node';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../test/test-app.js';

const run = promisify(execFile);
const haveDcmtk = spawnSync('sh', ['-c', 'command -v storescu']).status === 0;
// the gateway is its own service: the test runs its built server, as `pnpm start` does
const GATEWAY = fileURLToPath(new URL('../../../gateway/dist/server.js', import.meta.url));
const KEY = 'county-site-secret-key-0001';

/** A county patient whose name, ID and birth date must never reach the city archive. */
const patient = {
  patientName: '梁淑芬',
  patientId: 'QC-0042-7781',
  patientBirthDate: '19470823',
};
const series: SeriesOptions[] = [
  { modality: 'CT', slices: 12, seed: 8801, rows: 64, columns: 64, charset: 'ISO_IR 192', ...patient },
  {
    modality: 'CT',
    slices: 8,
    seed: 8801,
    rows: 64,
    columns: 64,
    charset: 'ISO_IR 192',
    seriesNumber: 2,
    seriesDescription: 'bone window',
    ...patient,
  },
];
const originalStudy = seriesUids(series[0] ?? { modality: 'CT', slices: 0 }).studyInstanceUid;
const instanceCount = series.reduce((sum, options) => sum + options.slices, 0);
const originals = [patient.patientName, patient.patientId, patient.patientBirthDate];

let t: TestApp | undefined;
let work: string;
let gateway: ChildProcess | undefined;
let dimsePort = 0;

/** Starts the built gateway and resolves with the DIMSE port it logs once it listens. */
function startGateway(env: Record<string, string>): Promise<number> {
  const child = spawn('node', [GATEWAY], {
    env: { PATH: process.env.PATH ?? '', GATEWAY_LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  gateway = child;
  const lines = createInterface({ input: child.stdout });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the gateway exited (${String(code)}) before listening`));
    });
    lines.on('line', (line) => {
      if (!line.startsWith('{')) return;
      const record = JSON.parse(line) as { msg?: string; port?: number };
      if (record.msg === 'gateway listening for DICOM associations' && typeof record.port === 'number')
        resolve(record.port);
    });
  });
}

beforeAll(async () => {
  if (!haveDcmtk) return;
  const app = await startTestApp();
  t = app;
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  work = await mkdtemp(join(tmpdir(), 'telemed-gateway-deidentify-'));
  dimsePort = await startGateway({
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_DIMSE_PORT: '0',
    GATEWAY_SPOOL_DIR: join(work, 'spool'),
    GATEWAY_SPOOL_MIN_FREE_MB: '1',
    GATEWAY_API_URL: `http://127.0.0.1:${address.port}`,
    GATEWAY_API_USERNAME: 'qingchuan-gateway',
    GATEWAY_API_PASSWORD: DEMO_PASSWORD,
    GATEWAY_RETRY_MIN_MS: '200',
    GATEWAY_DEIDENTIFY: 'basic',
    GATEWAY_DEIDENTIFY_KEY: KEY,
  });
}, 60_000);

afterAll(async () => {
  gateway?.kill('SIGTERM');
  if (t) await t.close();
  if (work) await rm(work, { recursive: true, force: true });
});

type QidoRow = Record<string, { Value?: unknown[] } | undefined>;

/** Every blob file in the archive's content-addressed store. */
async function storedFiles(archiveDir: string): Promise<string[]> {
  const root = join(archiveDir, 'objects');
  const names = await readdir(root, { recursive: true });
  const files: string[] = [];
  for (const name of names) if ((await stat(join(root, name))).isFile()) files.push(join(root, name));
  return files;
}

describe.skipIf(!haveDcmtk)('a county gateway with de-identification on', () => {
  it('forwards the whole study, and no original patient name, ID or birth date reaches the archive', async () => {
    if (!t) throw new Error('no api');
    const api = t;
    const files: string[] = [];
    for (const options of series) {
      let i = 0;
      for (const slice of generateSeries(options)) {
        const file = join(work, `s${String(options.seriesNumber ?? 1)}-${String(++i).padStart(3, '0')}.dcm`);
        await writeFile(file, slice);
        files.push(file);
      }
    }
    // the modality really sent the patient's identity
    expect((await readFile(files[0] ?? '')).includes(Buffer.from(patient.patientId))).toBe(true);
    await run('storescu', [
      '-aet',
      'CT_SCANNER_1',
      '-aec',
      'TELEMED',
      '127.0.0.1',
      String(dimsePort),
      ...files,
    ]);

    const tech = await api.login('wangjianguo');
    const study = replacementUid(originalStudy, { key: KEY });
    const qido = async (query: string): Promise<QidoRow[]> => {
      const res = await api.as(tech, { method: 'GET', url: `/dicomweb/studies?${query}` });
      expect([200, 204]).toContain(res.statusCode);
      return res.statusCode === 200 ? res.json<QidoRow[]>() : [];
    };
    let rows: QidoRow[] = [];
    for (let attempt = 0; attempt < 400; attempt++) {
      rows = await qido(`StudyInstanceUID=${study}`);
      if (rows[0]?.[Tag.NumberOfStudyRelatedInstances]?.Value?.[0] === instanceCount) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    // complete: every instance of both series, under the replacement study UID and none under the original
    expect(rows).toHaveLength(1);
    expect(rows[0]?.[Tag.NumberOfStudyRelatedInstances]?.Value).toEqual([instanceCount]);
    expect(rows[0]?.[Tag.NumberOfStudyRelatedSeries]?.Value).toEqual([series.length]);
    expect(await qido(`StudyInstanceUID=${originalStudy}`)).toEqual([]);

    // QIDO: the study shows the profile's replacements, and no search by an original value finds anything
    const row = rows[0] ?? {};
    expect(row[Tag.PatientName]?.Value).toEqual([{ Alphabetic: 'ANONYMOUS' }]);
    expect(row[Tag.PatientID]?.Value?.[0]).not.toBe(patient.patientId);
    expect(row[Tag.PatientBirthDate]?.Value ?? []).toEqual([]);
    expect(JSON.stringify(rows)).not.toMatch(new RegExp(originals.join('|')));
    expect(await qido(encodeURI(`PatientName=${patient.patientName}`))).toEqual([]);
    expect(await qido(`PatientID=${patient.patientId}`)).toEqual([]);
    expect(await qido(`PatientBirthDate=${patient.patientBirthDate}`)).toEqual([]);
    const metadata = await api.as(tech, { method: 'GET', url: `/dicomweb/studies/${study}/metadata` });
    expect(metadata.statusCode).toBe(200);
    expect(metadata.json<unknown[]>()).toHaveLength(instanceCount);
    expect(metadata.body).not.toMatch(new RegExp(originals.join('|')));

    // the stored files: parsed, and searched byte for byte in the character set they were sent in (UTF-8)
    const stored = await storedFiles(api.archiveDir);
    expect(stored).toHaveLength(instanceCount);
    for (const path of stored) {
      const bytes = await readFile(path);
      const parsed = parsePart10WithZlib(bytes);
      expect(parsed.studyInstanceUid).toBe(study);
      expect(parsed.json[Tag.PatientName]?.Value).toEqual([{ Alphabetic: 'ANONYMOUS' }]);
      expect(parsed.json[Tag.PatientID]?.Value?.[0]).not.toBe(patient.patientId);
      expect(parsed.json[Tag.PatientBirthDate]?.Value ?? []).toEqual([]);
      expect(parsed.json[Tag.PatientIdentityRemoved]?.Value).toEqual(['YES']);
      for (const original of originals) expect(bytes.includes(Buffer.from(original, 'utf8'))).toBe(false);
    }
  }, 120_000);
});
