import { mkdir } from 'node:fs/promises';
import { generateSeries, seriesUids, type SeriesOptions } from '@telemed/dicom';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, FAKE_MEDIA, launchChromium, openConsult, SHOTS } from './browser.js';
import { startPlatform, type Platform } from './platform.js';
import { claimedCase, SPECIALIST, storeInstances, TECHNICIAN } from './studies.js';

/**
 * The shared reading of a video consult: both sides open the case's study in their own viewer; the presenter's
 * slice, window and pointer are followed by the other side, and the presenter's role passes from one to the other.
 */

let p: Platform;
let browser: Browser;

const CT: SeriesOptions = {
  modality: 'CT',
  slices: 40,
  seed: 7,
  patientId: 'QC-CONSULT-VIEW-1',
  patientName: '麦麦提·艾力',
};

beforeAll(async () => {
  p = await startPlatform();
  browser = await launchChromium(FAKE_MEDIA);
  await mkdir(SHOTS, { recursive: true });
}, 180_000);
afterAll(async () => {
  await browser.close();
  await p.stop();
});

const shot = (page: Page, name: string): Promise<unknown> => checkScreen(page, new URL(name, SHOTS).pathname);

/** The slice and window the page's viewer shows, from its overlay. */
async function shows(page: Page, slice: number, total: number, wl?: string): Promise<void> {
  const reading = page.getByRole('region', { name: '共享阅片' });
  await reading.getByRole('img', { name: `影像 ${String(slice)}/${String(total)}` }).waitFor();
  if (wl) await reading.getByTestId('overlay-slice').getByText(wl).waitFor();
}

describe('the shared reading of a consult', () => {
  it('follows the presenter: series, slice, window and pointer, then the other side presents', async () => {
    const uids = seriesUids(CT);
    const c = await claimedCase(
      p,
      { mrn: 'QC-CONSULT-VIEW-1', name: '麦麦提·艾力', sex: 'M', birthDate: '1971-05-09' },
      uids.studyInstanceUid,
    );
    const tech = await p.login(TECHNICIAN);
    expect(await storeInstances(p, tech, generateSeries(CT))).toBe(40);

    // the specialist starts the consult, so presents; the technician joins
    const city = await openConsult(browser, p.base, SPECIALIST, c.id);
    await city.getByText('等待对方加入…').waitFor();
    const county = await openConsult(browser, p.base, TECHNICIAN, c.id);
    await city.getByText('等待对方加入…').waitFor({ state: 'detached' });

    await city.getByRole('button', { name: '打开共享阅片' }).click();
    await shows(city, 1, 40);
    // the technician's viewer opens by itself on the same image, rendered from its own copy of the study
    await shows(county, 1, 40, '窗位 40 窗宽 400');

    // the presenter scrolls and windows; the follower's viewer matches
    const cityReading = city.getByRole('region', { name: '共享阅片' });
    await cityReading.getByRole('slider', { name: '层面' }).fill('25');
    await shows(city, 25, 40);
    await shows(county, 25, 40);
    await cityReading
      .getByRole('group', { name: '窗宽窗位预设' })
      .getByRole('button', { name: '肺窗' })
      .click();
    await shows(city, 25, 40, '窗位 -600 窗宽 1500');
    await shows(county, 25, 40, '窗位 -600 窗宽 1500');

    // the presenter's pointer shows on the follower's image, at the same image pixel
    const viewport = cityReading.getByRole('img', { name: '影像 25/40' });
    const box = await viewport.boundingBox();
    if (!box) throw new Error('the presenter’s viewport has no box');
    await city.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await city.mouse.move(box.x + box.width / 2 + 20, box.y + box.height / 2 + 10, { steps: 4 });
    const laser = county.getByRole('img', { name: '主讲人指针' });
    await laser.waitFor();
    // the pointer follows the presenter's last move: right of and below the middle of the fitted 512-pixel image
    const where = async (): Promise<string> => {
      const x = Number(await laser.getAttribute('data-x'));
      const y = Number(await laser.getAttribute('data-y'));
      return x > 256 && x < 320 && y > 256 && y < 300
        ? 'right of and below the middle'
        : `at ${String(x)},${String(y)}`;
    };
    await expect.poll(where, { timeout: 10_000 }).toBe('right of and below the middle');
    expect(await shot(city, 'consult-reading-presenter.png')).toEqual([]);
    expect(await shot(county, 'consult-reading-follower.png')).toEqual([]);

    // the presenter hands over; now the technician drives and the specialist follows
    await city.getByRole('button', { name: '交给 TA 主讲' }).click();
    await county.getByText(/您在主讲/).waitFor();
    const countyReading = county.getByRole('region', { name: '共享阅片' });
    await countyReading.getByRole('slider', { name: '层面' }).fill('31');
    await shows(county, 31, 40);
    await shows(city, 31, 40, '窗位 -600 窗宽 1500');
    await city.getByText(/跟随主讲人的阅片/).waitFor();

    await city.close();
    await county.close();
  }, 240_000);
});
