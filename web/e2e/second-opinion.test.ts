import { mkdir } from 'node:fs/promises';
import type { Case, CaseDetail, SecondOpinionCandidate } from '@telemed/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';
import { caseInReview } from './studies.js';

/**
 * A second opinion between two city hospitals, each reader in a browser of their own: 陈静 (南州市中心医院, who
 * reads the case) asks 郑强 of the partnered 南州医科大学附属第二医院; he is told, opens the case from the
 * notification and answers; the answer reaches her page as it is. A request withdrawn while he writes can no longer
 * be answered, and he is shown why.
 */

let p: Platform;
let browser: Browser;
let tech: string;
let reader: string;

beforeAll(async () => {
  p = await startPlatform();
  browser = await launchChromium();
  tech = await p.login('wangjianguo');
  reader = await p.login('chenjing');
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser.close();
  await p.stop();
});

const shot = (page: Page, name: string): Promise<unknown> => checkScreen(page, new URL(name, SHOTS).pathname);

/** A CT head case of 青川 that 陈静 has claimed and is reading (its study not yet arrived, so nobody routes it). */
const inReview = (mrn: string, name: string, n: number): Promise<Case> =>
  caseInReview(
    p,
    { tech, reader },
    { mrn, name, sex: 'F', birthDate: '1966-08-14' },
    '头晕伴右侧肢体麻木 2 天',
    `1.2.826.0.1.3680043.10.1137.88${String(n)}`,
  );

/** A page of its own signed in as `username` on `path`. */
async function signedIn(username: string, path: string): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(`${p.base}${path}`);
  await signIn(page, username);
  return page;
}

describe('a second opinion asked in the browser', () => {
  it('is asked of a colleague of the partnered department, who opens it from the notification and answers; the answer reaches the reader live', async () => {
    const c = await inReview('QC-SO-E2E-1', '古丽娜尔·艾买提', 1);
    const city = await signedIn('chenjing', `/cases/${c.id}`);
    const panel = city.getByRole('region', { name: '书写报告' });
    const ask = panel.getByRole('form', { name: '请求第二意见' });
    await ask.waitFor();
    // the form says what is missing before anything is sent
    await ask.getByRole('button', { name: '发送请求' }).click();
    await ask.getByText('请选择一位同事').waitFor();
    await ask.getByText('请写下您的问题').waitFor();

    await ask.getByLabel('请教的同事').click();
    const choices = city.locator('.ant-select-dropdown:visible');
    // the colleague of the partnered hospital is offered with where he works and whether he is on duty
    await choices.getByTitle(/^郑强 · 南州医科大学附属第二医院 医学影像科 · (在班|不在班)$/).click();
    await ask.getByLabel('想请同事看什么').fill('左侧丘脑区可疑低密度影，请帮助判断是否为急性腔隙性梗死。');
    await ask.getByRole('button', { name: '发送请求' }).click();

    // open: to whom and since when, and a way to withdraw it
    await panel.getByText(/已于 .* 请 郑强 给出意见/).waitFor({ timeout: 30_000 });
    await panel.getByText('等待回复').waitFor();
    await panel.getByRole('button', { name: '撤回' }).waitFor();
    expect(await ask.count()).toBe(0);
    expect(await shot(city, 'second-opinion-open.png')).toEqual([]);

    // 郑强, in a browser of his own: the case waits on his worklist and the bell tells him
    const other = await signedIn('zhengqiang', '/');
    const asked = other.getByRole('region', { name: /请我给出第二意见/ });
    await asked.getByText('古丽娜尔·艾买提').waitFor({ timeout: 30_000 });
    expect(await shot(other, 'second-opinion-worklist.png')).toEqual([]);
    await other.getByRole('button', { name: /通知，\d+ 条未读/ }).click();
    await other.getByRole('link', { name: /^会诊邀请/ }).click();
    await other.waitForURL(`**/cases/${c.id}`);
    const opinions = other.getByRole('region', { name: '第二意见' });
    await opinions.getByText('左侧丘脑区可疑低密度影，请帮助判断是否为急性腔隙性梗死。').waitFor();
    const answer = opinions.getByRole('form', { name: '给出第二意见' });
    await answer.getByLabel('您的意见').fill('同意腔隙性梗死，建议 48 小时后复查 CT 或行 MRI DWI 明确。');
    await answer.getByRole('button', { name: '提交意见' }).click();
    await opinions.getByText('已回复').waitFor({ timeout: 30_000 });

    // 陈静's page, never reloaded: the answer in her panel, and in the case's history
    const received = panel.getByRole('list', { name: '收到的第二意见' });
    await received
      .getByText('同意腔隙性梗死，建议 48 小时后复查 CT 或行 MRI DWI 明确。')
      .waitFor({ timeout: 30_000 });
    await received.getByText(/郑强 于 .* 回复/).waitFor();
    await city
      .getByRole('region', { name: '病例记录' })
      .getByText('给出第二意见')
      .waitFor({ timeout: 30_000 });
    // she may ask again
    await panel.getByRole('form', { name: '请求第二意见' }).waitFor();
    expect(await shot(city, 'second-opinion-answered.png')).toEqual([]);

    const after = await p.api<CaseDetail>(reader, 'GET', `/api/cases/${c.id}`);
    expect(after.secondOpinions.map((o) => [o.state, o.specialistName])).toEqual([['answered', '郑强']]);
    await city.close();
    await other.close();
  }, 180_000);

  it('withdrawn while the colleague writes, can no longer be answered: he keeps his text and sees why', async () => {
    const c = await inReview('QC-SO-E2E-2', '王秀兰', 2);
    const candidates = await p.api<SecondOpinionCandidate[]>(
      reader,
      'GET',
      `/api/cases/${c.id}/second-opinion/candidates`,
    );
    await p.api(reader, 'POST', `/api/cases/${c.id}/second-opinion`, {
      specialistId: candidates.find((x) => x.displayName === '郑强')?.userId,
      question: '请复核右侧额叶病灶',
    });
    const other = await signedIn('zhengqiang', `/cases/${c.id}`);
    const opinions = other.getByRole('region', { name: '第二意见' });
    const answer = opinions.getByRole('form', { name: '给出第二意见' });
    const text = '右侧额叶病灶考虑陈旧性梗死。';
    await answer.getByLabel('您的意见').fill(text);

    const city = await signedIn('chenjing', `/cases/${c.id}`);
    const panel = city.getByRole('region', { name: '书写报告' });
    await panel.getByRole('button', { name: '撤回' }).click();
    await city.getByRole('button', { name: '确认撤回' }).click();
    // withdrawn: the reader may ask someone else
    await panel.getByRole('form', { name: '请求第二意见' }).waitFor({ timeout: 30_000 });

    // his page follows: the request is marked withdrawn, and what he typed is still there
    await opinions.getByText('已撤回').waitFor({ timeout: 30_000 });
    expect(await answer.getByLabel('您的意见').inputValue()).toBe(text);
    await answer.getByRole('button', { name: '提交意见' }).click();
    await answer
      .getByRole('alert')
      .getByText('此病例没有进行中的第二意见请求，可能已答复或已撤回')
      .waitFor({ timeout: 30_000 });
    expect(await shot(other, 'second-opinion-refused.png')).toEqual([]);

    const after = await p.api<CaseDetail>(reader, 'GET', `/api/cases/${c.id}`);
    expect(after.secondOpinions.map((o) => [o.state, o.opinion])).toEqual([['withdrawn', null]]);
    await city.close();
    await other.close();
  }, 180_000);
});
