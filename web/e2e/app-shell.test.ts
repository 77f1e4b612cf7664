import { mkdir } from 'node:fs/promises';
import type { Case, User } from '@telemed/contracts';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';

let p: Platform;
let base: string;
let browser: Browser;
let tech: string;

beforeAll(async () => {
  p = await startPlatform();
  base = p.base;
  browser = await launchChromium();
  tech = await p.login('wangjianguo');
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser.close();
  await p.stop();
});

describe('the browser app, served by the api', () => {
  it('opens a deep link at sign-in, and the api keeps its own answers and 404s', async () => {
    const page = await newPage(browser);
    const res = await page.goto(`${base}/cases/00000000-0000-4000-8000-000000000000`);
    expect(res?.headers()['content-type']).toMatch(/text\/html/);
    await page.getByRole('button', { name: '登录' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    expect(await checkScreen(page, new URL('sign-in.png', SHOTS).pathname)).toEqual([]);
    const api = await page.request.get(`${base}/api/nothing-here`);
    expect(api.status()).toBe(404);
    expect(await api.json()).toMatchObject({ code: 'not_found' });
    await page.close();
  });

  it('says why a sign-in is refused, in the language on screen', async () => {
    const page = await newPage(browser);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('用户名').fill('wangjianguo');
    await page.getByLabel('密码').fill('wrong-password');
    await page.getByRole('button', { name: '登录' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('用户名或密码错误');
    expect(await checkScreen(page, new URL('sign-in-refused.png', SHOTS).pathname)).toEqual([]);
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toBe('The username or password is wrong');
    await page.close();
  });

  it('a technician signs in, sees their cases with a Uyghur name in place, and submits a draft from the list', async () => {
    const c = await p.api<Case>(tech, 'POST', '/api/cases', {
      patient: { mrn: 'QC-WEB-1', name: 'ئابلىمىت ھەسەن', sex: 'M' },
      urgency: 'urgent',
      clinicalQuestion: '头痛三天',
      modality: 'CT',
      bodyPart: 'HEAD',
    });
    const page = await newPage(browser);
    await page.goto(`${base}/cases`);
    await signIn(page, 'wangjianguo');
    await page.getByRole('heading', { name: '病例' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'QC-WEB-1' });
    await expect(row.locator('bdi').textContent()).resolves.toBe('ئابلىمىت ھەسەن');
    // a draft: the requesting hospital may submit or cancel it, nothing else
    await expect.poll(() => row.getByRole('button').allTextContents()).toEqual(['提交', '取消']);
    expect(await checkScreen(page, new URL('technician-cases.png', SHOTS).pathname)).toEqual([]);
    await row.getByRole('button', { name: '提交' }).click();
    // the router, running as it does in production, may assign it at once
    await row.getByText(/已提交|已分配/).waitFor();
    const after = await p.api<Case>(tech, 'GET', `/api/cases/${c.id}`);
    expect(['submitted', 'assigned']).toContain(after.state);
    await page.close();
  });

  it('says in Chinese why an action is no longer possible', async () => {
    const c = await p.api<Case>(tech, 'POST', '/api/cases', {
      patient: { mrn: 'QC-WEB-2', name: '李四', sex: 'F' },
      urgency: 'routine',
      clinicalQuestion: '复查',
    });
    const id = c.id;
    const page = await newPage(browser);
    await page.goto(`${base}/sign-in`);
    await signIn(page, 'wangjianguo');
    const row = page.getByRole('row').filter({ hasText: 'QC-WEB-2' });
    await row.getByRole('button', { name: '提交' }).waitFor();
    // meanwhile, on another screen, the case is submitted
    await p.api<Case>(tech, 'POST', `/api/cases/${id}/submit`);
    await row.getByRole('button', { name: '提交' }).click();
    // the router may have assigned it already
    await page.getByText(/^病例当前为“(已提交|已分配)”，不能提交（仅限草稿）$/).waitFor();
    await page.close();
  });

  it('a technician opens a case from the form, sees where it goes, and submits it; a missing question is asked for', async () => {
    const page = await newPage(browser);
    await page.goto(`${base}/sign-in`);
    await signIn(page, 'wangjianguo');
    await page.getByRole('button', { name: '新建病例' }).click();
    await page.getByRole('heading', { name: '新建会诊病例' }).waitFor();
    await page.getByText('南州市中心医院 放射科').waitFor();
    await page.getByLabel('病历号').fill('QC-WEB-3');
    await page.getByLabel('姓名').fill('古丽·艾买提');
    await page.getByLabel('出生日期').fill('1975-06-01');
    await page.locator('label').filter({ hasText: '加急' }).click();
    expect(await page.getByRole('radio', { name: '加急' }).isChecked()).toBe(true);
    await page.getByLabel('检查部位').fill('chest');
    await page.getByRole('button', { name: '保存并提交' }).click();
    await page.getByText('必填').waitFor();
    await page.getByLabel('临床问题').fill('咳嗽两周，排除肺炎');
    await page.getByText('必填').waitFor({ state: 'hidden' });
    await page.evaluate('window.scrollTo(0, 0)');
    expect(await checkScreen(page, new URL('technician-new-case.png', SHOTS).pathname)).toEqual([]);
    await page.getByRole('button', { name: '保存并提交' }).click();
    await page.getByRole('heading', { name: '病例' }).waitFor();
    const row = page.getByRole('row').filter({ hasText: 'QC-WEB-3' });
    await row.getByText(/已提交|已分配/).waitFor();
    const list = await p.api<{ items: Case[] }>(tech, 'GET', '/api/cases');
    const opened = list.items.find((c) => c.patient.mrn === 'QC-WEB-3');
    expect(opened).toMatchObject({
      urgency: 'urgent',
      bodyPart: 'CHEST',
      clinicalQuestion: '咳嗽两周，排除肺炎',
      patient: { name: '古丽·艾买提', birthDate: '1975-06-01', sex: 'M' },
    });
    await page.close();
  }, 90_000);

  it('a specialist is offered what the assigned reader may do, an administrator what an administrator may', async () => {
    const c = await p.api<Case>(tech, 'POST', '/api/cases', {
      patient: { mrn: 'QC-WEB-4', name: 'مەرىيەم', sex: 'F' },
      urgency: 'stat',
      clinicalQuestion: '胸痛两小时',
      modality: 'CT',
      bodyPart: 'CHEST',
    });
    const id = c.id;
    await p.api<Case>(tech, 'POST', `/api/cases/${id}/submit`);
    // the router assigns it to the radiologist on duty
    const admin = await p.login('admin');
    const assigned = await p.waitForCase(tech, id, (x) => x.state === 'assigned');
    const users = await p.api<User[]>(admin, 'GET', '/api/users');
    const reader = users.find((u) => u.id === assigned.assignedSpecialistId)?.username ?? '';
    const offered: [string, string[], string][] = [
      [reader, ['开始阅片', '退回'], 'specialist-cases.png'],
      ['admin', ['退回', '取消'], 'admin-cases.png'],
    ];
    for (const [username, buttons, shot] of offered) {
      const page = await newPage(browser);
      await page.goto(`${base}/sign-in`);
      await signIn(page, username);
      await page.getByRole('menuitem', { name: '病例' }).click();
      const row = page.getByRole('row').filter({ hasText: 'QC-WEB-4' });
      await row.waitFor();
      // the row's actions follow once the user's own rights are read: wait for them as a person would
      await expect.poll(() => row.getByRole('button').allTextContents()).toEqual(buttons);
      expect(await checkScreen(page, new URL(shot, SHOTS).pathname)).toEqual([]);
      await page.close();
    }
  }, 90_000);

  it('speaks English on request, and remembers it', async () => {
    const page = await newPage(browser);
    await page.goto(`${base}/sign-in`);
    await page.getByLabel('语言').click();
    await page.getByText('English', { exact: true }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByLabel('Username').waitFor();
    expect(await checkScreen(page, new URL('sign-in-en.png', SHOTS).pathname)).toEqual([]);
    await page.close();
  });

  it('signs out after 30 idle minutes, warning a minute before, and says why', async () => {
    const page = await newPage(browser);
    await page.clock.install();
    await page.goto(`${base}/sign-in`);
    await signIn(page, 'wangjianguo');
    await page.getByRole('heading', { name: '病例' }).waitFor();
    await page.clock.fastForward('29:10');
    const warning = page.getByRole('dialog');
    await warning.getByText(/30 分钟无操作/).waitFor();
    await warning.getByRole('button', { name: '继续使用' }).click();
    await warning.waitFor({ state: 'hidden' });
    // still signed in, the clock counting again from the click
    await page.clock.fastForward('20:00');
    await expect(page.getByRole('heading', { name: '病例' }).isVisible()).resolves.toBe(true);
    await page.clock.fastForward('11:00');
    await page.getByText('因长时间无操作已自动退出登录，请重新登录').waitFor();
    expect(new URL(page.url()).pathname).toBe('/sign-in');
    await page.close();
  });
});
