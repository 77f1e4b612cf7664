import { mkdir } from 'node:fs/promises';
import { generateSeries, seriesUids, type SeriesOptions } from '@telemed/dicom';
import type { CaseAnnotations } from '@telemed/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, FAKE_MEDIA, launchChromium, openConsult, SHOTS } from './browser.js';
import { startPlatform, type Platform } from './platform.js';
import { claimedCase, SPECIALIST, storeInstances, TECHNICIAN } from './studies.js';

/**
 * The shared reading of a video consult: both sides open the case's study in their own viewer; the presenter's
 * slice, window and pointer are followed by the other side, and the presenter's role passes from one to the other.
 * What either side draws appears on the other's viewer, on the same image, with who drew it.
 */

let p: Platform;
let browser: Browser;

const MARKED: SeriesOptions = {
  modality: 'CT',
  slices: 20,
  seed: 11,
  patientId: 'QC-CONSULT-MARK-1',
  patientName: '阿依古丽·买买提',
};

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

  it('shows each side’s marks on the other’s viewer as they are drawn, and clears them on both', async () => {
    const uids = seriesUids(MARKED);
    const c = await claimedCase(
      p,
      { mrn: 'QC-CONSULT-MARK-1', name: '阿依古丽·买买提', sex: 'F', birthDate: '1983-02-17' },
      uids.studyInstanceUid,
    );
    const tech = await p.login(TECHNICIAN);
    expect(await storeInstances(p, tech, generateSeries(MARKED))).toBe(20);

    const city = await openConsult(browser, p.base, SPECIALIST, c.id);
    await city.getByText('等待对方加入…').waitFor();
    const county = await openConsult(browser, p.base, TECHNICIAN, c.id);
    await city.getByText('等待对方加入…').waitFor({ state: 'detached' });
    await city.getByRole('button', { name: '打开共享阅片' }).click();
    const cityReading = city.getByRole('region', { name: '共享阅片' });
    const countyReading = county.getByRole('region', { name: '共享阅片' });
    await shows(city, 1, 20);
    await shows(county, 1, 20);
    await cityReading.getByRole('slider', { name: '层面' }).fill('12');
    await shows(city, 12, 20);
    await shows(county, 12, 20);

    // the specialist measures a length on slice 12
    await cityReading.getByRole('button', { name: '长度测量' }).click();
    const box = await cityReading.getByRole('img', { name: '影像 12/20' }).boundingBox();
    if (!box) throw new Error('the specialist’s viewport has no box');
    await city.mouse.move(box.x + box.width / 2 - 100, box.y + box.height / 2 - 30);
    await city.mouse.down();
    await city.mouse.move(box.x + box.width / 2 + 80, box.y + box.height / 2 + 50, { steps: 12 });
    await city.mouse.up();
    const cityList = cityReading.getByRole('list', { name: '测量' });
    const cityLength = cityList.getByRole('listitem').filter({ hasText: '长度' });
    await cityLength.getByText(/长度 [\d.]+ mm/).waitFor();
    const mm = /长度 [\d.]+ mm/.exec((await cityLength.textContent()) ?? '')?.[0] ?? '';
    expect(mm).not.toBe('');

    // the technician's viewer shows it on the same slice, measured from its own pixels to the same millimetres,
    // with who drew it
    const countyList = countyReading.getByRole('list', { name: '测量' });
    const seenLength = countyList.getByRole('listitem').filter({ hasText: mm });
    await seenLength.waitFor();
    expect(await seenLength.textContent()).toMatch(/陈静.*第 12 幅/);
    await shows(county, 12, 20);

    // the technician, who may not annotate the case, points with an arrow; the specialist sees it
    await countyReading.getByRole('button', { name: '箭头标注' }).click();
    const countyBox = await countyReading.getByRole('img', { name: '影像 12/20' }).boundingBox();
    if (!countyBox) throw new Error('the technician’s viewport has no box');
    await county.mouse.move(countyBox.x + countyBox.width / 2 + 120, countyBox.y + countyBox.height / 2 - 90);
    await county.mouse.down();
    await county.mouse.move(countyBox.x + countyBox.width / 2 + 40, countyBox.y + countyBox.height / 2 - 20, {
      steps: 10,
    });
    await county.mouse.up();
    // the arrow's text, typed in the field that opens beside it
    await countyReading.getByRole('textbox', { name: '标注文字' }).fill('请看这里');
    await county.keyboard.press('Enter');
    const seenArrow = cityList.getByRole('listitem').filter({ hasText: '箭头 请看这里' });
    await seenArrow.waitFor();
    expect(await seenArrow.textContent()).toMatch(/王建国.*第 12 幅/);
    await countyList.getByRole('listitem').filter({ hasText: '箭头 请看这里' }).waitFor();
    await countyReading.getByText('会诊中的标注实时显示给对方，不保存到病例').waitFor();
    // the case keeps the specialist's own length, never the technician's arrow
    // (what the case holds, asked until the save that follows a drawing has been made)
    const reader = await p.login(SPECIALIST);
    const keptTools = async (): Promise<string[]> =>
      (await p.api<CaseAnnotations>(reader, 'GET', `/api/cases/${c.id}/annotations`)).annotations.map(
        (a) => a.tool,
      );
    await expect.poll(keptTools, { timeout: 20_000 }).toEqual(['Length']);
    await cityReading.getByRole('status').filter({ hasText: '测量已保存' }).waitFor();
    expect(await shot(city, 'consult-marks-specialist.png')).toEqual([]);
    expect(await shot(county, 'consult-marks-technician.png')).toEqual([]);

    // each clears their own, on both sides
    await countyReading.getByRole('button', { name: '清除我的标注' }).click();
    await seenArrow.waitFor({ state: 'detached' });
    await countyList.getByRole('listitem').filter({ hasText: '箭头' }).waitFor({ state: 'detached' });
    await seenLength.waitFor();
    await cityReading.getByRole('button', { name: '清除我的标注' }).click();
    await seenLength.waitFor({ state: 'detached' });
    await cityLength.waitFor({ state: 'detached' });
    await countyReading.getByText('尚无测量').waitFor();
    // the specialist's cleared length leaves the case as well
    await expect
      .poll(
        async () =>
          (await p.api<CaseAnnotations>(reader, 'GET', `/api/cases/${c.id}/annotations`)).annotations.length,
        { timeout: 10_000 },
      )
      .toBe(0);

    await city.close();
    await county.close();
  }, 240_000);
});
