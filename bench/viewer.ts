/**
 * `pnpm bench:viewer`: how fast a specialist reads on loopback. Opens the viewer on a case with a generated
 * 300-slice CT (512×512, 16 bits, about 158 MB) in Debian's headless Chromium and measures the time from opening the
 * case's viewer to the first image drawn, and to the whole series decoded into the viewer's cache; beside them, in
 * the same run and the same browser, the time to simply download the same instances over WADO-URI (six at a time, as
 * the viewer fetches them) and to download the first one alone. The ratios are the figures.
 *
 * Each round runs in a fresh browser context (nothing cached), the download and the viewer alternating; the median
 * of BENCH_ROUNDS (default 3) is reported. Environment: BENCH_SLICES (default 300), BENCH_ROUNDS. The platform and
 * its database are removed at the end, also after an error or Ctrl-C.
 */
import { generateSeries, seriesUids, type SeriesOptions } from '@telemed/dicom';
import { handleSignals, onCleanup, positiveInt, runBench, say } from './harness.js';
import { launchChromium, signIn } from '../web/e2e/browser.js';
import { startPlatform, type Platform } from '../web/e2e/platform.js';
import { claimedCase, SPECIALIST, storeInstances, TECHNICIAN } from '../web/e2e/studies.js';

const SLICES = positiveInt('BENCH_SLICES', 300, 2000);
const ROUNDS = positiveInt('BENCH_ROUNDS', 3, 20);
const CT: SeriesOptions = { modality: 'CT', slices: SLICES, seed: 77, patientId: 'BENCH-VIEW-1' };

handleSignals(() => undefined);

type Browser = Awaited<ReturnType<typeof launchChromium>>;
type Page = Awaited<ReturnType<Browser['newPage']>>;

// What runs in the page, as source: this file is type-checked for Node, without the DOM.
const DOWNLOAD = `async ({ study, series, instances }) => {
  const token = JSON.parse(localStorage.getItem('telemed.session') ?? '{}').accessToken ?? '';
  const get = async (uid) => {
    const url = '/wado?requestType=WADO&studyUID=' + study + '&seriesUID=' + series + '&objectUID=' + uid +
      '&contentType=application%2Fdicom';
    const res = await fetch(url, { headers: { authorization: 'Bearer ' + token }, cache: 'no-store' });
    if (!res.ok) throw new Error('WADO-URI answered ' + res.status);
    return (await res.arrayBuffer()).byteLength;
  };
  const t0 = performance.now();
  await get(instances[0]);
  const first = performance.now() - t0;
  const t1 = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < instances.length) await get(instances[next++]);
  };
  await Promise.all(Array.from({ length: 6 }, worker));
  return [performance.now() - t1, first];
}`;
const DRAWN = `(() => {
  const canvas = document.querySelector('.viewer-viewport canvas');
  const data = canvas?.getContext('2d')?.getImageData(0, 0, canvas.width, canvas.height).data;
  return !!data && data.some((v, i) => i % 4 === 0 && v > 50);
})()`;
const CACHED = `document.querySelector('[role=progressbar]')?.getAttribute('aria-valuenow') === '100'`;

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
};

/** A signed-in specialist in a fresh context: nothing in the browser's cache. */
async function freshPage(browser: Browser, p: Platform): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  context.setDefaultTimeout(300_000);
  const page = await context.newPage();
  await page.goto(`${p.base}/sign-in`);
  await signIn(page, SPECIALIST);
  await page.getByRole('heading', { name: '工作列表' }).waitFor();
  return page;
}

/** Milliseconds to download the series' instances over WADO-URI, `parallel` at a time, and the first one alone. */
async function download(
  page: Page,
  study: string,
  series: string,
  instances: string[],
): Promise<[number, number]> {
  return page.evaluate<[number, number]>(`(${DOWNLOAD})(${JSON.stringify({ study, series, instances })})`);
}

/** Milliseconds from opening the viewer to the first image drawn and to the whole series cached. */
async function view(page: Page, p: Platform, caseId: string): Promise<[number, number]> {
  const t0 = Date.now();
  await page.goto(`${p.base}/cases/${caseId}/viewer`);
  await page.getByRole('img', { name: `影像 1/${SLICES}` }).waitFor();
  // drawn: the canvas has the body's pixels, not only a black frame
  await page.waitForFunction(DRAWN);
  const first = Date.now() - t0;
  await page.waitForFunction(CACHED, undefined, { polling: 50 });
  return [first, Date.now() - t0];
}

await runBench(async () => {
  say('starting the platform (api, router, gateway) on a throwaway database…');
  const p = await startPlatform();
  onCleanup('the platform', () => p.stop());
  const uids = seriesUids(CT);
  const c = await claimedCase(
    p,
    { mrn: 'BENCH-VIEW-1', name: '买买提·艾力', sex: 'M', birthDate: '1960-05-05' },
    uids.studyInstanceUid,
  );
  say(`sending a ${SLICES}-slice CT over STOW-RS…`);
  await storeInstances(p, await p.login(TECHNICIAN), generateSeries(CT));
  const browser = await launchChromium();
  onCleanup('Chromium', () => browser.close());

  const downloads: number[] = [];
  const firstDownloads: number[] = [];
  const firsts: number[] = [];
  const wholes: number[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const fetcher = await freshPage(browser, p);
    const [all, one] = await download(
      fetcher,
      uids.studyInstanceUid,
      uids.seriesInstanceUid,
      uids.sopInstanceUids,
    );
    await fetcher.context().close();
    const reader = await freshPage(browser, p);
    const [first, whole] = await view(reader, p, c.id);
    await reader.context().close();
    downloads.push(all);
    firstDownloads.push(one);
    firsts.push(first);
    wholes.push(whole);
    say(
      `round ${round}: download ${all.toFixed(0)} ms (first instance ${one.toFixed(0)} ms); viewer first image ${first} ms, series cached ${whole} ms`,
    );
  }
  const [d, d1, f, w] = [median(downloads), median(firstDownloads), median(firsts), median(wholes)];
  say('');
  say(`${SLICES}-slice CT, 512×512, loopback, headless Chromium, median of ${ROUNDS} rounds:`);
  say(
    `download the series (WADO-URI, 6 at a time): ${d.toFixed(0)} ms; the first instance alone: ${d1.toFixed(0)} ms`,
  );
  say(`viewer, opening to first image drawn:        ${f} ms  (${(f / d).toFixed(2)}× the series download)`);
  say(`viewer, opening to whole series cached:      ${w} ms  (${(w / d).toFixed(2)}× the series download)`);
});
