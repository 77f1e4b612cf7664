/**
 * `pnpm bench:archive`: the platform's DICOM archive against Orthanc, the reference open-source archive, on the
 * same machine in the same run.
 *
 * Generates deterministic CT series (BENCH_SLICES slices of 512×512, 16 bits), starts Orthanc from Debian's packages
 * (`orthanc` and `orthanc-dicomweb`, its default SQLite index, its files in a temporary folder) and the platform's
 * api as its own process (its built server, seeding the demo) on a throwaway database, then times on both: STOW-RS
 * of a whole series in one request, QIDO-RS searches at the three levels, WADO-RS retrieval of the series and of
 * the study, the series' metadata, and every frame one by one. Each measurement is taken
 * three times, alternating which server goes first, and the best is kept. Both must answer the same way (the same
 * instances, frames identical to the generated pixels) or the bench stops.
 *
 * Environment: BENCH_SLICES (per series, default 300), BENCH_DATABASE_URL (a server where databases may be created;
 * default the local Postgres), BENCH_REDIS_URL. Everything it creates — Orthanc and its folder, the database, the
 * Redis keys under its own prefix, the archive folder, the api — is removed at the end, also after an error or
 * Ctrl-C.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Agent, request } from 'node:http';
import { access, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  encodeMultipartRelated,
  frameBytes,
  generateSeries,
  parseMultipartContentType,
  parsePart10,
} from '@telemed/dicom';
import { readMultipart } from '@telemed/dicom/node';
import { createTestDatabase } from '@telemed/db';
import {
  ADMIN_URL,
  REDIS_URL,
  cleanRedisOnExit,
  handleSignals,
  onCleanup,
  positiveInt,
  runBench,
  say,
  thousands,
} from './harness.js';
import { ApiUser, startApi } from './platform.js';

// QIDO answers at most 1000 results a page on the platform; one page must hold the whole series.
const SLICES = positiveInt('BENCH_SLICES', 300, 1000);
const ROUNDS = 3;
// Requests per QIDO-RS measurement: fewer for the series' instances, which take Orthanc half a second each.
const QIDO_REQUESTS = 200;
const QIDO_INSTANCE_REQUESTS = 50;
const METADATA_REQUESTS = 20;
const RETRIEVALS = 5;
const TECHNICIAN = 'wangjianguo';
const BOUNDARY = 'telemed-bench-archive-7d1c2a';
const DICOM_MULTIPART = 'multipart/related; type="application/dicom"';
const FRAME_ACCEPT = 'multipart/related; type="application/octet-stream"';
const INSTALL_HINT = 'install them with: sudo apt-get install orthanc orthanc-dicomweb';

const megabytes = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

// Aborts every request in flight after Ctrl-C, so the clean-up does not wait for a 150 MB upload to finish.
const stop = new AbortController();
handleSignals(() => {
  stop.abort();
});

// ---------------------------------------------------------------------------------------------------------------
// The series: deterministic, so two runs store the same bytes.

interface Series {
  patientName: string;
  slices: number;
  files: Uint8Array[];
  body: Uint8Array;
}

function makeSeries(seed: number, slices: number, keepFiles: boolean, patientName: string): Series {
  const files = [...generateSeries({ modality: 'CT', slices, seed, patientName })];
  const body = encodeMultipartRelated(
    files.map((file) => ({ contentType: 'application/dicom', body: file })),
    BOUNDARY,
  );
  return { patientName, slices, files: keepFiles ? files : [], body };
}

// ---------------------------------------------------------------------------------------------------------------
// Orthanc: Debian's build, configured in a temporary folder, on ports nobody else uses.

const run = promisify(execFile);

/** The files a Debian package installed, or an error that says how to install it. */
async function packageFiles(name: string): Promise<string[]> {
  try {
    const { stdout } = await run('dpkg', ['-L', name]);
    return stdout.split('\n').filter(Boolean);
  } catch {
    throw new Error(
      `the Debian package ${name} is not installed; Orthanc and its DICOMweb plugin are needed, ${INSTALL_HINT}`,
    );
  }
}

async function existing(path: string | undefined, what: string): Promise<string> {
  if (path !== undefined) {
    try {
      await access(path);
      return path;
    } catch {
      // reported below
    }
  }
  throw new Error(`${what} was not found; ${INSTALL_HINT}`);
}

async function orthancBinary(): Promise<string> {
  const files = await packageFiles('orthanc');
  return existing(
    files.find((f) => /\/s?bin\/Orthanc$/.test(f)),
    'the Orthanc program (of the package orthanc)',
  );
}

async function dicomWebPlugin(): Promise<string> {
  const libraries = (await packageFiles('orthanc-dicomweb')).filter((f) => /\.so(\.|$)/.test(f));
  // The plugin folder holds the link Orthanc is meant to load; the versioned file is the fallback.
  return existing(
    libraries.find((f) => f.includes('/plugins/') && f.endsWith('.so')) ??
      libraries.find((f) => f.endsWith('.so')) ??
      libraries[0],
    'the DICOMweb plugin (of the package orthanc-dicomweb)',
  );
}

/** Ports free right now on 127.0.0.1, all different: held open together, then released. */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
          const server = createServer();
          server.once('error', reject);
          server.listen(0, '127.0.0.1', () => {
            resolve(server);
          });
        }),
    ),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (!address || typeof address === 'string') throw new Error('a probe socket has no TCP address');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

interface Orthanc {
  base: string;
  version: string;
  pluginVersion: string;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function startOrthanc(): Promise<Orthanc> {
  const binary = await orthancBinary();
  const plugin = await dicomWebPlugin();
  const dir = await mkdtemp(join(tmpdir(), 'telemed-bench-orthanc-'));
  onCleanup(`remove ${dir}`, () => rm(dir, { recursive: true, force: true }));
  const [httpPort, dicomPort] = (await freePorts(2)) as [number, number];
  const config = {
    Name: 'telemed-bench',
    HttpPort: httpPort,
    // Nothing is sent over DIMSE; the port is a free one all the same, should the server start anyway.
    DicomServerEnabled: false,
    DicomPort: dicomPort,
    StorageDirectory: join(dir, 'storage'),
    IndexDirectory: join(dir, 'index'),
    RemoteAccessAllowed: false,
    AuthenticationEnabled: false,
    // The platform does not compress its answers either; on one machine compression is only a cost.
    HttpCompressionEnabled: false,
    KeepAlive: true,
    Plugins: [plugin],
    DicomWeb: { Enable: true, Root: '/dicom-web/' },
  };
  const configPath = join(dir, 'orthanc.json');
  await writeFile(configPath, JSON.stringify(config, null, 2));

  const child = spawn(binary, [configPath], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  onCleanup('stop Orthanc', () => stopProcess(child));
  // The last lines it wrote, to say why it did not start.
  const tail: string[] = [];
  const keep = (chunk: Buffer): void => {
    tail.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    tail.splice(0, Math.max(0, tail.length - 20));
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  const exited = new Promise<never>((_resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      reject(new Error(`Orthanc stopped (${signal ?? `exit code ${String(code)}`}):\n${tail.join('\n')}`));
    });
  });
  // Only a failure before it answers is worth reporting here; later the clean-up stops it on purpose.
  exited.catch(() => undefined);

  const base = `http://127.0.0.1:${httpPort}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const answer = await Promise.race([
      fetch(`${base}/system`, { signal: stop.signal }).then(
        async (r) => (r.ok ? ((await r.json()) as { Version?: unknown }) : undefined),
        () => undefined,
      ),
      exited,
    ]);
    if (answer) {
      const plugin = (await getJson(`${base}/plugins/dicom-web`)) as { Version?: unknown };
      return { base, version: String(answer.Version), pluginVersion: String(plugin.Version) };
    }
    if (Date.now() > deadline)
      throw new Error(`Orthanc did not answer on ${base} within 30 s:\n${tail.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP.

/** One of the two archives: where its DICOMweb root is and how to ask it. */
interface Archive {
  name: 'platform' | 'Orthanc';
  root: string;
  headers: () => Record<string, string>;
}

async function getJson(url: string, init: RequestInit = {}): Promise<unknown> {
  const response = await fetch(url, { signal: stop.signal, ...init });
  const text = await response.text();
  if (!response.ok)
    throw new Error(`${init.method ?? 'GET'} ${url}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}

/**
 * Keep-alive connections to one archive, at most `connections` at a time, for the timed requests: plain node:http,
 * the lightest client Node has, so the client costs both servers as little, and as much, as it can.
 */
class Client {
  private readonly agent: Agent;

  constructor(
    private readonly archive: Archive,
    connections = 1,
  ) {
    this.agent = new Agent({ keepAlive: true, maxSockets: connections });
  }

  /** GETs `url` and reads the whole body without keeping it; returns its length. */
  get(url: string, accept: string): Promise<number> {
    const { archive } = this;
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        { agent: this.agent, headers: { ...archive.headers(), accept }, signal: stop.signal },
        (response) => {
          let bytes = 0;
          const head: Buffer[] = [];
          response.on('data', (chunk: Buffer) => {
            if (bytes < 500) head.push(chunk);
            bytes += chunk.length;
          });
          response.on('error', reject);
          response.on('end', () => {
            if (response.statusCode === 200) resolve(bytes);
            else {
              const text = Buffer.concat(head).toString('utf8', 0, 500);
              reject(new Error(`${archive.name}: GET ${url}: ${String(response.statusCode)} ${text}`));
            }
          });
        },
      );
      req.on('error', reject);
      req.end();
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Runs `work` with a fresh client, closed afterwards. */
async function using<T>(
  archive: Archive,
  connections: number,
  work: (client: Client) => Promise<T>,
): Promise<T> {
  const client = new Client(archive, connections);
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

/** The parts of a multipart/related answer, whole. */
async function parts(archive: Archive, url: string, accept: string): Promise<Buffer[]> {
  const response = await fetch(url, {
    signal: stop.signal,
    headers: { ...archive.headers(), accept, 'accept-encoding': 'identity' },
  });
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok)
    throw new Error(`${archive.name}: GET ${url}: ${response.status} ${body.toString('utf8', 0, 500)}`);
  const type = parseMultipartContentType(response.headers.get('content-type') ?? undefined);
  if (!type) {
    throw new Error(`${archive.name}: GET ${url} answered ${String(response.headers.get('content-type'))}`);
  }
  async function* source(): AsyncGenerator<Uint8Array> {
    yield body;
  }
  const out: Buffer[] = [];
  for await (const part of readMultipart(source(), type.boundary, { maxPartBytes: body.length })) {
    if (part.body) out.push(part.body);
  }
  return out;
}

/** QIDO answers, as far as read here: UIDs, strings and numbers. */
type DicomJson = Record<string, { Value?: (string | number)[] } | undefined>;

const valueOf = (item: DicomJson, tag: string): string => String(item[tag]?.Value?.[0] ?? '');

async function qido(archive: Archive, path: string): Promise<DicomJson[]> {
  const response = await fetch(`${archive.root}${path}`, {
    signal: stop.signal,
    headers: { ...archive.headers(), accept: 'application/dicom+json', 'accept-encoding': 'identity' },
  });
  const text = await response.text();
  if (response.status === 204) return [];
  if (!response.ok) throw new Error(`${archive.name}: GET ${path}: ${response.status} ${text.slice(0, 500)}`);
  return JSON.parse(text) as DicomJson[];
}

// ---------------------------------------------------------------------------------------------------------------
// Measuring.

/** Runs `measure` on both archives ROUNDS times, the first to go alternating; returns every time, in ms. */
async function alternate(
  label: string,
  archives: readonly [Archive, Archive],
  measure: (archive: Archive, round: number) => Promise<number>,
  show: (ms: number) => string = (ms) => `${thousands(ms)} ms`,
): Promise<Map<Archive, number[]>> {
  const times = new Map<Archive, number[]>(archives.map((a) => [a, []]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? archives : ([archives[1], archives[0]] as const);
    const line: string[] = [];
    for (const archive of order) {
      const ms = await measure(archive, round);
      times.get(archive)!.push(ms);
      line.push(`${archive.name} ${show(ms)}`);
    }
    say(`  ${label} ${round + 1}/${ROUNDS}: ${line.join(', ')}`);
  }
  return times;
}

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/** `amount` GETs of `url` over `connections` keep-alive connections, each busy all along; ms per request. */
function hammer(archive: Archive, url: string, amount: number, connections: number): Promise<number> {
  return using(archive, connections, async (client) => {
    let sent = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (sent < amount) {
          sent++;
          await client.get(url, 'application/dicom+json');
        }
      }),
    );
    return (performance.now() - started) / amount;
  });
}

interface Row {
  label: string;
  unit: string;
  platform: number;
  orthanc: number;
}

const best = (times: number[]): number => Math.min(...times);

async function main(): Promise<void> {
  say(`generating ${ROUNDS} CT series of ${SLICES} slices, 512×512, 16 bits…`);
  const warmup = makeSeries(100, Math.min(10, SLICES), false, 'BENCH^WARMUP');
  const series = Array.from({ length: ROUNDS }, (_, i) =>
    makeSeries(i + 1, SLICES, i === 0, `BENCH^ARCHIVE${i + 1}`),
  );
  const first = series[0]!;
  const fileBytes = first.files.reduce((n, f) => n + f.length, 0);
  say(`  ${megabytes(first.body.length)} per STOW body, ${thousands(fileBytes / SLICES)} bytes per instance`);

  say('starting Orthanc…');
  const orthanc = await startOrthanc();
  say(`  Orthanc ${orthanc.version}, DICOMweb plugin ${orthanc.pluginVersion}, on ${orthanc.base}`);

  say(`creating a database on ${new URL(ADMIN_URL).host}…`);
  const database = await createTestDatabase(ADMIN_URL, 'telemed_bench');
  onCleanup('drop the database', () => database.drop());
  say(`  ${database.name}`);

  const archiveDir = await mkdtemp(join(tmpdir(), 'telemed-bench-archive-'));
  onCleanup(`remove ${archiveDir}`, () => rm(archiveDir, { recursive: true, force: true }));
  const prefix = `telemed-bench:${randomBytes(4).toString('hex')}:`;
  cleanRedisOnExit(REDIS_URL, prefix);
  say('starting the platform api (it migrates the database and seeds the demo)…');
  const apiBase = await startApi({
    databaseUrl: database.url,
    redisUrl: REDIS_URL,
    redisKeyPrefix: prefix,
    env: { LOG_LEVEL: 'silent', ARCHIVE_DIR: archiveDir },
  });
  const technician = await ApiUser.signIn(apiBase, TECHNICIAN);

  const platform: Archive = {
    name: 'platform',
    root: `${apiBase}/dicomweb`,
    headers: () => technician.headers(),
  };
  const reference: Archive = { name: 'Orthanc', root: `${orthanc.base}/dicom-web`, headers: () => ({}) };
  const archives = [platform, reference] as const;
  const rows: Row[] = [];
  const add = (label: string, unit: string, times: Map<Archive, number[]>): void => {
    rows.push({ label, unit, platform: best(times.get(platform)!), orthanc: best(times.get(reference)!) });
  };
  // A fresh token before each measurement, so a slow machine cannot outlive the access token.
  const refresh = async (): Promise<void> => {
    await technician.refresh();
  };

  // --- STOW-RS -------------------------------------------------------------------------------------------------
  const store = async (archive: Archive, { body, slices }: Series): Promise<void> => {
    const response = await fetch(`${archive.root}/studies`, {
      method: 'POST',
      signal: stop.signal,
      headers: {
        ...archive.headers(),
        accept: 'application/dicom+json',
        'content-type': `${DICOM_MULTIPART}; boundary=${BOUNDARY}`,
      },
      body,
    });
    const text = await response.text();
    if (response.status !== 200) {
      throw new Error(`${archive.name}: STOW-RS answered ${response.status}: ${text.slice(0, 1000)}`);
    }
    const answer = JSON.parse(text) as Record<string, { Value?: unknown[] } | undefined>;
    const failed = answer['00081198']?.Value?.length ?? 0;
    const stored = answer['00081199']?.Value?.length ?? 0;
    if (failed || stored !== slices) {
      throw new Error(`${archive.name}: STOW-RS stored ${stored} of ${slices} instances, ${failed} failed`);
    }
  };
  say('warming up STOW-RS with a short series…');
  for (const archive of archives) await store(archive, warmup);
  say(`STOW-RS of ${SLICES} instances in one request (${megabytes(first.body.length)}):`);
  const stow = await alternate('STOW-RS', archives, async (archive, round) => {
    await refresh();
    return timed(() => store(archive, series[round]!));
  });
  add(`STOW-RS ${SLICES} instances, one request`, 'ms', stow);

  // --- Both must hold the same series ---------------------------------------------------------------------------
  // The name as it is, not percent-encoded: Orthanc's DICOMweb plugin does not decode query values, so it would
  // look for a name with "%5E" in it. Letters, digits and '^' need no encoding in a query string.
  const patientQuery = `/studies?PatientName=${first.patientName}`;
  const found = await Promise.all(archives.map((a) => qido(a, patientQuery)));
  const studyUid = valueOf(found[0]![0] ?? {}, '0020000D');
  if (!studyUid || found.some((list) => list.length !== 1 || valueOf(list[0]!, '0020000D') !== studyUid)) {
    throw new Error(
      `searching ${first.patientName}: platform found ${found[0]!.length} studies, Orthanc ${found[1]!.length}, ` +
        'not the same one study',
    );
  }
  const seriesLists = await Promise.all(archives.map((a) => qido(a, `/studies/${studyUid}/series`)));
  const seriesUid = valueOf(seriesLists[0]![0] ?? {}, '0020000E');
  if (
    !seriesUid ||
    seriesLists.some((list) => list.length !== 1 || valueOf(list[0]!, '0020000E') !== seriesUid)
  ) {
    throw new Error('the study does not hold the same one series on both');
  }
  const seriesPath = `/studies/${studyUid}/series/${seriesUid}`;
  const instancesPath = `${seriesPath}/instances?limit=${SLICES}`;
  const instanceLists = await Promise.all(archives.map((a) => qido(a, instancesPath)));
  const sopUids = instanceLists.map((list) => list.map((i) => valueOf(i, '00080018')).sort());
  if (sopUids.some((uids) => uids.length !== SLICES) || sopUids[0]!.join() !== sopUids[1]!.join()) {
    throw new Error(
      `the series lists ${sopUids[0]!.length} instances on the platform and ${sopUids[1]!.length} on Orthanc ` +
        `(${SLICES} were stored)${sopUids[0]!.length === sopUids[1]!.length ? ', not the same ones' : ''}`,
    );
  }
  say(`both list the same ${SLICES} instances in the series`);

  // Frames equal to the generated pixels, on both: the first, middle and last instance.
  const sampled = new Set([0, Math.floor(SLICES / 2), SLICES - 1]);
  const instanceUids: string[] = [];
  const samples: { uid: string; pixels: Uint8Array }[] = [];
  first.files.forEach((file, i) => {
    const parsed = parsePart10(file);
    instanceUids.push(parsed.sopInstanceUid);
    if (sampled.has(i))
      samples.push({ uid: parsed.sopInstanceUid, pixels: frameBytes(file, parsed.frames[0]!) });
  });
  // The generated files and bodies are no longer needed; the archives hold them now.
  first.files = [];
  for (const stored of series) stored.body = new Uint8Array(0);
  for (const instance of samples) {
    for (const archive of archives) {
      const got = await parts(
        archive,
        `${archive.root}${seriesPath}/instances/${instance.uid}/frames/1`,
        FRAME_ACCEPT,
      );
      if (got.length !== 1 || !Buffer.from(instance.pixels).equals(got[0]!)) {
        throw new Error(
          `${archive.name}: frame 1 of ${instance.uid} is not the generated pixel data ` +
            `(${got.length} part(s), ${got[0]?.length ?? 0} bytes, expected ${instance.pixels.length})`,
        );
      }
    }
  }
  say('both return frames byte-identical to the generated pixel data (first, middle and last instance)');

  // --- QIDO-RS -------------------------------------------------------------------------------------------------
  const searches: [label: string, path: string, requests: number][] = [
    ['QIDO-RS studies?PatientName', patientQuery, QIDO_REQUESTS],
    ['QIDO-RS series of the study', `/studies/${studyUid}/series`, QIDO_REQUESTS],
    [`QIDO-RS ${SLICES} instances of the series`, instancesPath, QIDO_INSTANCE_REQUESTS],
  ];
  for (const [label, path, requests] of searches) {
    for (const connections of [1, 4]) {
      say(`${label}, ${requests} requests over ${connections} connection(s):`);
      await refresh();
      // A tenth as many first, unmeasured, so neither server is timed cold.
      for (const archive of archives) {
        await hammer(archive, `${archive.root}${path}`, Math.max(connections, requests / 10), connections);
      }
      const times = await alternate(
        'QIDO-RS',
        archives,
        async (archive) => {
          await refresh();
          return hammer(archive, `${archive.root}${path}`, requests, connections);
        },
        (ms) => `${ms.toFixed(2)} ms/request`,
      );
      add(`${label}, ${connections} conn.`, 'ms/req', times);
    }
  }

  // --- WADO-RS -------------------------------------------------------------------------------------------------
  // The study holds the one series, so both retrievals send the same files; the study's goes by another query.
  const retrievals: [what: 'series' | 'study', path: string][] = [
    ['series', seriesPath],
    ['study', `/studies/${studyUid}`],
  ];
  for (const [what, path] of retrievals) {
    say(`WADO-RS retrieval of the ${what}, best of ${RETRIEVALS} per round:`);
    const retrieved = new Map<Archive, number>();
    const retrieve = await alternate(`WADO-RS ${what}`, archives, async (archive) => {
      await refresh();
      return using(archive, 1, async (client) => {
        const times: number[] = [];
        for (let i = 0; i < RETRIEVALS; i++) {
          times.push(
            await timed(async () => {
              retrieved.set(archive, await client.get(`${archive.root}${path}`, DICOM_MULTIPART));
            }),
          );
        }
        return best(times);
      });
    });
    for (const archive of archives) {
      const bytes = retrieved.get(archive) ?? 0;
      // The files themselves plus a few hundred bytes of part headers each.
      if (bytes < fileBytes || bytes > fileBytes * 1.05) {
        throw new Error(
          `${archive.name}: the ${what} came back as ${thousands(bytes)} bytes; its ${SLICES} files hold ${thousands(fileBytes)}`,
        );
      }
    }
    say(
      `  platform sent ${megabytes(retrieved.get(platform)!)}, Orthanc ${megabytes(retrieved.get(reference)!)} ` +
        `for ${megabytes(fileBytes)} of files`,
    );
    add(`WADO-RS ${what} retrieval (${megabytes(fileBytes)})`, 'ms', retrieve);
  }

  say(`WADO-RS series metadata, ${METADATA_REQUESTS} requests in a row:`);
  for (const archive of archives) {
    const metadata = (await getJson(`${archive.root}${seriesPath}/metadata`, {
      headers: { ...archive.headers(), accept: 'application/dicom+json', 'accept-encoding': 'identity' },
    })) as unknown[];
    if (metadata.length !== SLICES) {
      throw new Error(
        `${archive.name}: the series metadata lists ${metadata.length} instances, not ${SLICES}`,
      );
    }
  }
  const metadata = await alternate(
    'metadata',
    archives,
    async (archive) => {
      await refresh();
      const url = `${archive.root}${seriesPath}/metadata`;
      return using(archive, 1, async (client) => {
        const ms = await timed(async () => {
          for (let i = 0; i < METADATA_REQUESTS; i++) await client.get(url, 'application/dicom+json');
        });
        return ms / METADATA_REQUESTS;
      });
    },
    (ms) => `${ms.toFixed(1)} ms/request`,
  );
  add('WADO-RS series metadata', 'ms/req', metadata);

  say(`WADO-RS frame 1 of each of the ${SLICES} instances, one after another:`);
  const frames = await alternate('frames', archives, async (archive) => {
    await refresh();
    const base = `${archive.root}${seriesPath}/instances`;
    return using(archive, 1, (client) =>
      timed(async () => {
        for (const uid of instanceUids) await client.get(`${base}/${uid}/frames/1`, FRAME_ACCEPT);
      }),
    );
  });
  add(`WADO-RS frames, ${SLICES} requests in a row`, 'ms', frames);

  // --- The table -----------------------------------------------------------------------------------------------
  const cores = cpus();
  const number = (n: number): string => (n >= 100 ? thousands(n) : n.toFixed(2));
  const width = Math.max(...rows.map((r) => r.label.length)) + 2;
  say('');
  say(
    `DICOM archive: this platform (Postgres index, files on disk) against Orthanc ${orthanc.version} with ` +
      `DICOMweb plugin ${orthanc.pluginVersion} (SQLite index, files on disk), same machine`,
  );
  say(
    `${cores.length} cores (${cores[0]?.model.trim() ?? 'unknown'}), Node ${process.version}; ` +
      `CT series of ${SLICES} slices 512×512 16 bits; best of ${ROUNDS} rounds, the first server alternating`,
  );
  say('ratio = Orthanc time / platform time: above 1 this platform is faster, below 1 Orthanc is');
  say('ms/req = wall time / requests: with 4 connections busy at once, the inverse of the throughput');
  say('');
  say(
    `${''.padEnd(width)}${'unit'.padEnd(8)}${'platform'.padStart(10)}${'Orthanc'.padStart(10)}${'ratio'.padStart(8)}`,
  );
  for (const row of rows) {
    say(
      `${row.label.padEnd(width)}${row.unit.padEnd(8)}${number(row.platform).padStart(10)}` +
        `${number(row.orthanc).padStart(10)}${(row.orthanc / row.platform).toFixed(2).padStart(8)}`,
    );
  }
}

await runBench(main);
