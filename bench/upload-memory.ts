/**
 * `pnpm bench:upload`: the browser's upload screen sending a large study on loopback, and the memory the tab takes
 * while it does.
 *
 * Generates a CT study (BENCH_FILES slices of BENCH_SIZE×BENCH_SIZE, 16 bits: 3,000 of 512×512 are about 1.5 GB) as
 * Part 10 files in a temporary folder, starts the platform as `pnpm start` does (the browser tests' launcher, on a
 * throwaway database), signs in as a county technician in Debian's headless Chromium, chooses the files on /upload
 * and sends them. While it runs, every 250 ms it reads the resident memory of the browser's renderer processes from
 * /proc (the tab and its workers live there) and the page's JavaScript heap from the DevTools protocol
 * (Performance.getMetrics); it reports the peaks beside the bytes sent and the time taken, and fails when the tab
 * went over BENCH_LIMIT_MB (default 300) of its own memory: what Chromium's task manager calls the tab's memory
 * footprint, its private memory (resident anonymous pages and swap, `RssAnon` + `VmSwap`). The resident size is
 * printed beside it; it also counts the browser's libraries and fonts, mapped once and shared by every process.
 *
 * The browser runs with a profile folder of its own, as a person's browser does: the origin private file system the
 * upload stages into is on disk with a real profile's quota (an off-the-record context would keep it in memory and
 * count it against the tab). When the screen refuses (no room to stage, a failed write) the run stops with the
 * screen's words.
 *
 * Environment: BENCH_FILES (default 3000), BENCH_SIZE (rows and columns, default 512), BENCH_LIMIT_MB. The folder,
 * the platform and its database are removed at the end, also after an error or Ctrl-C.
 */
import { readdir, readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeGeneratedSeries } from '@telemed/dicom/node';
import { handleSignals, onCleanup, positiveInt, runBench, say, thousands } from './harness.js';
import { launchProfile, signIn } from '../web/e2e/browser.js';
import { startPlatform } from '../web/e2e/platform.js';

const FILES = positiveInt('BENCH_FILES', 3000, 10_000);
const SIZE = positiveInt('BENCH_SIZE', 512, 2048);
const LIMIT_MB = positiveInt('BENCH_LIMIT_MB', 300);
const SAMPLE_MS = 250;

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

handleSignals(() => undefined);

interface Proc {
  pid: number;
  ppid: number;
  cmdline: string;
  rss: number;
  /** the process's own memory, as Chromium counts a tab's footprint: resident anonymous pages and swap */
  own: number;
}

/** Every process this user can read, with its parent, command line and resident memory. */
async function processes(): Promise<Proc[]> {
  const out: Proc[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = await readFile(`/proc/${name}/status`, 'utf8');
      const cmdline = (await readFile(`/proc/${name}/cmdline`, 'utf8')).replaceAll('\0', ' ');
      const ppid = Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const rssKb = Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const anonKb = Number(/^RssAnon:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      const swapKb = Number(/^VmSwap:\s+(\d+)/m.exec(status)?.[1] ?? 0);
      out.push({ pid: Number(name), ppid, cmdline, rss: rssKb * 1024, own: (anonKb + swapKb) * 1024 });
    } catch {
      // gone between the listing and the read
    }
  }
  return out;
}

/**
 * The resident memory of the renderer processes this benchmark's browser started (the tab and its workers live in
 * one of them): the largest (the tab) and all together.
 */
async function rendererMemory(): Promise<{ largest: number; largestOwn: number; all: number }> {
  const procs = await processes();
  const parent = new Map(procs.map((p) => [p.pid, p.ppid]));
  const ours = (pid: number): boolean => {
    for (let at = pid, hops = 0; at > 1 && hops < 20; hops++) {
      if (at === process.pid) return true;
      at = parent.get(at) ?? 0;
    }
    return false;
  };
  const renderers = procs.filter((p) => p.cmdline.includes('--type=renderer') && ours(p.pid));
  return {
    largest: Math.max(0, ...renderers.map((r) => r.rss)),
    largestOwn: Math.max(0, ...renderers.map((r) => r.own)),
    all: renderers.reduce((n, r) => n + r.rss, 0),
  };
}

await runBench(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'bench-upload-'));
  onCleanup('remove the generated study', () => rm(dir, { recursive: true, force: true }));
  say(`generating ${thousands(FILES)} CT slices of ${SIZE}×${SIZE}…`);
  const files = await writeGeneratedSeries({
    modality: 'CT',
    slices: FILES,
    rows: SIZE,
    columns: SIZE,
    seed: 4242,
    patientId: 'BENCH-UPLOAD',
    outDir: dir,
  });
  let bytes = 0;
  for (const f of files) bytes += (await readFile(f)).length;
  say(`${thousands(FILES)} files, ${mb(bytes)}; starting the platform…`);

  const platform = await startPlatform({ ACCESS_TOKEN_TTL_SECONDS: '300' });
  onCleanup('stop the platform', () => platform.stop());
  const profile = await mkdtemp(join(tmpdir(), 'bench-upload-profile-'));
  onCleanup('remove the browser profile', () => rm(profile, { recursive: true, force: true }));
  const context = await launchProfile(profile);
  onCleanup('close Chromium', () => context.close());
  context.setDefaultTimeout(120_000);
  const page = context.pages()[0] ?? (await context.newPage());
  const cdp = await context.newCDPSession(page);
  await cdp.send('Performance.enable');

  await page.goto(`${platform.base}/upload`);
  await signIn(page, 'wangjianguo');
  await page.getByRole('heading', { name: '上传影像' }).waitFor();
  // the baseline, measured in the same run: the same tab on the same screen before any file is chosen
  await page.waitForLoadState('networkidle');
  const idle = await rendererMemory();
  const readStart = Date.now();
  await page.getByLabel('DICOM 文件', { exact: true }).setInputFiles(files);
  await page.getByText('将要发送').waitFor({ timeout: 600_000 });
  say(`headers of ${thousands(FILES)} files read in ${((Date.now() - readStart) / 1000).toFixed(1)} s`);

  let peakTab = 0;
  let peakTabOwn = 0;
  let peakAll = 0;
  let peakHeap = 0;
  const run = { sampling: true };
  const sampler = (async () => {
    while (run.sampling) {
      const m = await rendererMemory();
      peakTab = Math.max(peakTab, m.largest);
      peakTabOwn = Math.max(peakTabOwn, m.largestOwn);
      peakAll = Math.max(peakAll, m.all);
      const metrics = await cdp.send('Performance.getMetrics').catch(() => ({ metrics: [] }));
      const heap =
        metrics.metrics.find((x: { name: string; value: number }) => x.name === 'JSHeapTotalSize')?.value ??
        0;
      peakHeap = Math.max(peakHeap, heap);
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
  })();

  const sendStart = Date.now();
  await page.getByRole('button', { name: '发送', exact: true }).click();
  // done, or refused (no room to stage, a failed write): the screen's own words end the run
  const done = page.getByText(/发送完成/);
  const refused = page.getByRole('alert');
  await done.or(refused).first().waitFor({ timeout: 3_600_000 });
  if (!(await done.isVisible()))
    throw new Error(`the upload stopped: ${await refused.first().textContent()}`);
  const seconds = (Date.now() - sendStart) / 1000;
  run.sampling = false;
  await sampler;
  const stored = (await page.getByText(/发送完成/).textContent()) ?? '';

  say('');
  say(
    `sent:                 ${thousands(FILES)} files, ${mb(bytes)} in ${seconds.toFixed(1)} s (${mb(bytes / seconds)}/s)`,
  );
  say(`archive:              ${stored.trim()}`);
  say(`tab before choosing:  ${mb(idle.largestOwn)} own, ${mb(idle.largest)} resident (the baseline)`);
  say(`peak tab, its own:    ${mb(peakTabOwn)} (the tab's memory footprint)`);
  say(`ratio peak / before:  ${(peakTabOwn / idle.largestOwn).toFixed(2)} while sending ${mb(bytes)}`);
  say(`peak tab resident:    ${mb(peakTab)} (with the shared libraries and fonts)`);
  say(`peak all renderers:   ${mb(peakAll)} resident`);
  say(`peak page JS heap:    ${mb(peakHeap)}`);
  if (peakTabOwn > LIMIT_MB * 1_048_576) {
    throw new Error(`the tab took ${mb(peakTabOwn)} of its own memory, over the ${LIMIT_MB} MB limit`);
  }
});
