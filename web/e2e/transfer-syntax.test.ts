import { execFileSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';
import { claimedCase, SPECIALIST, storeInstances, TECHNICIAN } from './studies.js';

/** Debian's Python with python3-pydicom and numpy. */
const PYTHON = process.env.PYTHON ?? '/usr/bin/python3';
const SAMPLES = new URL('./fixtures/transfer-syntax-samples.py', import.meta.url).pathname;

/** One sample as the script describes it: its file and the values pydicom decodes from its uncompressed original. */
interface Sample {
  name: string;
  file: string;
  kind: 'mono' | 'rgb';
  photometric: string;
  rows: number;
  columns: number;
  frames: number;
  lossy: boolean;
  /** modality values (mono) or RGB triples, row by row, of the first frame */
  values: number[];
}

let p: Platform;
let browser: Browser;
let dir: string;

beforeAll(async () => {
  p = await startPlatform();
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'viewer-syntaxes-'));
  await mkdir(SHOTS, { recursive: true });
}, 180_000);
afterAll(async () => {
  await browser.close();
  await p.stop();
  await rm(dir, { recursive: true, force: true });
});

/** The grey level cornerstone draws for a modality value under a linear window. */
function grey(x: number, center: number, width: number): number {
  if (x <= center - 0.5 - (width - 1) / 2) return 0;
  if (x > center - 0.5 + (width - 1) / 2) return 255;
  return ((x - (center - 0.5)) / (width - 1) + 0.5) * 255;
}

/**
 * The canvas's red, green and blue at the centre of each image pixel of the middle 80% of the image (where the
 * drawing, smoothed or not, shows the pixel's own value), row by row.
 */
async function sampleCanvas(page: Page, rows: number, columns: number): Promise<[number, number, number][]> {
  return page.evaluate(
    ({ rows, columns }) => {
      const canvas = document.querySelector<HTMLCanvasElement>('.viewer-viewport canvas');
      const context = canvas?.getContext('2d');
      if (!canvas || !context) throw new Error('no 2D canvas in the viewport');
      const data = context.getImageData(0, 0, canvas.width, canvas.height).data;
      const scale = Math.min(canvas.width / columns, canvas.height / rows);
      const out: [number, number, number][] = [];
      for (let iy = Math.floor(rows * 0.1); iy < Math.ceil(rows * 0.9); iy++) {
        for (let ix = Math.floor(columns * 0.1); ix < Math.ceil(columns * 0.9); ix++) {
          const cx = Math.floor((ix + 0.5 - columns / 2) * scale + canvas.width / 2);
          const cy = Math.floor((iy + 0.5 - rows / 2) * scale + canvas.height / 2);
          const at = (cy * canvas.width + cx) * 4;
          out.push([data[at] ?? 0, data[at + 1] ?? 0, data[at + 2] ?? 0]);
        }
      }
      return out;
    },
    { rows, columns },
  );
}

/** The same pixels as the sample's expected values, drawn under the window the overlay shows. */
function expectedOf(sample: Sample, center: number, width: number): [number, number, number][] {
  const out: [number, number, number][] = [];
  const { rows, columns } = sample;
  for (let iy = Math.floor(rows * 0.1); iy < Math.ceil(rows * 0.9); iy++) {
    for (let ix = Math.floor(columns * 0.1); ix < Math.ceil(columns * 0.9); ix++) {
      const i = iy * columns + ix;
      if (sample.kind === 'rgb') {
        out.push([sample.values[i * 3] ?? 0, sample.values[i * 3 + 1] ?? 0, sample.values[i * 3 + 2] ?? 0]);
      } else {
        let g = grey(sample.values[i] ?? 0, center, width);
        if (sample.photometric === 'MONOCHROME1') g = 255 - g;
        out.push([g, g, g]);
      }
    }
  }
  return out;
}

describe('every transfer syntax a county PACS sends', () => {
  it('renders pydicom and dcmtk samples as pydicom decodes them', async () => {
    const studyUid = `2.25.${randomInt(1, 2 ** 47)}${randomInt(1, 2 ** 47)}`;
    const manifest = JSON.parse(
      execFileSync(PYTHON, [SAMPLES, dir, studyUid, 'QC-TS-1'], { encoding: 'utf8', maxBuffer: 64 << 20 }),
    ) as Sample[];
    expect(manifest.length).toBeGreaterThanOrEqual(16);
    const c = await claimedCase(
      p,
      { mrn: 'QC-TS-1', name: '艾力·库尔班', sex: 'M', birthDate: '1970-01-01' },
      studyUid,
    );
    const tech = await p.login(TECHNICIAN);
    const files = await Promise.all(manifest.map((s) => readFile(s.file)));
    expect(
      await storeInstances(
        p,
        tech,
        files.map((f) => new Uint8Array(f)),
        4,
      ),
    ).toBe(manifest.length);

    const page = await newPage(browser);
    await page.goto(`${p.base}/cases/${c.id}/viewer`);
    await signIn(page, SPECIALIST);
    const series = page.getByRole('navigation', { name: '序列' });
    await series.getByRole('button').first().waitFor();
    const failures: string[] = [];
    for (const [n, sample] of manifest.entries()) {
      await series.getByRole('button', { name: new RegExp(` ${sample.name} `) }).click();
      await page.getByText(`序列 ${n + 1} ${sample.name}`, { exact: true }).waitFor();
      await page.getByRole('img', { name: `影像 1/${sample.frames}` }).waitFor();
      await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
      const wl = (await page.getByTestId('overlay-slice').textContent()) ?? '';
      const [, center = '0', width = '1'] = /窗位 (-?\d+) 窗宽 (\d+)/.exec(wl) ?? [];
      const shown = await sampleCanvas(page, sample.rows, sample.columns);
      const expected = expectedOf(sample, Number(center), Number(width));
      const errors = shown.flatMap((px, i) => px.map((v, k) => Math.abs(v - (expected[i]?.[k] ?? 0))));
      errors.sort((a, b) => a - b);
      const mean = errors.reduce((a, b) => a + b, 0) / errors.length;
      const p95 = errors[Math.floor(errors.length * 0.95)] ?? 0;
      const spread = Math.max(...expected.flat()) - Math.min(...expected.flat());
      const [meanLimit, p95Limit] = sample.lossy ? [6, 20] : [3, 8];
      const line = `${sample.name}: mean ${mean.toFixed(2)}, p95 ${p95.toFixed(1)}, spread ${spread.toFixed(0)}`;
      process.stdout.write(`${line}\n`);
      if (mean > meanLimit || p95 > p95Limit || spread < 50) failures.push(line);
      await checkScreen(page, new URL(`viewer-syntax-${sample.name}.png`, SHOTS).pathname);
      if (sample.frames > 1) {
        await page.keyboard.press('ArrowDown');
        await page.getByRole('img', { name: `影像 2/${sample.frames}` }).waitFor();
      }
    }
    expect(failures).toEqual([]);
    await page.close();
  }, 300_000);
});
