import { mkdir } from 'node:fs/promises';
import { generateSeries, generateSlicePixels, seriesUids, type SeriesOptions } from '@telemed/dicom';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';
import { claimedCase, SPECIALIST, storeInstances, TECHNICIAN } from './studies.js';
import { compare, CT_PIXEL_MM, CT_SIZE, readCanvas, waitForImage } from './viewer-canvas.js';

let p: Platform;
let browser: Browser;

const CT: SeriesOptions = {
  modality: 'CT',
  slices: 300,
  seed: 31,
  patientId: 'QC-VIEW-1',
  patientName: '吐尔逊·买买提',
};

beforeAll(async () => {
  p = await startPlatform();
  browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
}, 180_000);
afterAll(async () => {
  await browser.close();
  await p.stop();
});

const shot = (page: Page, name: string): Promise<unknown> => checkScreen(page, new URL(name, SHOTS).pathname);

describe('the viewer', () => {
  it('shows a 300-slice CT first image first, scrolls to the last, windows, measures and keeps the measurement', async () => {
    const uids = seriesUids(CT);
    const c = await claimedCase(
      p,
      { mrn: 'QC-VIEW-1', name: '吐尔逊·买买提', sex: 'M', birthDate: '1958-03-02' },
      uids.studyInstanceUid,
    );
    const tech = await p.login(TECHNICIAN);
    expect(await storeInstances(p, tech, generateSeries(CT))).toBe(300);

    // the specialist opens the viewer from the case page
    const page = await newPage(browser);
    await page.goto(`${p.base}/cases/${c.id}`);
    await signIn(page, SPECIALIST);
    await page.getByRole('button', { name: '阅片', exact: true }).click();
    await page.getByRole('heading', { name: /阅片/ }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/cases/${c.id}/viewer`);

    // the first image, drawn as the generator made it under the series' own soft-tissue window
    await waitForImage(page, 1, 300);
    const overlay = page.getByTestId('overlay-slice');
    await overlay.getByText('窗位 40 窗宽 400').waitFor();
    const first = compare(await readCanvas(page), generateSlicePixels(CT, 0), 40, 400);
    expect(first.spread).toBeGreaterThan(60);
    expect(first.worst).toBeLessThan(12);
    expect(first.mean).toBeLessThan(4);

    // the rest of the series arrives in the background, with its progress shown
    const progress = page.getByRole('progressbar', { name: '序列加载进度' });
    await progress.waitFor();
    await expect
      .poll(() => progress.getAttribute('aria-valuenow'), { timeout: 120_000, interval: 250 })
      .toBe('100');
    expect(await shot(page, 'viewer-ct.png')).toEqual([]);

    // wheel, keys and scrollbar; the last slice is the generator's last
    await page.getByRole('img', { name: /影像/ }).hover();
    await page.mouse.wheel(0, 100);
    await waitForImage(page, 2, 300);
    await page.keyboard.press('PageDown');
    await waitForImage(page, 12, 300);
    await page.getByRole('slider', { name: '层面' }).fill('150');
    await waitForImage(page, 150, 300);
    await page.keyboard.press('End');
    await waitForImage(page, 300, 300);
    await overlay.getByText('层 300/300').waitFor();
    const last = compare(await readCanvas(page), generateSlicePixels(CT, 299), 40, 400);
    expect(last.worst).toBeLessThan(12);
    expect(last.spread).toBeGreaterThan(30);

    // the lung window draws other pixels, and the right ones
    await page.keyboard.press('Home');
    await waitForImage(page, 1, 300);
    const before = await readCanvas(page);
    await page.getByRole('group', { name: '窗宽窗位预设' }).getByRole('button', { name: '肺窗' }).click();
    await overlay.getByText('窗位 -600 窗宽 1500').waitFor();
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
    const lung = await readCanvas(page);
    const changed = lung.red.filter((v, i) => Math.abs(v - (before.red[i] ?? 0)) > 20).length;
    expect(changed / lung.red.length).toBeGreaterThan(0.05);
    const lungFit = compare(lung, generateSlicePixels(CT, 0), -600, 1500);
    expect(lungFit.worst).toBeLessThan(12);
    expect(lungFit.mean).toBeLessThan(4);

    // a length drawn across the image reads its millimetres from the pixel spacing
    const box = await page.getByRole('img', { name: /影像/ }).boundingBox();
    if (!box) throw new Error('the viewport has no box');
    const canvas = await readCanvas(page);
    const scale = Math.min(canvas.width / CT_SIZE, canvas.height / CT_SIZE);
    await page.getByRole('button', { name: '长度测量' }).click();
    const from = { x: box.x + box.width / 2 - 120, y: box.y + box.height / 2 - 40 };
    const to = { x: box.x + box.width / 2 + 90, y: box.y + box.height / 2 + 60 };
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.up();
    const expectedMm = (Math.hypot(to.x - from.x, to.y - from.y) / scale) * CT_PIXEL_MM;
    const list = page.getByRole('list', { name: '测量' });
    const item = list.getByRole('listitem').filter({ hasText: '长度' });
    await item.waitFor();
    const text = (await item.textContent()) ?? '';
    const mm = Number(/长度 ([\d.]+) mm/.exec(text)?.[1]);
    expect(Math.abs(mm - expectedMm)).toBeLessThan(1);
    await page.getByRole('status').filter({ hasText: '测量已保存' }).waitFor();
    expect(await shot(page, 'viewer-length.png')).toEqual([]);

    // opened again: the measurement is back
    await page.reload();
    await waitForImage(page, 1, 300);
    await page
      .getByRole('list', { name: '测量' })
      .getByText(`长度 ${mm.toFixed(1)} mm`)
      .waitFor();
    await page.close();

    // the county side sees it, read only
    const county = await newPage(browser);
    await county.goto(`${p.base}/cases/${c.id}/viewer`);
    await signIn(county, TECHNICIAN);
    await waitForImage(county, 1, 300);
    await county
      .getByRole('list', { name: '测量' })
      .getByText(`长度 ${mm.toFixed(1)} mm`)
      .waitFor();
    await county.getByText('只读：测量由阅片医生标注').waitFor();
    await expect(county.getByRole('button', { name: '长度测量' }).count()).resolves.toBe(0);
    expect(await shot(county, 'viewer-county.png')).toEqual([]);
    await county.close();
  }, 300_000);
});
