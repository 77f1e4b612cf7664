import { mkdir } from 'node:fs/promises';
import type { Case } from '@telemed/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';

let p: Platform;
let browser: Browser;
let tech: string;
let reader: string;

const PATIENT = { mrn: 'QC-WL-1', name: '阿依古丽·买买提', sex: 'F', birthDate: '1968-09-21' } as const;
const FINDINGS = '右侧额叶见片状低密度影，边界欠清，中线结构居中。';
const IMPRESSION = '右侧额叶急性脑梗死可能，建议磁共振弥散加权成像进一步检查。';
const ADDENDUM = '右侧额叶见片状低密度影，范围约三乘二厘米，边界欠清，中线结构居中。';

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

/**
 * A submitted case whose images are still on their way from the county: the router leaves it in the pool until they
 * arrive, so it waits there for a specialist to claim it.
 */
async function pooled(
  patient: { mrn: string; name: string; sex: string; birthDate: string },
  urgency: string,
  question: string,
  n: number,
): Promise<Case> {
  const c = await p.api<Case>(tech, 'POST', '/api/cases', {
    patient,
    urgency,
    clinicalQuestion: question,
    modality: 'CT',
    bodyPart: 'HEAD',
    studyInstanceUid: `1.2.826.0.1.3680043.10.1137.${n}`,
  });
  return p.api<Case>(tech, 'POST', `/api/cases/${c.id}/submit`);
}

/** Moves the worklist's selection with the keyboard until the row of `mrn` is selected. */
async function selectByKeyboard(page: Page, mrn: string): Promise<void> {
  const row = page.getByRole('row').filter({ hasText: mrn });
  await row.waitFor();
  for (const key of ['k', 'k', 'k', 'k', 'k', 'k', 'k', 'k']) {
    if ((await row.getAttribute('aria-selected')) === 'true') return;
    await page.keyboard.press(key);
  }
  for (let i = 0; i < 20; i++) {
    if ((await row.getAttribute('aria-selected')) === 'true') return;
    await page.keyboard.press('j');
  }
  throw new Error(`the row of ${mrn} could not be selected with j/k`);
}

describe('the worklist and the report panel', () => {
  it('pool, STAT banner, keyboard claim, release, claim again, report to addendum, seen by the county', async () => {
    // the patient was read here before: a final report the specialist will find among the priors
    const prior = await pooled(PATIENT, 'routine', '头晕一周', 1);
    await p.api(reader, 'POST', `/api/cases/${prior.id}/claim`);
    await p.api(reader, 'POST', `/api/cases/${prior.id}/start-review`);
    await p.api(reader, 'POST', `/api/cases/${prior.id}/reports`, {
      kind: 'final',
      findings: '颅内未见明显异常密度影。',
      impression: '颅脑平扫未见异常。',
    });
    const c = await pooled(PATIENT, 'urgent', '左侧肢体无力六小时', 2);

    const page = await newPage(browser);
    // count the chime's tones: Web Audio oscillators started by the page
    await page.addInitScript(() => {
      const w = window as unknown as { tones: number };
      w.tones = 0;
      // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the node as `this`
      const start = OscillatorNode.prototype.start;
      OscillatorNode.prototype.start = function (this: OscillatorNode, when?: number) {
        w.tones += 1;
        start.call(this, when);
      };
    });
    await page.goto(`${p.base}/sign-in`);
    await signIn(page, 'chenjing');
    // a specialist starts on the worklist
    await page.getByRole('heading', { name: '工作列表' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/worklist');
    const poolPart = page.getByRole('region', { name: /科室待认领/ });
    const minePart = page.getByRole('region', { name: /我的病例/ });
    const row = poolPart.getByRole('row').filter({ hasText: 'QC-WL-1' });
    await row.waitFor();
    await row.getByText('左侧肢体无力六小时').waitFor();

    // the patient's prior case, beside the row and opened below it
    await row.getByRole('button', { name: /1 例 · 最近/ }).click();
    const priors = page.getByRole('list', { name: /的既往病例/ });
    await priors.getByText('最终报告').waitFor();
    await expect(priors.getByRole('link', { name: '打开' }).getAttribute('href')).resolves.toBe(
      `/cases/${prior.id}`,
    );
    expect(await shot(page, 'worklist.png')).toEqual([]);

    // a STAT case arrives in the pool: a banner and a chime, without a reload
    const stat = await pooled(
      { mrn: 'QC-WL-2', name: '买买提·吐尔逊', sex: 'M', birthDate: '1959-03-02' },
      'stat',
      '突发剧烈头痛伴呕吐',
      3,
    );
    const banner = page.getByRole('alert').filter({ hasText: '急诊病例进入待认领' });
    await banner.waitFor();
    await poolPart.getByRole('row').filter({ hasText: 'QC-WL-2' }).waitFor();
    await expect.poll(() => page.evaluate(() => (window as unknown as { tones: number }).tones)).toBe(3);
    // STAT first in the pool
    await expect(poolPart.getByRole('row').nth(1).textContent()).resolves.toContain('QC-WL-2');
    expect(await shot(page, 'worklist-stat.png')).toEqual([]);
    await banner.getByRole('button', { name: '关闭' }).click();

    // the shortcuts are listed
    await page.keyboard.press('?');
    await page.getByRole('tooltip').getByText('认领选中的病例').waitFor();
    expect(await shot(page, 'worklist-shortcuts.png')).toEqual([]);
    await page.keyboard.press('?');

    // search by MRN, typed in full width as a Chinese keyboard may
    await page.keyboard.press('/');
    await page.keyboard.type('ＱＣ－ＷＬ－２');
    await expect.poll(() => poolPart.getByRole('row').filter({ hasText: 'QC-WL-1' }).count()).toBe(0);
    await poolPart.getByRole('row').filter({ hasText: 'QC-WL-2' }).waitFor();
    await page.getByRole('button', { name: '清除筛选' }).click();
    await poolPart.getByRole('row').filter({ hasText: 'QC-WL-1' }).waitFor();

    // claim with the keyboard: select with j/k, then c
    await selectByKeyboard(page, 'QC-WL-1');
    await page.keyboard.press('c');
    const claimedRow = minePart.getByRole('row').filter({ hasText: 'QC-WL-1' });
    await claimedRow.waitFor();
    // the SLA clock of the claim counts down, its due time on the reader's hospital clock
    await claimedRow.getByRole('timer').filter({ hasText: /剩余/ }).waitFor();
    await claimedRow.getByText(/截止 \d\d\/\d\d \d\d:\d\d/).waitFor();
    expect(await shot(page, 'worklist-claimed.png')).toEqual([]);
    await p.waitForCase(reader, c.id, (x) => x.state === 'assigned');

    // release it back to the pool
    await minePart
      .getByRole('row')
      .filter({ hasText: 'QC-WL-1' })
      .getByRole('button', { name: '释放回池' })
      .click();
    const dialog = page.getByRole('dialog', { name: '释放回科室待认领池' });
    await dialog.getByLabel('原因（可选）').fill('需要神经影像组会诊');
    await dialog.getByRole('button', { name: '确定' }).click();
    await poolPart.getByRole('row').filter({ hasText: 'QC-WL-1' }).waitFor();
    await expect(minePart.getByRole('row').filter({ hasText: 'QC-WL-1' }).count()).resolves.toBe(0);
    const released = await p.waitForCase(reader, c.id, (x) => x.state === 'submitted');
    expect(released.assignedSpecialistId).toBeNull();

    // claim it again, and open it with Enter
    await selectByKeyboard(page, 'QC-WL-1');
    await page.keyboard.press('c');
    await minePart.getByRole('row').filter({ hasText: 'QC-WL-1' }).waitFor();
    await selectByKeyboard(page, 'QC-WL-1');
    await page.keyboard.press('Enter');

    await page.getByRole('heading', { name: PATIENT.name }).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/cases/${c.id}`);

    // the report panel: open viewer, start reading
    const panel = page.getByRole('region', { name: '书写报告' });
    await expect(panel.getByRole('link', { name: '打开阅片器' }).getAttribute('href')).resolves.toBe(
      `/cases/${c.id}/viewer`,
    );
    await panel.getByRole('button', { name: '开始阅片' }).click();
    await panel.getByLabel('检查所见').fill(FINDINGS);
    await panel.getByLabel('诊断意见').fill(IMPRESSION);
    await panel.getByLabel('危急值（需基层确认）').check();
    // what is typed survives leaving the page (to the viewer) and coming back
    await page.reload();
    await expect(panel.getByLabel('检查所见').inputValue()).resolves.toBe(FINDINGS);
    await expect(panel.getByLabel('危急值（需基层确认）').isChecked()).resolves.toBe(true);
    await panel.getByRole('button', { name: '保存初步报告' }).click();
    const versions = panel.getByRole('list', { name: '报告版本' });
    await versions.getByText('第 1 版').waitFor();
    await versions.getByText('初步报告').waitFor();
    // the confirmation toast has faded: the screen as the specialist goes on reading it
    await page.getByText('初步报告已保存').waitFor({ state: 'hidden' });
    expect(await shot(page, 'report-preliminary.png')).toEqual([]);

    // sign the final, after the confirmation
    await panel.getByRole('button', { name: '签发正式报告' }).click();
    const confirm = page.getByRole('dialog').filter({ hasText: '签发正式报告？' });
    await confirm.getByRole('button', { name: '签发' }).click();
    await versions.getByText('第 2 版').waitFor();
    await versions.getByText('正式报告').waitFor();

    // an addendum, with its reason
    await panel.getByRole('button', { name: '补充报告' }).click();
    await panel.getByLabel('补充原因').fill('补充病灶范围');
    await panel.getByLabel('检查所见').fill(ADDENDUM);
    await panel.getByRole('button', { name: '提交补充报告' }).click();
    await versions.getByText('第 3 版').waitFor();
    await versions.getByText('原因：补充病灶范围').waitFor();
    await page.getByText('补充报告已提交').waitFor({ state: 'hidden' });
    expect(await shot(page, 'report-addendum.png')).toEqual([]);
    const reports = await p.api<{ kind: string; reason: string; critical: boolean }[]>(
      tech,
      'GET',
      `/api/cases/${c.id}/reports`,
    );
    expect(reports.map((r) => [r.kind, r.reason, r.critical])).toEqual([
      ['preliminary', '', true],
      ['final', '', true],
      ['addendum', '补充病灶范围', true],
    ]);

    // back on the worklist, "claim next" takes the most urgent case in the pool: the STAT one
    await page.getByRole('menuitem', { name: '工作列表' }).click();
    await page.getByRole('heading', { name: '工作列表' }).waitFor();
    await poolPart.getByRole('row').filter({ hasText: 'QC-WL-2' }).waitFor();
    await page.keyboard.press('n');
    await minePart.getByRole('row').filter({ hasText: 'QC-WL-2' }).waitFor();
    await p.waitForCase(reader, stat.id, (x) => x.state === 'assigned');

    // the same screen in English
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Worklist' }).waitFor();
    await page
      .getByRole('region', { name: /My cases/ })
      .getByRole('row')
      .filter({ hasText: 'QC-WL-2' })
      .waitFor();
    expect(await shot(page, 'worklist-en.png')).toEqual([]);
    await page.close();

    // the county technician's case page shows the signed report and its addendum
    const county = await newPage(browser);
    await county.goto(`${p.base}/cases/${c.id}`);
    await signIn(county, 'wangjianguo');
    await county.getByRole('heading', { name: PATIENT.name }).waitFor();
    await county.getByText(ADDENDUM).waitFor();
    await county.getByText('补充原因：补充病灶范围').waitFor();
    await county.getByText(IMPRESSION).first().waitFor();
    await county.getByRole('button', { name: /历史版本/ }).click();
    await county.getByText(FINDINGS).first().waitFor();
    await expect(county.getByRole('region', { name: '书写报告' }).count()).resolves.toBe(0);
    expect(await shot(county, 'report-county.png')).toEqual([]);
    await county.close();
  }, 240_000);
});
