import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSeries, seriesUids } from '@telemed/dicom';
import { DEMO_PASSWORD, startTestApp, type TestApp } from '../test/test-app.js';

const run = promisify(execFile);
const haveDcmtk = spawnSync('sh', ['-c', 'command -v storescu && command -v echoscu']).status === 0;
// the gateway is its own service: the test runs its built server, as `pnpm start` does
const GATEWAY = fileURLToPath(new URL('../../../gateway/dist/server.js', import.meta.url));

let t: TestApp | undefined;
let work: string;
let gateway: ChildProcess | undefined;
let dimsePort = 0;

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

beforeAll(async () => {
  if (!haveDcmtk) return;
  const app = await startTestApp();
  t = app;
  await app.app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.app.server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  work = await mkdtemp(join(tmpdir(), 'telemed-gateway-e2e-'));
  dimsePort = await freePort();
  gateway = spawn('node', [GATEWAY], {
    env: {
      ...process.env,
      GATEWAY_HOST: '127.0.0.1',
      GATEWAY_DIMSE_PORT: String(dimsePort),
      GATEWAY_SPOOL_DIR: join(work, 'spool'),
      GATEWAY_SPOOL_MIN_FREE_MB: '1',
      GATEWAY_API_URL: `http://127.0.0.1:${address.port}`,
      GATEWAY_API_USERNAME: 'qingchuan-gateway',
      GATEWAY_API_PASSWORD: DEMO_PASSWORD,
      GATEWAY_RETRY_MIN_MS: '200',
      GATEWAY_LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (let i = 0; i < 100; i++) {
    const echo = await run('echoscu', ['-aec', 'TELEMED', '127.0.0.1', String(dimsePort)]).then(
      () => true,
      () => false,
    );
    if (echo) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the gateway never answered C-ECHO');
}, 60_000);

afterAll(async () => {
  gateway?.kill('SIGTERM');
  if (t) await t.close();
  if (work) await rm(work, { recursive: true, force: true });
});

describe.skipIf(!haveDcmtk)('a county modality pushing to the gateway', () => {
  it('storescu sends a 24-slice MR; it arrives in the archive and QIDO finds it', async () => {
    const options = {
      modality: 'MR' as const,
      slices: 24,
      seed: 404,
      rows: 128,
      columns: 128,
      patientName: '郑十',
    };
    const files: string[] = [];
    let i = 0;
    for (const slice of generateSeries(options)) {
      const file = join(work, `slice-${String(++i).padStart(3, '0')}.dcm`);
      await writeFile(file, slice);
      files.push(file);
    }
    await run('storescu', [
      '-aet',
      'MR_SCANNER_1',
      '-aec',
      'TELEMED',
      '127.0.0.1',
      String(dimsePort),
      ...files,
    ]);

    const { studyInstanceUid } = seriesUids(options);
    if (!t) throw new Error('no api');
    const api = t;
    const tech = await api.login('wangjianguo');
    let count = 0;
    for (let attempt = 0; attempt < 150 && count < 24; attempt++) {
      const res = await t.as(tech, {
        method: 'GET',
        url: `/dicomweb/studies?StudyInstanceUID=${studyInstanceUid}`,
      });
      if (res.statusCode === 200) {
        count = res.json<Record<string, { Value?: number[] }>[]>()[0]?.['00201208']?.Value?.[0] ?? 0;
      }
      if (count < 24) await new Promise((r) => setTimeout(r, 200));
    }
    expect(count).toBe(24);
    const studies = await api.as(tech, {
      method: 'GET',
      url: `/dicomweb/studies?${encodeURI('PatientName=郑十')}`,
    });
    expect(studies.statusCode).toBe(200);
    // and it belongs to the gateway's hospital: another county hospital sees nothing
    const outsider = await api.login('zhangwei');
    const hidden = await api.as(outsider, {
      method: 'GET',
      url: `/dicomweb/studies?StudyInstanceUID=${studyInstanceUid}`,
    });
    expect(hidden.statusCode).toBe(204);
  }, 60_000);
});
