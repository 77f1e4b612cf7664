/**
 * `pnpm bench:consult`: what joining a video consult costs, and how many receivers one media worker carries.
 *
 * 1. Join to first remote frame. The platform is started as `pnpm start` starts it (the browser tests' launcher, on a
 *    throwaway database, one media worker); a case is opened, submitted and assigned. Each round, in headless Chromium
 *    with Chromium's fake camera and microphone, the assigned specialist opens the case's consult and sends; then the
 *    county technician, signed in already, opens `/cases/{id}/consult`. The time measured runs from that page's
 *    navigation to the first frame of the specialist's video it presents (`requestVideoFrameCallback`, the clock of the
 *    page, so nothing of the benchmark's own latency is in it): the app's load, the token refresh, the socket, the
 *    join, both transports, the consumer and the first key frame. The baseline, in the same run and alternating with it
 *    round by round, is a bare page pair (consult-bare.ts, served by a process of its own as the video service is): the
 *    same media on the same Chromium with nothing around it. Median and p90 of each, and their ratio.
 * 2. Consumers per worker. A bare page sends Chromium's test camera as the consult does (three simulcast layers capped
 *    at 100/250/600 kbit/s; from a 640x360 camera Chromium sends the lower two, which the run prints); the benchmark
 *    adds receivers of it on the same worker in steps, each a PlainTransport sending RTP to a UDP socket of the
 *    benchmark, so Chromium's decoders are not what is measured. At each step it measures, over BENCH_WINDOW_SECONDS,
 *    the worker process's CPU (its own getrusage, as a share of one core) and the loss the receivers see (RTP sequence
 *    numbers missing among those expected). It stops at the first step past the bound — worker CPU over
 *    BENCH_CPU_BOUND % of one core (default 80) or loss over BENCH_LOSS_BOUND ‰ (default 20, i.e. 2 %) — or at
 *    BENCH_MAX_CONSUMERS, and names the last step within the bound.
 *
 * Environment: BENCH_PART (join, consumers or both, the default), BENCH_ROUNDS (default 10), BENCH_STEP (receivers
 * added per step, default 50), BENCH_MAX_CONSUMERS (default 2000), BENCH_WINDOW_SECONDS (default 5), BENCH_CPU_BOUND,
 * BENCH_LOSS_BOUND. The platform, its database, the browser and the bare server are stopped at the end, also after an
 * error or Ctrl-C.
 */
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Case, User } from '@telemed/contracts';
import type { types } from 'mediasoup';
import type { Browser, Page } from 'playwright-core';
import { handleSignals, onCleanup, positiveInt, runBench, say, thousands } from './harness.js';
import { answering, freePort, startNode } from './platform.js';
import { BareConsult, bundleForBrowser } from './consult-bare.js';
import type { Frames } from './consult-frames.js';
import { FAKE_MEDIA, launchChromium, newPage, SHOTS, signIn } from '../web/e2e/browser.js';
import { startPlatform, type Platform } from '../web/e2e/platform.js';

const PART = process.env.BENCH_PART ?? 'both';
if (!['join', 'consumers', 'both'].includes(PART))
  throw new Error(`BENCH_PART must be join, consumers or both, not ${PART}`);
const ROUNDS = positiveInt('BENCH_ROUNDS', 10, 1000);
const STEP = positiveInt('BENCH_STEP', 50, 1000);
const MAX_CONSUMERS = positiveInt('BENCH_MAX_CONSUMERS', 2000, 9000);
const WINDOW_SECONDS = positiveInt('BENCH_WINDOW_SECONDS', 5, 600);
const CPU_BOUND = positiveInt('BENCH_CPU_BOUND', 80, 100);
const LOSS_BOUND_PERMILLE = positiveInt('BENCH_LOSS_BOUND', 20, 1000);
/** the sending side's encoder settles (and reaches its top layer) before anything is measured of it */
const SETTLE_MS = 3_000;

const here = dirname(fileURLToPath(import.meta.url));

handleSignals(() => undefined);

/** 1234.5 → " 1235 ms", padded to `width` digits. */
const ms = (value: number | null, width = 5): string =>
  `${(value ?? Number.NaN).toFixed(0).padStart(width)} ms`;

const sleep = (duration: number): Promise<void> => new Promise((r) => setTimeout(r, duration));

// ---------------------------------------------------------------------------------------------------------------
// 1. Join to first remote frame

async function frames(page: Page): Promise<Frames> {
  return page.evaluate(() => (globalThis as unknown as { benchFrames: Frames }).benchFrames);
}

/** Waits until the page's watcher has seen a frame of the kind asked, and returns when (ms after navigation). */
async function frameSeen(page: Page, kind: keyof Frames, what: string): Promise<number> {
  for (let waited = 0; waited < 60_000; waited += 50) {
    const ms = (await frames(page).catch(() => null))?.[kind];
    if (typeof ms === 'number') return ms;
    await sleep(50);
  }
  throw new Error(`${what}: no frame within 60 s`);
}

/** The frame watcher, bundled for the browser once. */
let watcher: string | undefined;

async function pageWithWatcher(browser: Browser): Promise<Page> {
  watcher ??= await bundleForBrowser(join(here, 'in-browser', 'frame-watch.ts'), 'iife');
  const page = await newPage(browser);
  page.context().setDefaultTimeout(60_000);
  await page.context().addInitScript({ content: watcher });
  return page;
}

/** A case for the consult: opened and submitted by the county technician, assigned by the router. */
async function assignedCase(p: Platform): Promise<{ c: Case; specialist: string }> {
  const tech = await p.login('wangjianguo');
  const admin = await p.login('admin');
  const c = await p.api<Case>(tech, 'POST', '/api/cases', {
    patient: { mrn: 'BENCH-CONSULT', name: '阿依古丽·买买提', sex: 'F', birthDate: '1979-02-03' },
    urgency: 'urgent',
    clinicalQuestion: '右下腹痛，请会诊',
    modality: 'CT',
    bodyPart: 'ABDOMEN',
  });
  await p.api(tech, 'POST', `/api/cases/${c.id}/submit`);
  const assigned = await p.waitForCase(tech, c.id, (x) => x.state === 'assigned');
  const users = await p.api<User[]>(admin, 'GET', '/api/users');
  const specialist = users.find((u) => u.id === assigned.assignedSpecialistId)?.username;
  if (!specialist) throw new Error(`case ${c.id} has no assigned specialist`);
  return { c: assigned, specialist };
}

/** One platform round: the specialist in the call and sending, then the technician's join timed. */
async function platformRound(
  browser: Browser,
  p: Platform,
  caseId: string,
  specialist: string,
  shoot: boolean,
): Promise<Frames> {
  const city = await pageWithWatcher(browser);
  const county = await pageWithWatcher(browser);
  try {
    await city.goto(`${p.base}/cases/${caseId}/consult`);
    await signIn(city, specialist);
    await city.getByText('等待对方加入…').waitFor();
    await frameSeen(city, 'firstOwnFrameMs', 'the specialist’s own camera');
    await sleep(SETTLE_MS);
    // signed in beforehand, as a technician is when the consult rings
    await county.goto(`${p.base}/upload`);
    await signIn(county, 'wangjianguo');
    await county.getByRole('heading', { name: '上传影像' }).waitFor();
    await county.goto(`${p.base}/cases/${caseId}/consult`);
    await frameSeen(county, 'firstRemoteFrameMs', 'the technician’s view of the specialist');
    if (shoot) await county.screenshot({ path: new URL('bench-consult-platform.png', SHOTS).pathname });
    return await frames(county);
  } finally {
    await county.context().close();
    await city.context().close();
  }
}

/** One bare round: the first page in and sending, then the second page's join timed. */
async function bareRound(browser: Browser, bareUrl: string, shoot: boolean): Promise<Frames> {
  const first = await pageWithWatcher(browser);
  const second = await pageWithWatcher(browser);
  try {
    await first.goto(bareUrl);
    await first.getByText('sending').waitFor();
    await frameSeen(first, 'firstOwnFrameMs', 'the first bare page’s own camera');
    await sleep(SETTLE_MS);
    await second.goto(bareUrl);
    await frameSeen(second, 'firstRemoteFrameMs', 'the second bare page’s view of the first');
    if (shoot) await second.screenshot({ path: new URL('bench-consult-bare.png', SHOTS).pathname });
    return await frames(second);
  } finally {
    await second.context().close();
    await first.context().close();
  }
}

/** The median of `values` (the mean of the middle two when they are even in number). */
function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return Number.isInteger(mid)
    ? ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
    : (sorted[Math.floor(mid)] ?? 0);
}

/** The 90th percentile of `values` (nearest rank: the 9th of 10). */
function p90(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(0.9 * sorted.length) - 1)] ?? Number.NaN;
}

async function joinToFirstFrame(browser: Browser): Promise<void> {
  say('starting the platform and the bare consult…');
  const barePort = await freePort();
  const bareUrl = `http://127.0.0.1:${barePort}/`;
  const bare = startNode('bare consult', ['--import', 'tsx', join(here, 'consult-bare-server.ts')], {
    BARE_PORT: String(barePort),
  });
  await answering(bareUrl, bare);
  const platform = await startPlatform({ ACCESS_TOKEN_TTL_SECONDS: '900' });
  onCleanup('stop the platform', () => platform.stop());
  const { c, specialist } = await assignedCase(platform);
  say(`case ${c.id} assigned to ${specialist}; ${ROUNDS} rounds of each, alternating`);
  const platformRounds: Frames[] = [];
  const bareRounds: Frames[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const p = await platformRound(browser, platform, c.id, specialist, round === 1);
    platformRounds.push(p);
    const b = await bareRound(browser, bareUrl, round === 1);
    bareRounds.push(b);
    say(
      `  round ${String(round).padStart(2)}: platform ${ms(p.firstRemoteFrameMs)}   bare ${ms(b.firstRemoteFrameMs)}`,
    );
  }
  const remote = (rounds: Frames[]): number[] => rounds.map((r) => r.firstRemoteFrameMs ?? Number.NaN);
  const own = (rounds: Frames[]): number[] => rounds.map((r) => r.firstOwnFrameMs ?? Number.NaN);
  const [pm, bm] = [median(remote(platformRounds)), median(remote(bareRounds))];
  const [p9, b9] = [p90(remote(platformRounds)), p90(remote(bareRounds))];
  say('');
  say('navigation to the first frame     remote, median   remote, p90   own camera, median');
  say(
    `  platform (consult screen)        ${ms(pm, 11)}   ${ms(p9, 8)}   ${ms(median(own(platformRounds)), 15)}`,
  );
  say(`  bare mediasoup page pair         ${ms(bm, 11)}   ${ms(b9, 8)}   ${ms(median(own(bareRounds)), 15)}`);
  say(
    `  ratio platform / bare            ${(pm / bm).toFixed(2).padStart(14)}   ${(p9 / b9).toFixed(2).padStart(11)}`,
  );
  say('');
  await platform.stop();
  bare.kill('SIGTERM');
}

// ---------------------------------------------------------------------------------------------------------------
// 2. Consumers per worker

/** One receiver of the camera: a PlainTransport on the worker sending RTP to a UDP socket of the benchmark. */
interface Receiver {
  socket: UdpSocket;
  transport: types.PlainTransport;
  consumer: types.Consumer;
  ssrc: number;
  /** RTP packets of `ssrc` this window, and the extended sequence numbers of the first and the highest */
  received: number;
  bytes: number;
  first: number | null;
  highest: number;
  /** the last sequence number seen, and how often it wrapped */
  last: number | null;
  cycles: number;
}

async function addReceiver(router: types.Router, producer: types.Producer): Promise<Receiver> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      resolve();
    });
  });
  // many receivers at 600 kbit/s: room for a burst (a key frame) while the event loop is busy elsewhere
  socket.setRecvBufferSize(1 << 20);
  const transport = await router.createPlainTransport({
    listenIp: '127.0.0.1',
    rtcpMux: true,
    comedia: false,
  });
  await transport.connect({ ip: '127.0.0.1', port: socket.address().port });
  const consumer = await transport.consume({
    producerId: producer.id,
    rtpCapabilities: router.rtpCapabilities,
  });
  const ssrc = consumer.rtpParameters.encodings?.[0]?.ssrc;
  if (ssrc === undefined) throw new Error('the consumer has no SSRC');
  const r: Receiver = {
    socket,
    transport,
    consumer,
    ssrc,
    received: 0,
    bytes: 0,
    first: null,
    highest: 0,
    last: null,
    cycles: 0,
  };
  socket.on('message', (packet: Buffer) => {
    if (packet.length < 12) return;
    const type = packet[1]! & 0x7f;
    // RTCP shares the port (RFC 5761): its packet types 200–206 read as 72–78 here
    if (type >= 72 && type <= 78) return;
    if (packet.readUInt32BE(8) !== r.ssrc) return;
    const seq = packet.readUInt16BE(2);
    if (r.last !== null && seq < r.last && r.last - seq > 0x8000) r.cycles++;
    r.last = seq;
    const extended = r.cycles * 0x10000 + seq;
    r.first ??= extended;
    r.highest = Math.max(r.highest, extended);
    r.received++;
    r.bytes += packet.length;
  });
  return r;
}

function resetWindow(receivers: Receiver[]): void {
  for (const r of receivers) {
    r.received = 0;
    r.bytes = 0;
    r.first = null;
    r.highest = 0;
  }
}

async function workerCpuMs(worker: types.Worker): Promise<number> {
  const usage = await worker.getResourceUsage();
  return usage.ru_utime + usage.ru_stime;
}

interface Step {
  consumers: number;
  cpu: number;
  loss: number;
  kbps: number;
  /** RTP packets a second the worker sent all receivers together */
  pps: number;
  silent: number;
  /** the benchmark's own process (the receivers' sockets), as a share of one core */
  benchCpu: number;
  /** loss between the camera and the worker, from the producer's receive statistics */
  ingestLoss: number;
  /** the simulcast layer most receivers were sent */
  layer: string;
}

/** Packets the worker received of the camera and those it found missing, all layers together, so far. */
async function ingest(producer: types.Producer): Promise<{ received: number; lost: number }> {
  const stats = await producer.getStats();
  return {
    received: stats.reduce((n, s) => n + s.packetCount, 0),
    lost: stats.reduce((n, s) => n + s.packetsLost, 0),
  };
}

/** The highest layer in a `layers()` line ("r0 81 kbit/s, r1 141 kbit/s" → "r1"). */
function topLayerOf(line: string): string {
  return (
    [...line.matchAll(/r(\d)/g)]
      .map((m) => `r${m[1]}`)
      .sort()
      .at(-1) ?? '-'
  );
}

/** The spatial layer most receivers are sent now (r0 the lowest), or "-" before any. */
function usualLayer(receivers: Receiver[]): string {
  const count = new Map<number, number>();
  for (const r of receivers) {
    const layer = r.consumer.currentLayers?.spatialLayer;
    if (layer !== undefined) count.set(layer, (count.get(layer) ?? 0) + 1);
  }
  const top = [...count].sort((a, b) => b[1] - a[1])[0];
  return top ? `r${top[0]}` : '-';
}

async function measureStep(
  worker: types.Worker,
  producer: types.Producer,
  receivers: Receiver[],
): Promise<Step> {
  resetWindow(receivers);
  const ingestBefore = await ingest(producer);
  const cpuBefore = await workerCpuMs(worker);
  const benchBefore = process.cpuUsage();
  const start = performance.now();
  await sleep(WINDOW_SECONDS * 1000);
  const cpuAfter = await workerCpuMs(worker);
  const elapsed = performance.now() - start;
  const bench = process.cpuUsage(benchBefore);
  const ingestAfter = await ingest(producer);
  const ingestLost = ingestAfter.lost - ingestBefore.lost;
  const ingestExpected = ingestAfter.received - ingestBefore.received + ingestLost;
  let expected = 0;
  let received = 0;
  let bytes = 0;
  let silent = 0;
  for (const r of receivers) {
    if (r.first === null) {
      silent++;
      continue;
    }
    expected += r.highest - r.first + 1;
    received += r.received;
    bytes += r.bytes;
  }
  return {
    consumers: receivers.length,
    cpu: ((cpuAfter - cpuBefore) / elapsed) * 100,
    loss: expected === 0 ? (receivers.length === 0 ? 0 : 1) : Math.max(0, expected - received) / expected,
    kbps: (bytes * 8) / (elapsed / 1000) / 1000 / Math.max(1, receivers.length - silent),
    pps: received / (elapsed / 1000),
    silent,
    benchCpu: ((bench.user + bench.system) / 1000 / elapsed) * 100,
    ingestLoss: ingestExpected > 0 ? Math.max(0, ingestLost) / ingestExpected : 0,
    layer: usualLayer(receivers),
  };
}

/** What the camera sends, layer by layer, as the worker receives it. */
async function layers(producer: types.Producer): Promise<string> {
  const stats = (await producer.getStats()) as { rid?: string; bitrate?: number }[];
  return stats
    .map((s) => `${s.rid ?? '-'} ${((s.bitrate ?? 0) / 1000).toFixed(0)} kbit/s`)
    .sort()
    .join(', ');
}

async function consumersPerWorker(browser: Browser, bare: BareConsult): Promise<void> {
  const sender = await pageWithWatcher(browser);
  await sender.goto(bare.url);
  await sender.getByText('sending').waitFor();
  await frameSeen(sender, 'firstOwnFrameMs', 'the sending page’s camera');
  const producer = bare.videoProducers()[0];
  if (!producer) throw new Error('the sending page sends no camera');
  // the sender's bandwidth estimate climbs
  await sleep(SETTLE_MS * 2);

  say(
    `one camera sent as the consult sends it (simulcast, capped at 100/250/600 kbit/s): ${await layers(producer)}`,
  );
  say(`its receivers added on the same worker, +${STEP} a step, ${WINDOW_SECONDS} s each;`);
  say(`bound: worker CPU ≤ ${CPU_BOUND} % of one core and loss ≤ ${(LOSS_BOUND_PERMILLE / 10).toFixed(1)} %`);
  say('');
  say(
    'consumers   worker CPU   loss at receivers   kbit/s each   packets/s out   layer   camera→worker loss   bench CPU',
  );
  const receivers: Receiver[] = [];
  onCleanup('close the receivers', async () => {
    for (const r of receivers) {
      r.transport.close();
      r.socket.close();
    }
  });
  let lastWithin: Step | null = null;
  let past = false;
  const topLayer = topLayerOf(await layers(producer));
  let lastAtTop: Step | null = null;
  for (;;) {
    let step: Step;
    try {
      step = await measureStep(bare.worker, producer, receivers);
    } catch (error) {
      // a worker too busy to answer its channel within mediasoup's timeout carries no more
      say(
        `${String(receivers.length).padStart(9)}   the worker stopped answering (${String(error)}): past the bound`,
      );
      past = true;
      break;
    }
    const within = step.cpu <= CPU_BOUND && step.loss * 1000 <= LOSS_BOUND_PERMILLE && step.silent === 0;
    say(
      `${String(step.consumers).padStart(9)}   ${step.cpu.toFixed(1).padStart(8)} %   ${(step.loss * 100).toFixed(2).padStart(15)} %   ${step.kbps.toFixed(0).padStart(11)}   ${thousands(step.pps).padStart(13)}   ${step.layer.padStart(5)}   ${(step.ingestLoss * 100).toFixed(2).padStart(16)} %   ${step.benchCpu.toFixed(0).padStart(7)} %${within ? '' : `   past the bound${step.silent ? ` (${step.silent} received nothing)` : ''}`}`,
    );
    if (!within) {
      past = true;
      break;
    }
    lastWithin = step;
    if (step.layer === topLayer && lastAtTop?.consumers === step.consumers - STEP) lastAtTop = step;
    if (step.consumers === 0) lastAtTop = step;
    if (receivers.length >= MAX_CONSUMERS) break;
    const add = Math.min(STEP, MAX_CONSUMERS - receivers.length);
    try {
      for (let i = 0; i < add; i++) receivers.push(await addReceiver(bare.router, producer));
    } catch (error) {
      say(
        `${String(receivers.length).padStart(9)}   the worker stopped answering (${String(error)}): past the bound`,
      );
      past = true;
      break;
    }
    // the new consumers' key frame requests answered and the encoder steady again, before the window opens
    await sleep(SETTLE_MS);
  }
  say('');
  say(`the camera at the end: ${await layers(producer).catch(() => 'the worker did not say')}`);
  if (!lastWithin || lastWithin.consumers === 0) say(`not even ${STEP} receivers stayed within the bound`);
  else
    say(
      `one worker carries ${lastWithin.consumers} receivers of the camera within the bound (${lastWithin.cpu.toFixed(0)} % of a core, ${(lastWithin.loss * 100).toFixed(2)} % loss)${past ? '' : `; stopped at BENCH_MAX_CONSUMERS=${MAX_CONSUMERS}`}`,
    );
  if (lastAtTop && lastAtTop.consumers > 0)
    say(
      `every step up to ${lastAtTop.consumers} receivers was sent the camera's top layer (${topLayer}, ${lastAtTop.kbps.toFixed(0)} kbit/s each, ${lastAtTop.cpu.toFixed(0)} % of a core)`,
    );
}

await runBench(async () => {
  await mkdir(SHOTS, { recursive: true });
  const browser = await launchChromium(FAKE_MEDIA);
  onCleanup('close Chromium', () => browser.close());
  if (PART !== 'consumers') await joinToFirstFrame(browser);
  if (PART !== 'join') {
    // in this process: the benchmark adds the receivers to its router itself
    const bare = await BareConsult.start();
    onCleanup('stop the bare consult', () => bare.close());
    await consumersPerWorker(browser, bare);
  }
});
