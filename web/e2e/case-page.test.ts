import { execFileSync } from 'node:child_process';
import { mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Case, User } from '@telemed/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';

let p: Platform;
let browser: Browser;
let tech: string;
let admin: string;

const UYGHUR_NAME = 'ئابدۇرېھىم ئوسمان';
const FINDINGS = '左肺上叶见结节影，直径约八毫米，边缘光整。';
const IMPRESSION = '左肺上叶小结节，建议三个月后复查。';

beforeAll(async () => {
  p = await startPlatform();
  browser = await launchChromium();
  tech = await p.login('wangjianguo');
  admin = await p.login('admin');
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser.close();
  await p.stop();
});

const shot = (page: Page, name: string): Promise<unknown> => checkScreen(page, new URL(name, SHOTS).pathname);

describe('the case page', () => {
  it('follows a case live from submission to the printed report, and hides it from another hospital', async () => {
    const c = await p.api<Case>(tech, 'POST', '/api/cases', {
      patient: { mrn: 'QC-PAGE-1', name: UYGHUR_NAME, sex: 'M', birthDate: '1961-04-12' },
      urgency: 'urgent',
      clinicalQuestion: '体检发现肺结节，请评估性质',
      clinicalHistory: '吸烟三十年',
      modality: 'CT',
      bodyPart: 'CHEST',
    });

    // the technician opens the case from the list
    const page = await newPage(browser);
    await page.goto(`${p.base}/sign-in`);
    await signIn(page, 'wangjianguo');
    await page.getByRole('heading', { name: '病例' }).waitFor();
    await page.getByRole('row').filter({ hasText: 'QC-PAGE-1' }).getByRole('link').click();
    await page.getByRole('heading', { name: UYGHUR_NAME }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/cases/${c.id}`);
    await expect(page.locator('h2 bdi').textContent()).resolves.toBe(UYGHUR_NAME);
    await page.getByText('体检发现肺结节，请评估性质').waitFor();
    await page.getByText('尚未分配').waitFor();
    expect(await shot(page, 'case-page-draft.png')).toEqual([]);

    // submitted elsewhere; the router assigns it; the page shows it without a reload
    await p.api<Case>(tech, 'POST', `/api/cases/${c.id}/submit`);
    const assigned = await p.waitForCase(tech, c.id, (x) => x.state === 'assigned');
    const specialistName = assigned.assignedSpecialistName ?? '';
    await page.getByText(specialistName, { exact: true }).waitFor();
    await page.getByRole('timer').filter({ hasText: /剩余/ }).waitFor();
    expect(await shot(page, 'case-page-assigned.png')).toEqual([]);

    const users = await p.api<User[]>(admin, 'GET', '/api/users');
    const username = users.find((u) => u.id === assigned.assignedSpecialistId)?.username ?? '';
    const specialist = await p.login(username);

    // the specialist asks; the question appears live; the technician answers in the page
    await p.api(specialist, 'POST', `/api/cases/${c.id}/comments`, { body: '请补充既往胸片对比' });
    await page.getByRole('listitem').filter({ hasText: '请补充既往胸片对比' }).waitFor();
    await page.getByLabel('留言内容').fill('既往胸片已于去年在本院拍摄，明日上传');
    await page.getByRole('button', { name: '发送' }).click();
    await page.getByRole('listitem').filter({ hasText: '既往胸片已于去年在本院拍摄，明日上传' }).waitFor();
    await expect.poll(() => page.getByLabel('留言内容').inputValue()).toBe('');
    const thread = await p.api<{ body: string }[]>(specialist, 'GET', `/api/cases/${c.id}/comments`);
    expect(thread.map((m) => m.body)).toContain('既往胸片已于去年在本院拍摄，明日上传');

    // the specialist's own view offers the report form, and what the permission table allows
    await p.api(specialist, 'POST', `/api/cases/${c.id}/start-review`);
    const reader = await newPage(browser);
    await reader.goto(`${p.base}/cases/${c.id}`);
    await signIn(reader, username);
    await reader.getByRole('heading', { name: UYGHUR_NAME }).waitFor();
    await reader.getByLabel('检查所见').waitFor();
    await expect(
      reader.getByRole('form', { name: '书写报告' }).getByRole('button').allTextContents(),
    ).resolves.toEqual(['保存初步报告', '签发正式报告']);
    expect(await shot(reader, 'case-page-specialist.png')).toEqual([]);
    await reader.close();

    // the final report arrives live, readable on screen
    await p.api(specialist, 'POST', `/api/cases/${c.id}/reports`, {
      kind: 'final',
      findings: FINDINGS,
      impression: IMPRESSION,
    });
    await page.getByText(FINDINGS).waitFor();
    await page.getByText(IMPRESSION).waitFor();
    await page.getByText('最终报告').first().waitFor();
    expect(await shot(page, 'case-page-report.png')).toEqual([]);

    // the PDF from the page carries the Chinese text
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: '下载 PDF' }).click(),
    ]);
    const file = join(tmpdir(), `case-page-${c.id}.pdf`);
    await download.saveAs(file);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      '',
    );
    expect(text).toContain(FINDINGS);
    expect(text).toContain(IMPRESSION);
    expect(text).toContain('青川县人民医院');

    // the bell has the report's notification; its link opens the case
    await page.goto(`${p.base}/cases`);
    await page.getByRole('heading', { name: '病例' }).waitFor();
    await page.getByRole('button', { name: /通知，\d+ 条未读/ }).click();
    const reportLink = page.getByRole('link', { name: /正式报告/ });
    await reportLink.waitFor();
    expect(await shot(page, 'notifications.png')).toEqual([]);
    await reportLink.click();
    await page.getByRole('heading', { name: UYGHUR_NAME }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/cases/${c.id}`);
    await page.close();

    // a technician of another county hospital: not found, and not in the list
    const other = await newPage(browser);
    await other.goto(`${p.base}/cases/${c.id}`);
    await signIn(other, 'zhangwei');
    await other.getByRole('heading', { name: '未找到该病例' }).waitFor();
    await expect(other.getByText(UYGHUR_NAME).count()).resolves.toBe(0);
    expect(await shot(other, 'case-page-not-found.png')).toEqual([]);
    await other.getByRole('link', { name: '返回病例列表' }).click();
    await other.getByRole('heading', { name: '病例' }).waitFor();
    await other.getByRole('table').waitFor();
    await expect(other.getByText('QC-PAGE-1').count()).resolves.toBe(0);
    await other.close();
  }, 180_000);
});
