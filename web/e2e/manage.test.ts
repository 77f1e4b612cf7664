import { mkdir } from 'node:fs/promises';
import type { AuditPage, Department, Partnership, RosterEntry, RoutingRule, User } from '@telemed/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, launchChromium, newPage, SHOTS, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';

let p: Platform;
let base: string;
let browser: Browser;
let admin: string;

const NEW_USER = { username: 'aygul.tursun', name: 'ئايگۈل تۇرسۇن' };

beforeAll(async () => {
  p = await startPlatform();
  base = p.base;
  browser = await launchChromium();
  admin = await p.login('admin');
  await mkdir(SHOTS, { recursive: true });
});
afterAll(async () => {
  await browser.close();
  await p.stop();
});

/** The administrator, signed in, on `path`. */
async function adminOn(path: string): Promise<Page> {
  const page = await newPage(browser);
  await page.goto(`${base}${path}`);
  await signIn(page, 'admin');
  return page;
}

/**
 * Picks `option` in the drop-down labelled `label` (in the open dialog if there is one), typing first to narrow a long
 * list; tried again if the choice does not show in the field, as a person would.
 */
async function choose(page: Page, label: string, option: string, type = false): Promise<void> {
  const dialog = page.getByRole('dialog');
  const scope = (await dialog.count()) > 0 ? dialog : page;
  const box = scope.getByLabel(label, { exact: true });
  const field = box.locator(`xpath=ancestor::div[contains(concat(' ', @class, ' '), ' ant-select ')][1]`);
  for (let attempt = 0; attempt < 4; attempt++) {
    await box.click();
    if (type) await box.fill(option);
    // on a loaded machine the list may still be sliding in: another go rather than a long wait
    const picked = await page
      .locator('.ant-select-dropdown:visible')
      .getByTitle(option, { exact: true })
      .click({ timeout: 5000 })
      .then(() => true)
      .catch(() => false);
    if (!picked) continue;
    const shown = await field
      .getByText(option, { exact: true })
      .waitFor({ timeout: 3000 })
      .then(() => true)
      .catch(() => false);
    if (shown) break;
  }
  await expect(field.getByText(option, { exact: true }).isVisible()).resolves.toBe(true);
  // the list closes on a choice: let it, so that the next drop-down is the only one open
  await page
    .locator('.ant-select-dropdown:visible')
    .waitFor({ state: 'hidden', timeout: 3000 })
    .catch(() => undefined);
}

function shot(name: string): string {
  return new URL(name, SHOTS).pathname;
}

describe('the administrator’s screens', () => {
  it('adds a department to a county hospital and pairs it with a city department; a county–county pair is refused in Chinese, under the field at fault', async () => {
    const page = await adminOn('/admin/hospitals');
    await page.getByRole('heading', { name: '医院与科室' }).waitFor();
    await page.getByRole('row').filter({ hasText: '白沙县人民医院' }).getByText('新疆时间').waitFor();
    expect(await checkScreen(page, shot('admin-hospitals.png'))).toEqual([]);

    await page.getByRole('tab', { name: '科室', exact: true }).click();
    await page.getByRole('button', { name: '新建科室' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('请填写此项').first().waitFor();
    await choose(page, '医院', '青川县人民医院');
    await dialog.getByLabel('科室名称').fill('远程会诊中心');
    await dialog.getByLabel('代码').fill('TELE');
    await dialog.getByLabel('专业').fill('radiology');
    await dialog.getByRole('button', { name: '保存' }).click();
    await page.getByRole('row').filter({ hasText: '远程会诊中心' }).waitFor();
    const departments = await p.api<Department[]>(admin, 'GET', '/api/departments');
    const made = departments.find((d) => d.code === 'TELE');
    expect(made).toMatchObject({ name: '远程会诊中心', specialty: 'radiology', active: true });

    await page.getByRole('tab', { name: '科室对科室合作' }).click();
    await page.getByRole('button', { name: '新建合作' }).click();
    await choose(page, '县级医院科室', '青川县人民医院 · 远程会诊中心', true);
    await choose(page, '市级医院科室', '云溪县人民医院 · 放射科', true);
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    // the refusal in Chinese, and the field at fault says why under its own input
    await expect(page.getByRole('dialog').getByRole('alert').textContent()).resolves.toBe(
      '填写的内容有误，请按提示修改',
    );
    await page.getByRole('dialog').getByText('须为市级医院的科室').waitFor();
    expect(await checkScreen(page, shot('partnership-refused.png'))).toEqual([]);
    await choose(page, '市级医院科室', '南州市中心医院 · 放射科', true);
    await page.getByRole('dialog').getByRole('button', { name: '保存' }).click();
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    await page.getByRole('row').filter({ hasText: '青川县人民医院 · 远程会诊中心' }).waitFor();
    const pairs = await p.api<Partnership[]>(admin, 'GET', '/api/partnerships');
    const city = departments.find(
      (d) => d.name === '放射科' && d.code === 'RAD' && pairs.some((x) => x.cityDepartmentId === d.id),
    );
    expect(pairs.filter((x) => x.countyDepartmentId === made?.id).map((x) => x.cityDepartmentId)).toEqual([
      city?.id,
    ]);
    await page.close();
  }, 120_000);

  it('creates a technician, resets their password (they sign in with the new one), then deactivates them (their sign-in refused in Chinese)', async () => {
    const page = await adminOn('/admin/users');
    await page.getByRole('heading', { name: '用户' }).waitFor();
    await page.getByRole('button', { name: '新建用户' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('姓名').fill(NEW_USER.name);
    await dialog.getByLabel('用户名').fill('AB');
    await choose(page, '角色', '技师');
    await choose(page, '医院', '青川县人民医院');
    await choose(page, '科室', '放射科');
    await dialog.getByLabel('初始密码').fill('first-pass-1');
    await dialog.getByLabel('再次输入密码').fill('first-pass-2');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('两次输入的密码不一致').waitFor();
    await dialog.getByText(/用户名 3–64 位/).waitFor();
    await dialog.getByLabel('用户名').fill(NEW_USER.username);
    await dialog.getByLabel('再次输入密码').fill('first-pass-1');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });

    await choose(page, '医院', '青川县人民医院');
    const row = page.getByRole('row').filter({ hasText: NEW_USER.username });
    await expect(row.locator('bdi').textContent()).resolves.toBe(NEW_USER.name);
    await expect(row.getByText('正常').isVisible()).resolves.toBe(true);
    expect(await checkScreen(page, shot('admin-users.png'))).toEqual([]);

    await row.getByRole('button', { name: `重置 ${NEW_USER.name} 的密码` }).click();
    const reset = page.getByRole('dialog');
    await reset.getByLabel('新密码').fill('second-pass');
    await reset.getByLabel('再次输入密码').fill('second-pass');
    await reset.getByRole('button', { name: '重置密码' }).click();
    await reset.waitFor({ state: 'hidden' });

    const own = await newPage(browser);
    await own.goto(`${base}/sign-in`);
    await signIn(own, NEW_USER.username, 'first-pass-1');
    await expect(own.getByRole('alert').textContent()).resolves.toBe('用户名或密码错误');
    await signIn(own, NEW_USER.username, 'second-pass');
    await own.getByRole('heading', { name: '病例' }).waitFor();
    await own.close();

    await row.getByRole('button', { name: '停用' }).click();
    await page.getByRole('tooltip').getByRole('button', { name: '确定' }).click();
    await row.getByText('已停用').waitFor();
    await row.getByRole('button', { name: '启用' }).waitFor();

    const refused = await newPage(browser);
    await refused.goto(`${base}/sign-in`);
    await signIn(refused, NEW_USER.username, 'second-pass');
    await expect(refused.getByRole('alert').textContent()).resolves.toBe('此账户已停用，请联系管理员');
    await refused.close();
    await page.close();
  }, 120_000);

  it('adds a shift by a cell of the week grid on the city hospital’s clock, sees it, and is told when one overlaps', async () => {
    const page = await adminOn('/admin/roster');
    await page.getByRole('heading', { name: '排班' }).waitFor();
    await choose(page, '科室', '南州市中心医院 · 放射科', true);
    await page.getByText('按 南州市中心医院 的时间（北京时间）').waitFor();
    // this week is laid down by the seed: day and night shifts for everyone
    await page
      .getByRole('button', { name: /^周国华 .* 08:00–20:00/ })
      .first()
      .waitFor();
    expect(await checkScreen(page, shot('admin-roster.png'))).toEqual([]);

    const zhou = (await p.api<User[]>(admin, 'GET', '/api/users?role=specialist')).find(
      (u) => u.username === 'zhouguohua',
    );
    const hisShifts = (): Promise<RosterEntry[]> =>
      p.api<RosterEntry[]>(
        admin,
        'GET',
        `/api/roster?userId=${zhou?.id ?? ''}&from=${new Date(Date.now() - 21 * 86_400_000).toISOString()}&to=${new Date().toISOString()}`,
      );
    const before = new Set((await hisShifts()).map((e) => e.id));

    // last week is empty
    await page.getByRole('button', { name: '上一周' }).click();
    const add = page.getByRole('button', { name: /^为 周国华 添加 .* 的班次$/ }).first();
    await add.click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('radio', { name: /白班/ }).waitFor();
    await dialog.getByRole('button', { name: '添加' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const shift = page.getByRole('button', { name: /^周国华 .* 白班 08:00–20:00/ });
    await shift.waitFor();
    expect(await shift.count()).toBe(1);

    await add.click();
    await dialog.locator('label').filter({ hasText: '其他时间' }).click();
    await dialog.getByLabel('开始').fill('10:00');
    await dialog.getByLabel('结束').fill('12:00');
    await dialog.getByRole('button', { name: '添加' }).click();
    await expect(dialog.getByRole('alert').textContent()).resolves.toMatch(
      /^与该医生已有的班次（.+ 至 .+）重叠，请先删除那个班次或另选时间$/,
    );
    await dialog.getByRole('button', { name: '取消' }).click();

    const added = (await hisShifts()).filter((e) => !before.has(e.id));
    expect(added).toHaveLength(1);
    expect(added[0]?.note).toBe('白班');
    // 08:00 Beijing time is 00:00 UTC, twelve hours long
    expect(added[0]?.startsAt).toMatch(/T00:00:00/);
    expect(Date.parse(added[0]?.endsAt ?? '') - Date.parse(added[0]?.startsAt ?? '')).toBe(12 * 3_600_000);
    await page.close();
  }, 120_000);

  it('creates a routing rule and reads it back in plain words', async () => {
    const page = await adminOn('/admin/routing');
    await page.getByRole('heading', { name: '分诊规则' }).waitFor();
    await page.getByRole('row').filter({ hasText: '头颈部 → 神经影像' }).waitFor();
    await page.getByRole('button', { name: '新建规则' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('规则名称').fill('夜间急诊超声 → 附二院');
    await dialog.getByLabel('优先级').fill('5');
    await dialog.getByRole('checkbox', { name: '急诊' }).check();
    await dialog.getByLabel('时间段开始').fill('22:00');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.getByText('时间段的开始和结束要么都填，要么都不填').waitFor();
    await dialog.getByLabel('时间段结束').fill('06:00');
    await choose(page, '目标科室', '南州医科大学附属第二医院 · 超声科');
    await choose(page, '亚专业', '超声');
    await dialog.getByRole('button', { name: '保存' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.getByRole('row').filter({ hasText: '夜间急诊超声 → 附二院' });
    await row.getByText('22:00–06:00（跨夜）（申请医院当地时间）').waitFor();
    await row.getByText('由超声专业医生阅片').waitFor();
    expect(await checkScreen(page, shot('admin-routing.png'))).toEqual([]);
    const rules = await p.api<RoutingRule[]>(admin, 'GET', '/api/routing-rules');
    expect(rules[0]).toMatchObject({
      name: '夜间急诊超声 → 附二院',
      priority: 5,
      urgencies: ['stat'],
      fromMinute: 22 * 60,
      toMinute: 6 * 60,
      subspecialty: 'ultrasound',
    });
    await page.close();
  }, 120_000);

  it('searches the audit trail for the user created and finds who created them, when, from where', async () => {
    const page = await adminOn('/admin/audit');
    await page.getByRole('heading', { name: '审计日志' }).waitFor();
    const box = page.getByLabel('用户', { exact: true });
    await box.click();
    await box.fill(NEW_USER.username);
    await page
      .locator('.ant-select-dropdown:visible')
      .getByTitle(`${NEW_USER.name} (${NEW_USER.username})`)
      .click();
    await page.getByRole('button', { name: '查询' }).click();
    const created = page.getByRole('row').filter({ hasText: '创建用户' });
    await created.waitFor();
    await expect(created.getByText('系统管理员').isVisible()).resolves.toBe(true);
    await expect(created.getByText('成功').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('row').filter({ hasText: '停用账号' }).count()).resolves.toBe(1);
    // the refused sign-ins, each with its reason
    await page.getByRole('row').filter({ hasText: '账号已停用' }).waitFor();
    await page.getByRole('row').filter({ hasText: '密码错误' }).waitFor();
    await expect(page.getByRole('row').filter({ hasText: '重置密码' }).count()).resolves.toBe(1);
    // the pointer off the button it pressed: a hovered button is drawn lighter
    await page.mouse.move(0, 0);
    expect(await checkScreen(page, shot('admin-audit.png'))).toEqual([]);
    const trail = await p.api<AuditPage>(admin, 'GET', '/api/admin/audit?action=audit.read&limit=1');
    expect(trail.items[0]?.details).toMatchObject({ query: { userId: expect.any(String) as string } });
    await page.close();
  }, 120_000);
});
