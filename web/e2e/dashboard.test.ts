import { mkdir } from 'node:fs/promises';
import { createPool } from '@telemed/db';
import type { Case, User } from '@telemed/contracts';
import type { Browser, Page } from 'playwright-core';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';

let p: Platform;
let base: string;
let browser: Browser;
let tech: string;
let admin: string;
let db: pg.Pool;

beforeAll(async () => {
  p = await startPlatform({
    // the figures reach the dashboard every second rather than every five
    QUEUE_FIGURES_BROADCAST_SECONDS: '1',
    // the router's sweep would escalate the breached cases of these tests itself; here the administrator gets there
    // first
    ROUTER_SWEEP_SECONDS: '3600',
  });
  base = p.base;
  browser = await launchChromium();
  tech = await p.login('wangjianguo');
  admin = await p.login('admin');
  db = createPool({ connectionString: p.databaseUrl, max: 2 });
  await mkdir(SHOTS, { recursive: true });
}, 180_000);
afterAll(async () => {
  await db.end();
  await browser.close();
  await p.stop();
});

/** A case of 青川县人民医院 submitted through the api, as the technician's own system would. */
async function submitCase(mrn: string, urgency: 'stat' | 'urgent' | 'routine'): Promise<Case> {
  const c = await p.api<Case>(tech, 'POST', '/api/cases', {
    patient: { mrn, name: 'ئابلىمىت ھەسەن', sex: 'M' },
    urgency,
    clinicalQuestion: '胸痛两小时',
    modality: 'CT',
    bodyPart: 'CHEST',
  });
  return p.api<Case>(tech, 'POST', `/api/cases/${c.id}/submit`);
}

/** The number a panel shows for `label`: a state's count, as text beside the chart. */
async function stateCount(page: Page, label: string): Promise<number> {
  const item = page
    .getByRole('region', { name: '各状态病例数' })
    .getByRole('listitem')
    .filter({ hasText: label });
  return Number((await item.textContent())?.replace(label, '').replace(/\D/g, ''));
}

/** Open cases of a county hospital in the backlog table; 0 while it has no row. */
async function backlogOf(page: Page, hospital: string): Promise<number> {
  const row = page
    .getByRole('region', { name: '各县医院积压' })
    .getByRole('row')
    .filter({ hasText: hospital });
  if ((await row.count()) === 0) return 0;
  return Number(await row.getByRole('cell').last().textContent());
}

/** Waits until `check` holds, asking every 250 ms for up to `ms`. */
async function until(what: string, check: () => Promise<boolean>, ms = 15_000): Promise<void> {
  for (const started = Date.now(); !(await check());) {
    if (Date.now() - started > ms) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function signedInAdmin(): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(`${base}/sign-in`);
  await signIn(page, 'admin');
  await page.getByRole('heading', { name: '队列看板' }).waitFor();
  return page;
}

// a whole flow through the platform's processes and a browser: more than the default on a busy two-core machine
const FLOW_MS = 120_000;

describe('the administrator’s queue dashboard', () => {
  it(
    'is not loaded by the sign-in page nor a technician’s screens, only on /admin',
    async () => {
      const page = await newPage(browser);
      const scripts: string[] = [];
      page.on('request', (request) => {
        if (request.resourceType() === 'script') scripts.push(new URL(request.url()).pathname);
      });
      await page.goto(`${base}/sign-in`);
      await page.getByRole('button', { name: '登录' }).waitFor();
      await page.waitForLoadState('networkidle');
      await signIn(page, 'wangjianguo');
      await page.getByRole('heading', { name: '病例' }).waitFor();
      await page.waitForLoadState('networkidle');
      expect(scripts.length).toBeGreaterThan(0);
      expect(scripts.filter((s) => /\/(echarts|DashboardPage)-[^/]*\.js$/.test(s))).toEqual([]);
      await page.close();

      const adminPage = await newPage(browser);
      const adminScripts: string[] = [];
      adminPage.on('request', (request) => {
        if (request.resourceType() === 'script') adminScripts.push(new URL(request.url()).pathname);
      });
      await adminPage.goto(`${base}/sign-in`);
      await signIn(adminPage, 'admin');
      await adminPage
        .getByRole('img', { name: /各状态病例数柱状图/ })
        .locator('canvas')
        .waitFor();
      expect(adminScripts.filter((s) => /\/echarts-[^/]*\.js$/.test(s))).toHaveLength(1);
      await adminPage.close();
    },
    FLOW_MS,
  );

  it(
    'lands the administrator on /admin and shows a submitted case arrive and get assigned, without a reload',
    async () => {
      const page = await newPage(browser);
      await page.goto(`${base}/sign-in`);
      await signIn(page, 'admin');
      await page.getByRole('heading', { name: '队列看板' }).waitFor();
      expect(new URL(page.url()).pathname).toBe('/admin');
      await page.getByText(/^实时/).waitFor();
      const assigned = await stateCount(page, '已分配');
      const open = await backlogOf(page, '青川县人民医院');
      let navigations = 0;
      page.on('framenavigated', () => {
        navigations += 1;
      });

      const c = await submitCase('QC-DASH-1', 'urgent');
      await until(
        'the case arriving in the backlog',
        async () => (await backlogOf(page, '青川县人民医院')) === open + 1,
      );
      const held = await p.waitForCase(admin, c.id, (x) => x.state === 'assigned');
      await until('the router’s assignment', async () => (await stateCount(page, '已分配')) === assigned + 1);
      expect(held.assignedSpecialistId).not.toBeNull();

      // the specialist reads it and writes a preliminary report: turnaround and throughput follow
      const preliminary = await stateCount(page, '初步报告');
      const users = await p.api<User[]>(admin, 'GET', '/api/users');
      const reader = await p.login(users.find((u) => u.id === held.assignedSpecialistId)?.username ?? '');
      await p.api<Case>(reader, 'POST', `/api/cases/${c.id}/start-review`);
      await p.api(reader, 'POST', `/api/cases/${c.id}/reports`, {
        kind: 'preliminary',
        findings: '右肺下叶见小片状磨玻璃影',
        impression: '考虑炎症，建议复查',
      });
      await until('the report counted', async () => (await stateCount(page, '初步报告')) === preliminary + 1);
      await page
        .getByRole('region', { name: /各科室工作量/ })
        .getByText(/南州市中心医院 放射科：接收 [1-9]\d*，首次报告 [1-9]/)
        .waitFor();
      await page
        .getByRole('region', { name: '周转时间（P50 / P90）' })
        .getByText(/提交到初步报告：P50 [\d.]+ 分钟，P90 [\d.]+ 分钟/)
        .waitFor();
      expect(navigations).toBe(0);
      expect(await checkScreen(page, new URL('admin-dashboard.png', SHOTS).pathname)).toEqual([]);

      await page.getByLabel('语言').click();
      await page.getByText('English', { exact: true }).click();
      await page.getByRole('heading', { name: 'Queue dashboard' }).waitFor();
      expect(await checkScreen(page, new URL('admin-dashboard-en.png', SHOTS).pathname)).toEqual([]);
      await page.close();
    },
    FLOW_MS,
  );

  it(
    'lists a case past its SLA, shows the api’s refusal, and reassigns one in one step',
    async () => {
      const users = await p.api<User[]>(admin, 'GET', '/api/users');
      const nameOf = (id: string | null): string => users.find((u) => u.id === id)?.displayName ?? '';
      const gone = await submitCase('QC-DASH-2', 'routine');
      const late = await submitCase('QC-DASH-3', 'stat');
      const [goneHeld, lateHeld] = await Promise.all(
        [gone, late].map((c) => p.waitForCase(admin, c.id, (x) => x.state === 'assigned')),
      );
      const page = await signedInAdmin();
      await page.getByText(/^实时/).waitFor();
      // as the router's own tests make one: the assignment's time ran out a few minutes ago; the open dashboard
      // shows the breach at its next update
      await db.query(
        "UPDATE cases SET sla_due_at = now() - interval '3 minutes' WHERE id = ANY($1::uuid[])",
        [[gone.id, late.id]],
      );
      const sla = page.getByRole('region', { name: '报告时限：即将超时与已超时' });
      const routineRow = sla.getByRole('row').filter({ hasText: '常规' });
      const statRow = sla.getByRole('row').filter({ hasText: '急诊' });
      await routineRow.getByText(/^超时 \d+:\d\d$/).waitFor();
      await expect(routineRow.textContent()).resolves.toContain(
        nameOf(goneHeld?.assignedSpecialistId ?? null),
      );
      await statRow.getByText(/^超时 \d+:\d\d$/).waitFor();
      // the countdown runs on
      const before = await statRow.getByText(/^超时/).textContent();
      await until(
        'the countdown moving',
        async () => (await statRow.getByText(/^超时/).textContent()) !== before,
      );

      // meanwhile the county side cancels the routine case: the api refuses to reassign it, said in Chinese
      await routineRow.getByRole('button', { name: '改派' }).click();
      const dialog = page.getByRole('dialog', { name: '改派病例' });
      await dialog.getByRole('radio').first().waitFor();
      await p.api<Case>(tech, 'POST', `/api/cases/${gone.id}/cancel`, { reason: '患者已转院' });
      await dialog.getByRole('button', { name: '确认改派' }).click();
      await dialog
        .getByRole('alert')
        .getByText(/^病例当前为“已取消”，不能改派/)
        .waitFor();
      await dialog.getByRole('button', { name: '取消' }).click();
      await dialog.waitFor({ state: 'hidden' });

      await statRow.getByRole('button', { name: '改派' }).click();
      const first = dialog.getByRole('radio').first();
      await first.waitFor();
      expect(await first.isChecked()).toBe(true);
      const chosen = (await dialog.locator('.ant-radio-wrapper').first().textContent())?.split(' ·')[0] ?? '';
      expect(chosen).not.toBe(nameOf(lateHeld?.assignedSpecialistId ?? null));
      expect(await checkScreen(page, new URL('admin-dashboard-reassign.png', SHOTS).pathname)).toEqual([]);
      await dialog.getByRole('button', { name: '确认改派' }).click();
      await page.getByText(`已改派给 ${chosen}`).waitFor();
      const moved = await p.api<Case>(admin, 'GET', `/api/cases/${late.id}`);
      expect(moved.state).toBe('assigned');
      expect(nameOf(moved.assignedSpecialistId)).toBe(chosen);
      expect(moved.assignedSpecialistId).not.toBe(lateHeld?.assignedSpecialistId);
      // a new assignment, a new SLA clock: the case leaves the list
      await statRow.waitFor({ state: 'detached' });
      await page.close();
    },
    FLOW_MS,
  );
});
