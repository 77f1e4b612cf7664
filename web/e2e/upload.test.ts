import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case, CasePage } from '@telemed/contracts';
import { readHeaderSummary } from '@telemed/dicom';
import { writeGeneratedSeries } from '@telemed/dicom/node';
import type { Browser, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';

let p: Platform;
let browser: Browser;
let tech: string;
let dir: string;

beforeAll(async () => {
  // a token that lives 30 s: every upload here outlives it, so the upload must refresh it as it goes
  p = await startPlatform({ ACCESS_TOKEN_TTL_SECONDS: '30' });
  browser = await launchChromium();
  tech = await p.login('wangjianguo');
  dir = await mkdtemp(join(tmpdir(), 'upload-e2e-'));
}, 120_000);
afterAll(async () => {
  await browser.close();
  await p.stop();
  await rm(dir, { recursive: true, force: true });
});

/** A 100-slice CT series written as Part 10 files, and a request form that is not DICOM beside it. */
async function ctSeries(name: string, seed: number, size: number, patientName: string): Promise<string[]> {
  const out = join(dir, name);
  const files = await writeGeneratedSeries({
    modality: 'CT',
    slices: 100,
    rows: size,
    columns: size,
    seed,
    patientName,
    patientId: `QC-E2E-${seed}`,
    charset: 'ISO_IR 192',
    seriesDescription: 'AXIAL 5mm',
    outDir: out,
  });
  const form = join(out, '申请单.txt');
  await writeFile(form, '检查申请：头痛三天，排除脑出血。');
  return [...files, form];
}

/** Chromium's network emulation, in bits per second each way. */
async function link(cdp: CDPSession, bitsPerSecond: number, latency: number, offline = false): Promise<void> {
  await cdp.send('Network.emulateNetworkConditions', {
    offline,
    latency,
    downloadThroughput: bitsPerSecond / 8,
    uploadThroughput: bitsPerSecond / 8,
  });
}

const overall = (page: Page) => page.getByRole('progressbar', { name: /已发送/ });

/** The overall progress in percent, as the bar tells assistive technology. */
async function percentSent(page: Page): Promise<number> {
  return Number((await overall(page).getAttribute('aria-valuenow')) ?? 0);
}

async function waitForPercent(page: Page, atLeast: number, timeoutMs = 60_000): Promise<number> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const now = await percentSent(page).catch(() => 0);
    if (now >= atLeast) return now;
    if (Date.now() > until) throw new Error(`the upload stayed at ${now}%`);
    await page.waitForTimeout(100);
  }
}

/** Opens the upload screen signed in, chooses the files, and checks the plan shown. */
async function choose(page: Page, files: string[], patient: string, shot?: string): Promise<void> {
  await page.goto(`${p.base}/upload`);
  await signIn(page, 'wangjianguo');
  await page.getByRole('heading', { name: '上传影像' }).waitFor();
  if (shot) expect(await checkScreen(page, new URL(shot, SHOTS).pathname)).toEqual([]);
  await page.getByLabel('DICOM 文件', { exact: true }).setInputFiles(files);
  const plan = page.getByRole('region', { name: '将要发送' });
  await plan.waitFor({ timeout: 30_000 });
  await expect(plan.locator('bdi').first().textContent()).resolves.toBe(patient);
  const row = page.getByRole('row').filter({ hasText: 'AXIAL 5mm' });
  await expect(row.getByRole('cell').allTextContents()).resolves.toEqual(
    expect.arrayContaining(['CT', '100']),
  );
  await page.getByText('非 DICOM 文件 1 个').waitFor();
}

interface QidoStudy {
  '00201208'?: { Value?: number[] };
  '00100010'?: { Value?: { Alphabetic?: string }[] };
}

async function instancesStored(studyUid: string): Promise<number> {
  const studies = await p.api<QidoStudy[]>(tech, 'GET', `/dicomweb/studies?StudyInstanceUID=${studyUid}`);
  return studies[0]?.['00201208']?.Value?.[0] ?? 0;
}

/** What the page's private file system still holds of uploads. */
async function staged(page: Page): Promise<string[]> {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const uploads = await root.getDirectoryHandle('uploads', { create: true });
    const names: string[] = [];
    for await (const name of (uploads as unknown as { keys(): AsyncIterable<string> }).keys())
      names.push(name);
    return names;
  });
}

describe('the upload screen', () => {
  it('sends a CT over a 20 Mb/s link that drops for 5 s, resumes by itself, and opens and submits its case', async () => {
    const files = await ctSeries('ct-20', 31, 256, 'ئابلىمىت^ھەسەن');
    const page = await newPage(browser);
    await choose(page, files, 'ئابلىمىت ھەسەن', 'upload-start.png');
    expect(await checkScreen(page, new URL('upload-plan.png', SHOTS).pathname)).toEqual([]);

    const cdp = await page.context().newCDPSession(page);
    await link(cdp, 20_000_000, 20);
    const started = Date.now();
    await page.getByRole('button', { name: '发送' }).click();
    const quarter = (await waitForPercent(page, 25)) / 100;
    // the emulated link throttles the upload's request bodies: a quarter of 13 MB takes over a second at 20 Mb/s
    // (on loopback unthrottled it takes a tenth of that)
    const bytes = 100 * 256 * 256 * 2;
    const toQuarter = (Date.now() - started) / 1000;
    process.stdout.write(`20 Mb/s: ${Math.round(quarter * 100)}% of ${bytes} bytes in ${toQuarter} s\n`);
    expect(toQuarter).toBeGreaterThan(((quarter * bytes * 8) / 20_000_000) * 0.8);
    await link(cdp, 20_000_000, 20, true);
    await page.getByText('网络已断开，恢复后自动继续').waitFor();
    const atDrop = await percentSent(page);
    expect(await checkScreen(page, new URL('upload-offline.png', SHOTS).pathname)).toEqual([]);
    await page.waitForTimeout(5_000);
    // nothing moves while the link is down
    expect(await percentSent(page)).toBe(atDrop);
    await link(cdp, 20_000_000, 20);
    await page.getByText(/发送完成/).waitFor({ timeout: 60_000 });
    const seconds = (Date.now() - started) / 1000;
    expect(await checkScreen(page, new URL('upload-done.png', SHOTS).pathname)).toEqual([]);
    // 100 slices of 256x256x16 bits are 13 MB: at 20 Mb/s over 5 s, plus the 5 s without a link
    expect(seconds).toBeGreaterThan(5 + ((bytes * 8) / 20_000_000) * 0.8);
    await page.getByText('发送完成：影像库已保存 100 幅图像').waitFor();
    expect(await staged(page)).toEqual([]);

    await page.getByRole('button', { name: '为此检查创建病例' }).click();
    await page.getByRole('heading', { name: '新建会诊病例' }).waitFor();
    await expect(page.getByLabel('病历号').inputValue()).resolves.toBe('QC-E2E-31');
    await page.getByLabel('临床问题').fill('头痛三天，排除脑出血');
    expect(await checkScreen(page, new URL('upload-new-case.png', SHOTS).pathname)).toEqual([]);
    await page.getByRole('button', { name: '保存并提交' }).click();
    await page.waitForURL(/\/cases$/);

    // the test's own token has run out by now
    tech = await p.login('wangjianguo');
    const cases = await p.api<CasePage>(tech, 'GET', '/api/cases?limit=50');
    const c = cases.items.find((x: Case) => x.patient.mrn === 'QC-E2E-31');
    expect(c && ['submitted', 'assigned']).toContain(c?.state);
    // the case names the study the files carry, and the archive holds all of it
    const sent = readHeaderSummary(new Uint8Array(await readFile(files[0] ?? '')));
    expect(c?.studyInstanceUid).toBe(sent.studyInstanceUid);
    expect(await instancesStored(sent.studyInstanceUid)).toBe(100);
    await page.close();
  }, 180_000);

  it('on a 2 Mb/s link with 300 ms latency, finishes by itself after a reload mid-upload', async () => {
    const files = await ctSeries('ct-2', 32, 64, '古丽^努尔');
    const page = await newPage(browser);
    await choose(page, files, '古丽 努尔');
    // sent de-identified: the archive never sees the patient's name or ID
    await page.getByRole('checkbox', { name: '发送前去除患者身份信息' }).check();
    const cdp = await page.context().newCDPSession(page);
    await link(cdp, 2_000_000, 300);
    const started = Date.now();
    await page.getByRole('button', { name: '发送' }).click();
    const fifth = (await waitForPercent(page, 20)) / 100;
    const toFifth = (Date.now() - started) / 1000;
    const bytes = 100 * 64 * 64 * 2;
    process.stdout.write(`2 Mb/s: ${Math.round(fifth * 100)}% of ${bytes} bytes in ${toFifth} s\n`);
    expect(toFifth).toBeGreaterThan(((fifth * bytes * 8) / 2_000_000) * 0.8);
    // paused, the screen settles for its screenshot, and nothing more is sent until it resumes
    await page.getByRole('button', { name: '暂停' }).click();
    await page.getByText(/已暂停/).waitFor();
    const atPause = await percentSent(page);
    // the pointer off the buttons: a hovered button is not what the screen shows at rest
    await page.mouse.move(0, 700);
    expect(await checkScreen(page, new URL('upload-paused.png', SHOTS).pathname)).toEqual([]);
    expect(await percentSent(page)).toBe(atPause);
    await page.getByRole('button', { name: '继续' }).click();
    await waitForPercent(page, atPause + 10);
    await page.reload();
    await page.getByText('上次未完成的上传已自动继续').waitFor();
    await page.getByText('发送完成：影像库已保存 100 幅图像').waitFor({ timeout: 90_000 });
    const seconds = (Date.now() - started) / 1000;
    // 100 slices of 64x64x16 bits and their headers are about 1 MB: 4 s at 2 Mb/s, unless the link is not throttled
    expect(seconds).toBeGreaterThan(((bytes * 8) / 2_000_000) * 0.8);
    expect(await staged(page)).toEqual([]);
    const heading = await page.getByText(/ANON-[0-9A-F]{8}（ANON-[0-9A-F]{8}）/).textContent();
    const pseudonym = /ANON-[0-9A-F]{8}/.exec(heading ?? '')?.[0] ?? '';
    tech = await p.login('wangjianguo');
    const byId = await p.api<QidoStudy[]>(tech, 'GET', `/dicomweb/studies?PatientID=${pseudonym}`);
    expect(byId).toHaveLength(1);
    expect(byId[0]?.['00201208']?.Value?.[0]).toBe(100);
    expect(byId[0]?.['00100010']?.Value?.[0]?.Alphabetic).toBe(pseudonym);
    const real = await p.api<QidoStudy[] | undefined>(tech, 'GET', '/dicomweb/studies?PatientID=QC-E2E-32');
    // QIDO answers 204 with no body when nothing matches
    expect(real ?? []).toEqual([]);
    // no case yet: the study waits in the list of studies received, a click away from its case
    await page.getByRole('button', { name: '上传另一个检查' }).click();
    const waiting = page.getByRole('row').filter({ hasText: pseudonym });
    await waiting.getByRole('button', { name: '创建病例' }).waitFor();
    expect(await checkScreen(page, new URL('upload-received.png', SHOTS).pathname)).toEqual([]);
    await waiting.getByRole('button', { name: '创建病例' }).click();
    await expect(page.getByLabel('病历号').inputValue()).resolves.toBe(pseudonym);
    await page.close();
  }, 180_000);

  it('gives an upload up on request: nothing left staged, and the files can be chosen again', async () => {
    const files = await ctSeries('ct-discard', 33, 64, '王^五');
    const page = await newPage(browser);
    await choose(page, files, '王 五');
    const cdp = await page.context().newCDPSession(page);
    await link(cdp, 2_000_000, 300);
    await page.getByRole('button', { name: '发送' }).click();
    await waitForPercent(page, 5);
    await page.getByRole('button', { name: '放弃此次上传' }).click();
    await page
      .getByRole('dialog')
      .getByRole('button', { name: /确\s*定|OK/ })
      .click();
    await page.getByRole('button', { name: '选择文件', exact: true }).waitFor();
    await expect.poll(() => staged(page), { timeout: 10_000 }).toEqual([]);
    await page.reload();
    // nothing resumes after a reload: the upload is gone
    await page.getByRole('button', { name: '选择文件', exact: true }).waitFor();
    await expect(page.getByText('上次未完成的上传已自动继续').count()).resolves.toBe(0);
    await page.close();
  }, 120_000);
});
