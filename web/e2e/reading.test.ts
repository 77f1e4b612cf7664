import { mkdir } from 'node:fs/promises';
import type { Case, CaseDetail, Hospital, Notification } from '@telemed/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';
import { caseInReview } from './studies.js';

/**
 * What the reading gives back beside the report, across two hospitals: a template, a critical finding the county
 * technician acknowledges in another browser, the image-quality rating the technician reads on the case and in the
 * summary, and the escalation to the department head and the administrators when nobody acknowledges in time.
 */

let p: Platform;
let browser: Browser;
let tech: string;
let reader: string;
let admin: string;

beforeAll(async () => {
  p = await startPlatform();
  browser = await launchChromium();
  tech = await p.login('wangjianguo');
  reader = await p.login('chenjing');
  admin = await p.login('admin');
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser.close();
  await p.stop();
});

const shot = (page: Page, name: string): Promise<unknown> => checkScreen(page, new URL(name, SHOTS).pathname);

/** A CT head case of 青川, claimed by the reader and being read. */
const inReview = (mrn: string, name: string, n: number): Promise<Case> =>
  caseInReview(
    p,
    { tech, reader },
    { mrn, name, sex: 'M', birthDate: '1959-03-02' },
    '突发左侧肢体无力 3 小时',
    `1.2.826.0.1.3680043.10.1137.77${String(n)}`,
  );

const notificationsOf = async (token: string, caseId: string): Promise<string[]> =>
  (await p.api<Notification[]>(token, 'GET', '/api/notifications?limit=200'))
    .filter((n) => n.caseId === caseId)
    .map((n) => n.kind);

describe('critical findings and image quality between the two hospitals', () => {
  it('the reader signs a critical report from a template and rates the images; the technician acknowledges it in another browser', async () => {
    const c = await inReview('QC-RD-E2E-1', 'ئەخمەت تۇرسۇن', 1);

    const city = await newPage(browser);
    await city.goto(`${p.base}/cases/${c.id}`);
    await signIn(city, 'chenjing');
    const panel = city.getByRole('region', { name: '书写报告' });
    await panel.waitFor();
    // a template of the case's modality fills findings and impression
    await panel.getByLabel('报告模板').click();
    await city.locator('.ant-select-dropdown:visible').getByTitle('HEAD · 颅脑 CT 平扫').click();
    const findings = panel.getByLabel('检查所见');
    await expect.poll(() => findings.inputValue()).not.toBe('');
    await panel.getByLabel('诊断意见').fill('右侧基底节区急性脑出血，量约 25 毫升，建议立即神经外科会诊。');
    await panel.getByRole('checkbox', { name: /危急值/ }).check();
    await panel.getByRole('button', { name: '签发正式报告' }).click();
    await city.getByRole('dialog').getByRole('button', { name: '签发' }).click();
    // signed: the versions list keeps it (the toast that says so may be gone by the time a loaded machine looks)
    await panel.getByRole('list', { name: '报告版本' }).getByText('正式报告').waitFor({ timeout: 30_000 });

    // 带教 feedback: a rating back to the technician
    const quality = city.getByRole('form', { name: /图像质量评价/ });
    // the score's buttons are labels over hidden radios: a person clicks the label
    await quality.getByText('2', { exact: true }).click();
    await expect(quality.getByRole('radio', { name: '2' }).isChecked()).resolves.toBe(true);
    await quality.getByRole('checkbox', { name: '运动伪影' }).check();
    await quality.getByLabel('给技师的建议').fill('患者头部运动明显，建议固定头部后扫描。');
    await quality.getByRole('button', { name: '提交评价' }).click();
    await city
      .getByRole('region', { name: '图像质量反馈' })
      .getByText('患者头部运动明显，建议固定头部后扫描。')
      .waitFor({ timeout: 30_000 });
    // the reader's own page shows the critical finding waiting for the county side
    await city.getByRole('alert').filter({ hasText: '危急值：请立即确认' }).waitFor();
    expect(await shot(city, 'reading-critical-city.png')).toEqual([]);

    // the technician, in a browser of their own, is told and acknowledges
    expect(await notificationsOf(tech, c.id)).toContain('case.critical_finding');
    const county = await newPage(browser);
    await county.goto(`${p.base}/cases/${c.id}`);
    await signIn(county, 'wangjianguo');
    const alert = county.getByRole('alert').filter({ hasText: '危急值：请立即确认' });
    await alert.waitFor();
    await alert.getByText(/陈静 于 .* 标记危急值/).waitFor();
    await alert.getByText(/若 .* 前无人确认，将通知科主任/).waitFor();
    const feedback = county.getByRole('region', { name: '图像质量反馈' });
    await feedback.getByText('患者头部运动明显，建议固定头部后扫描。').waitFor();
    await feedback.getByText('2 / 5 分').waitFor();
    await feedback.getByText('运动伪影').waitFor();
    expect(await shot(county, 'reading-critical-county.png')).toEqual([]);
    const ack = county.getByRole('form', { name: '确认危急值' });
    // the form says what is missing before anything is sent
    await ack.getByRole('button', { name: '确认已收到危急值' }).click();
    await ack.getByText('请选择确认方式').waitFor();
    await ack.getByRole('radio', { name: '电话' }).check();
    await ack.getByLabel(/备注/).fill('已电话通知急诊科值班医生张医生，患者转上级医院。');
    await ack.getByRole('button', { name: '确认已收到危急值' }).click();
    await county.getByRole('alert').filter({ hasText: '危急值已确认' }).waitFor();
    await county.getByText(/王建国 于 .* 通过电话确认/).waitFor();
    expect(await shot(county, 'reading-acknowledged-county.png')).toEqual([]);

    const after = await p.api<CaseDetail>(tech, 'GET', `/api/cases/${c.id}`);
    expect(after.criticalOpen).toBe(false);
    expect(after.criticalFinding).toMatchObject({
      method: 'phone',
      acknowledgedByName: '王建国',
      note: '已电话通知急诊科值班医生张医生，患者转上级医院。',
      headEscalatedAt: null,
    });
    expect(await notificationsOf(reader, c.id)).toContain('case.critical_acknowledged');
    // the reader's page follows without a reload
    await city.getByRole('alert').filter({ hasText: '危急值已确认' }).waitFor();

    // the technician's summary of the ratings
    await county
      .getByRole('navigation', { name: '主导航' })
      .getByRole('menuitem', { name: '图像质量' })
      .click();
    const mine = county.getByRole('region', { name: /王建国/ });
    await mine.getByText(/平均 2\.0 分（1 次评价）/).waitFor();
    await mine.getByText('运动伪影 1 次').waitFor();
    expect(await shot(county, 'quality-summary.png')).toEqual([]);
    await city.close();
    await county.close();
  }, 180_000);

  it('goes to the head of the requesting department, then the administrators, when nobody acknowledges in time', async () => {
    const hospitals = await p.api<Hospital[]>(admin, 'GET', '/api/hospitals');
    const qingchuan = hospitals.find((h) => h.code === 'QINGCHUAN');
    if (!qingchuan) throw new Error('the demo hospital QINGCHUAN is missing');
    // three seconds to the head, six to the administrators: a hospital's own minutes, set by an administrator
    await p.api(admin, 'PATCH', `/api/hospitals/${qingchuan.id}`, {
      criticalAckMinutes: { head: 0.05, admin: 0.1 },
    });
    try {
      const c = await inReview('QC-RD-E2E-2', '赵德明', 2);
      await p.api(reader, 'POST', `/api/cases/${c.id}/reports`, {
        kind: 'final',
        findings: '左侧大量气胸，肺组织压缩约 70%。',
        impression: '左侧张力性气胸可能，需立即处理。',
        critical: true,
      });
      const county = await newPage(browser);
      await county.goto(`${p.base}/cases/${c.id}`);
      await signIn(county, 'wangjianguo');
      const alert = county.getByRole('alert').filter({ hasText: '危急值：请立即确认' });
      await alert.waitFor();
      // the router escalates on its own clock: first the head, then the administrators
      const escalated = async (): Promise<boolean> =>
        !!(await p.api<CaseDetail>(tech, 'GET', `/api/cases/${c.id}`)).criticalFinding?.adminEscalatedAt;
      await expect.poll(escalated, { timeout: 30_000, interval: 500 }).toBe(true);
      await county.reload();
      await alert.getByText(/无人按时确认：已于 .* 通知科主任/).waitFor();
      await alert.getByText(/仍未确认：已于 .* 通知管理员/).waitFor();
      expect(await shot(county, 'reading-escalated-county.png')).toEqual([]);
      const head = await p.login('sunjianhua');
      expect(await notificationsOf(head, c.id)).toContain('case.critical_escalated');
      expect(await notificationsOf(admin, c.id)).toContain('case.critical_escalated');
      const detail = await p.api<CaseDetail>(tech, 'GET', `/api/cases/${c.id}`);
      expect(detail.criticalOpen).toBe(true);
      expect(detail.criticalFinding?.headEscalatedAt).not.toBeNull();
      expect(detail.criticalFinding?.adminEscalatedAt).not.toBeNull();
      await county.close();
    } finally {
      await p.api(admin, 'PATCH', `/api/hospitals/${qingchuan.id}`, {
        criticalAckMinutes: { head: 15, admin: 30 },
      });
    }
  }, 120_000);
});
