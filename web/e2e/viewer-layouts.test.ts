import { mkdir } from 'node:fs/promises';
import type { CaseAnnotations } from '@telemed/contracts';
import { generateSeries, generateSlicePixels, seriesUids, type SeriesOptions } from '@telemed/dicom';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';
import { claimedCase, SPECIALIST, storeInstances, TECHNICIAN } from './studies.js';
import { compare, readCanvas, waitForImage } from './viewer-canvas.js';

/**
 * The viewer's layouts, a prior study beside the current one with linked scrolling, and the arrow's text typed in
 * the viewer's own field.
 */

let p: Platform;
let browser: Browser;

const PATIENT = { mrn: 'QC-LAYOUT-1', name: '阿依努尔·托合提', sex: 'F' as const, birthDate: '1966-08-12' };
const STUDY = {
  modality: 'CT' as const,
  seed: 41,
  patientId: PATIENT.mrn,
  patientName: PATIENT.name,
  studyDate: '20261120',
};
// the current study: a 60-slice axial series (5.8 mm apart, +172 mm down to -172 mm) and a 20-slice one
const CURRENT: SeriesOptions = { ...STUDY, slices: 60, seriesNumber: 2, seriesDescription: 'Axial' };
const THICK: SeriesOptions = {
  ...STUDY,
  slices: 20,
  seriesNumber: 3,
  seriesDescription: 'Axial 17mm',
  studyInstanceUid: seriesUids(CURRENT).studyInstanceUid,
};
// the prior, a year and a half earlier: 50 slices 10 mm apart, +245 mm down to -245 mm
const PRIOR: SeriesOptions = {
  modality: 'CT',
  seed: 42,
  patientId: PATIENT.mrn,
  patientName: PATIENT.name,
  studyDate: '20250315',
  slices: 50,
  sliceThickness: 10,
  seriesNumber: 2,
  seriesDescription: 'Axial',
};

let current: string;

beforeAll(async () => {
  p = await startPlatform();
  browser = await launchChromium();
  await mkdir(SHOTS, { recursive: true });
  const tech = await p.login(TECHNICIAN);
  await claimedCase(p, PATIENT, seriesUids(PRIOR).studyInstanceUid);
  expect(await storeInstances(p, tech, generateSeries(PRIOR))).toBe(50);
  current = (await claimedCase(p, PATIENT, seriesUids(CURRENT).studyInstanceUid)).id;
  expect(await storeInstances(p, tech, generateSeries(CURRENT))).toBe(60);
  expect(await storeInstances(p, tech, generateSeries(THICK))).toBe(20);
}, 240_000);
afterAll(async () => {
  await browser.close();
  await p.stop();
});

const shot = (page: Page, name: string): Promise<unknown> => checkScreen(page, new URL(name, SHOTS).pathname);

/** The viewer of the current case, signed in as its specialist, its first image drawn. */
async function openViewer(): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(`${p.base}/cases/${current}/viewer`);
  await signIn(page, SPECIALIST);
  await waitForImage(page, 1, 60);
  return page;
}

/** Viewport `n` of the layout (counted from 1), as the reader names it. */
const pane = (page: Page, n: number): Locator =>
  page.getByRole('group', { name: new RegExp(`^视窗 ${String(n)}：`) });

/** The canvas of `where` matches the generated slice under the CT's own soft-tissue window. */
async function drawn(where: Locator, series: SeriesOptions, index: number): Promise<void> {
  const fit = compare(await readCanvas(where), generateSlicePixels(series, index), 40, 400);
  expect(fit.spread).toBeGreaterThan(30);
  expect(fit.worst).toBeLessThan(12);
  expect(fit.mean).toBeLessThan(4);
}

describe('the viewer with several viewports', () => {
  it('shows 2x2 viewports, each with its own series and scroll, opened by click or by drag', async () => {
    const page = await openViewer();
    const layouts = page.getByRole('group', { name: '布局' });
    await layouts.getByRole('button', { name: '2x2' }).click();
    await expect(layouts.getByRole('button', { name: '2x2' }).getAttribute('aria-pressed')).resolves.toBe(
      'true',
    );
    await expect(layouts.getByRole('button', { name: '1x1' }).getAttribute('aria-pressed')).resolves.toBe(
      'false',
    );
    await pane(page, 4).getByText('空视窗').waitFor();

    // the second viewport made active, the thick series clicked in the list opens there
    await pane(page, 2).getByRole('img').click();
    await expect(pane(page, 2).getAttribute('aria-current')).resolves.toBe('true');
    const list = page.getByRole('navigation', { name: '序列' });
    await list.getByRole('button', { name: /序列 3 · CT · Axial 17mm/ }).click();
    await waitForImage(pane(page, 2), 1, 20);
    await waitForImage(pane(page, 1), 1, 60);
    await drawn(pane(page, 1), CURRENT, 0);
    await drawn(pane(page, 2), THICK, 0);

    // keys act on the active viewport alone
    await page.keyboard.press('PageDown');
    await waitForImage(pane(page, 2), 11, 20);
    await drawn(pane(page, 2), THICK, 10);
    await waitForImage(pane(page, 1), 1, 60);

    // the current series dragged onto the third viewport opens there, at its own first slice
    await list
      .getByRole('button', { name: /序列 2 · CT · Axial · 60/ })
      .dragTo(pane(page, 3).getByRole('img'));
    await waitForImage(pane(page, 3), 1, 60);
    await expect(pane(page, 3).getAttribute('aria-current')).resolves.toBe('true');
    await page.keyboard.press('End');
    await waitForImage(pane(page, 3), 60, 60);
    await drawn(pane(page, 3), CURRENT, 59);
    await drawn(pane(page, 1), CURRENT, 0);
    await pane(page, 3).getByTestId('overlay-slice').getByText('层 60/60').waitFor();
    expect(await shot(page, 'viewer-2x2.png')).toEqual([]);
    await page.close();
  }, 180_000);

  it('opens a prior beside the current study, scrolled with it by patient position while linked', async () => {
    const page = await openViewer();
    const priors = page.getByRole('region', { name: '既往检查' });
    await priors.getByRole('button', { name: /2025-03-15 · CT/ }).click();

    // two side by side: this study on the left, the prior on the right, each named with its date
    const layouts = page.getByRole('group', { name: '布局' });
    await layouts.getByRole('button', { name: '1x2', pressed: true }).waitFor();
    await page.getByRole('group', { name: '视窗 1：本次检查 2026-11-20' }).waitFor();
    const prior = page.getByRole('group', { name: '视窗 2：既往检查 2025-03-15' });
    const link = page.getByRole('button', { name: '联动' });
    await expect(link.getAttribute('aria-pressed')).resolves.toBe('true');

    // the first slice here (+172 mm) goes with the prior's eighth (+175 mm), not its first (+245 mm)
    await waitForImage(prior, 8, 50);
    await drawn(prior, PRIOR, 7);
    // the last here (-172 mm) with the prior's 43rd (-175 mm), not its last
    await pane(page, 1).getByRole('slider', { name: '层面' }).fill('60');
    await waitForImage(pane(page, 1), 60, 60);
    await waitForImage(prior, 43, 50);
    await prior.getByTestId('overlay-slice').getByText('层 43/50').waitFor();
    await drawn(prior, PRIOR, 42);
    // scrolling the prior brings this study along too
    await prior.getByRole('slider', { name: '层面' }).fill('25');
    await waitForImage(pane(page, 1), 30, 60);

    await pane(page, 1).getByRole('slider', { name: '层面' }).fill('12');
    await waitForImage(pane(page, 1), 12, 60);
    await waitForImage(prior, 15, 50);
    expect(await shot(page, 'viewer-priors.png')).toEqual([]);

    // unlinked, each scrolls alone
    await link.click();
    await expect(link.getAttribute('aria-pressed')).resolves.toBe('false');
    await pane(page, 1).getByRole('img').click();
    await page.keyboard.press('Home');
    await waitForImage(pane(page, 1), 1, 60);
    await waitForImage(prior, 15, 50);
    await page.close();
  }, 180_000);

  it('keeps an arrow with the text typed beside it, edited and deleted from the measurements', async () => {
    const reader = await p.login(SPECIALIST);
    /** The arrows' texts as the case keeps them. */
    const savedArrows = async (): Promise<unknown[]> =>
      (await p.api<CaseAnnotations>(reader, 'GET', `/api/cases/${current}/annotations`)).annotations
        .filter((a) => a.tool === 'ArrowAnnotate')
        .map((a) => a.data.text);
    const page = await openViewer();
    await page.getByRole('button', { name: '箭头标注' }).click();
    const box = await page.getByRole('img', { name: /影像/ }).boundingBox();
    if (!box) throw new Error('the viewport has no box');
    await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2 + 50);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 8 });
    await page.mouse.up();

    const field = page.getByRole('textbox', { name: '标注文字' });
    await field.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.outerHTML.slice(0, 200)), { timeout: 5000 })
      .toMatch(/^<input/);
    await field.fill('右肺下叶结节');
    await page.keyboard.press('Enter');
    await field.waitFor({ state: 'detached' });
    const list = page.getByRole('list', { name: '测量' });
    await list.getByText('箭头 右肺下叶结节').waitFor();
    await page.getByRole('status').filter({ hasText: '测量已保存' }).waitFor();
    await expect.poll(savedArrows, { timeout: 10_000 }).toEqual(['右肺下叶结节']);

    // opened again: the arrow and its text are back
    await page.reload();
    await waitForImage(page, 1, 60);
    await list.getByText('箭头 右肺下叶结节').waitFor();

    // its text changed from the list, by keyboard
    await list.getByRole('button', { name: '修改箭头 右肺下叶结节的文字' }).focus();
    await page.keyboard.press('Enter');
    const edit = list.getByRole('textbox', { name: '标注文字' });
    await edit.fill('右肺下叶结节 8 mm');
    await page.keyboard.press('Enter');
    await list.getByText('箭头 右肺下叶结节 8 mm').waitFor();
    await expect.poll(savedArrows, { timeout: 10_000 }).toEqual(['右肺下叶结节 8 mm']);
    await page.reload();
    await waitForImage(page, 1, 60);
    await list.getByText('箭头 右肺下叶结节 8 mm').waitFor();

    // and deleted
    await list.getByRole('button', { name: '删除箭头 右肺下叶结节 8 mm' }).click();
    await page.getByText('尚无测量').waitFor();
    await expect.poll(savedArrows, { timeout: 10_000 }).toEqual([]);
    await page.reload();
    await waitForImage(page, 1, 60);
    await page.getByText('尚无测量').waitFor();
    await page.close();
  }, 180_000);
});
