import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import type { Case, User } from '@telemed/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkScreen, FAKE_MEDIA, launchChromium, newPage, openConsult, SHOTS, signIn } from './browser.js';
import { freePort, startPlatform, type Platform } from './platform.js';

const shot = (page: Page, name: string): Promise<unknown> => checkScreen(page, new URL(name, SHOTS).pathname);

/** The case of a new consult: opened and submitted by the county technician, assigned by the router. */
async function assignedCase(p: Platform, mrn: string): Promise<{ c: Case; specialist: string }> {
  const tech = await p.login('wangjianguo');
  const admin = await p.login('admin');
  const c = await p.api<Case>(tech, 'POST', '/api/cases', {
    patient: { mrn, name: 'ئايگۈل مەمەت', sex: 'F', birthDate: '1979-02-03' },
    urgency: 'urgent',
    clinicalQuestion: '右下腹痛，请会诊',
    modality: 'CT',
    bodyPart: 'ABDOMEN',
  });
  await p.api(tech, 'POST', `/api/cases/${c.id}/submit`);
  const assigned = await p.waitForCase(tech, c.id, (x) => x.state === 'assigned');
  const users = await p.api<User[]>(admin, 'GET', '/api/users');
  const specialist = users.find((u) => u.id === assigned.assignedSpecialistId)?.username ?? '';
  return { c: assigned, specialist };
}

/** Frames the page's video of `name` has decoded so far (0 while there is none). */
function framesOf(page: Page, name: string): Promise<number> {
  return page
    .getByRole('figure')
    .filter({ hasText: name })
    .locator('video')
    .first()
    .evaluate((v: HTMLVideoElement) => v.getVideoPlaybackQuality().totalVideoFrames)
    .catch(() => 0);
}

/** Waits until the page decodes `name`'s video and the count keeps growing. */
async function decoding(page: Page, name: string): Promise<void> {
  await expect.poll(() => framesOf(page, name), { timeout: 30_000 }).toBeGreaterThan(10);
  const before = await framesOf(page, name);
  await expect.poll(() => framesOf(page, name), { timeout: 15_000 }).toBeGreaterThan(before + 10);
}

/** The media workers of one platform: processes named mediasoup-worker below the launcher. */
async function mediaWorkers(launcherPid: number): Promise<number[]> {
  const parents = new Map<number, number>();
  const workers: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const status = await readFile(`/proc/${name}/status`, 'utf8');
      parents.set(Number(name), Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      // the kernel keeps 15 characters of a name: mediasoup-worke
      if (/^Name:\s+mediasoup-work/m.test(status)) workers.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  const under = (pid: number): boolean => {
    for (let at = pid, hops = 0; at > 1 && hops < 10; hops++) {
      if (at === launcherPid) return true;
      at = parents.get(at) ?? 0;
    }
    return false;
  };
  return workers.filter(under);
}

describe('a video consult between the county and the city', () => {
  let p: Platform;
  let browser: Browser;

  beforeAll(async () => {
    p = await startPlatform();
    browser = await launchChromium(FAKE_MEDIA);
    await mkdir(SHOTS, { recursive: true });
  }, 150_000);
  afterAll(async () => {
    await browser.close();
    await p.stop();
  });

  it('rings the technician, both sides see each other, chat, and recover when the media server dies', async () => {
    const { c, specialist } = await assignedCase(p, 'QC-CONSULT-1');
    const city = await openConsult(browser, p.base, specialist, c.id);
    await city.getByText('等待对方加入…').waitFor();

    // the technician is rung, and follows the notification's link into the call
    const county = await newPage(browser);
    county.context().setDefaultTimeout(30_000);
    await county.goto(`${p.base}/cases/${c.id}`);
    await signIn(county, 'wangjianguo');
    await county.getByRole('button', { name: /通知/ }).click();
    await county.getByRole('link', { name: /视频会诊邀请/ }).click();
    await county.getByRole('heading', { name: '远程会诊' }).waitFor();
    expect(new URL(county.url()).pathname).toBe(`/cases/${c.id}/consult`);

    await decoding(city, '王建国');
    await decoding(county, c.assignedSpecialistName ?? '');
    await city.getByRole('status').filter({ hasText: '媒体已连接' }).waitFor();

    await county.getByLabel('消息').fill('患者已在检查床上，可以开始');
    await county.getByRole('button', { name: '发送' }).click();
    await city.getByRole('listitem').filter({ hasText: '患者已在检查床上，可以开始' }).waitFor();
    expect(await shot(city, 'consult-city.png')).toEqual([]);
    expect(await shot(county, 'consult-county.png')).toEqual([]);

    // the media server's worker process dies: the room moves, both sides decode again without a reload
    const [worker] = await mediaWorkers(p.pid);
    if (!worker) throw new Error(`no media worker under the platform:\n${p.output()}`);
    const cityFrames = await framesOf(city, '王建国');
    process.kill(worker, 'SIGKILL');
    await expect.poll(async () => (await mediaWorkers(p.pid)).filter((w) => w !== worker).length).toBe(1);
    await expect.poll(() => framesOf(city, '王建国'), { timeout: 30_000 }).not.toBe(cityFrames);
    await decoding(city, '王建国');
    await decoding(county, c.assignedSpecialistName ?? '');

    await county.getByRole('button', { name: '离开会诊' }).click();
    await county.getByText('您已离开会诊').waitFor();
    await city.getByText('等待对方加入…').waitFor();
    // two browsers, a worker killed and the room moved: a minute and more on a loaded two-core machine
  }, 150_000);

  it('lets the county side choose another camera and microphone mid-call, the city’s picture never restarting', async () => {
    const { c, specialist } = await assignedCase(p, 'QC-CONSULT-DEVICES');
    // a county PC with three cameras (Chromium's second test camera is a depth camera: its frames are not video)
    const threeCameras = await launchChromium([
      '--use-fake-device-for-media-stream=device-count=3',
      '--use-fake-ui-for-media-stream',
    ]);
    try {
      const city = await openConsult(browser, p.base, specialist, c.id);
      const county = await openConsult(threeCameras, p.base, 'wangjianguo', c.id);
      await decoding(city, '王建国');
      const camera = county.getByRole('combobox', { name: '摄像头' });
      const microphone = county.getByRole('combobox', { name: '麦克风' });
      const chosen = (select: typeof camera): Promise<string | null> =>
        county.locator('label').filter({ has: select }).textContent();
      await expect.poll(() => chosen(camera)).toContain('fake_device_0');

      const before = await framesOf(city, '王建国');
      await camera.click();
      await county.getByTitle('fake_device_2').click();
      await expect.poll(() => chosen(camera)).toContain('fake_device_2');
      // the same picture goes on with the other camera: its frame count never falls back to a new video's
      const seen: number[] = [];
      for (let i = 0; i < 30; i++) {
        seen.push(await framesOf(city, '王建国'));
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(Math.min(...seen)).toBeGreaterThanOrEqual(before);
      await decoding(city, '王建国');

      await microphone.click();
      await county.getByTitle('Fake Audio Input 1').click();
      await expect.poll(() => chosen(microphone)).toContain('Fake Audio Input 1');
      await decoding(city, '王建国');
      expect(await shot(county, 'consult-county-devices.png')).toEqual([]);
    } finally {
      await threeCameras.close();
    }
  }, 90_000);

  it('refuses a technician of another hospital, in Chinese', async () => {
    const { c } = await assignedCase(p, 'QC-CONSULT-2');
    const page = await newPage(browser);
    await page.goto(`${p.base}/cases/${c.id}/consult`);
    await signIn(page, 'zhangwei');
    await page.getByText('无法加入会诊').waitFor();
    await page.getByText('病例不存在，或您无权查看').waitFor();
  });
});

describe('a consult where only TURN relays are allowed', () => {
  let p: Platform;
  let browser: Browser;
  let turn: ChildProcess;
  let turnLog = '';

  beforeAll(async () => {
    const port = await freePort();
    const secret = randomBytes(16).toString('hex');
    // line-buffered, so its log reaches the test as it happens
    turn = spawn(
      'stdbuf',
      [
        '-oL',
        'turnserver',
        '--listening-ip=127.0.0.1',
        `--listening-port=${port}`,
        '--relay-ip=127.0.0.1',
        '--min-port=49400',
        '--max-port=49500',
        '--use-auth-secret',
        `--static-auth-secret=${secret}`,
        '--realm=telemed',
        '--allow-loopback-peers',
        '--no-cli',
        '--no-tls',
        '--no-dtls',
        '--log-file=stdout',
        // every allocation and permission logged, so the test sees the media went through it
        '--verbose',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    turn.stdout?.on('data', (chunk: Buffer) => {
      turnLog += chunk.toString('utf8');
    });
    p = await startPlatform({
      TURN_URLS: `turn:127.0.0.1:${port}?transport=udp`,
      TURN_SECRET: secret,
      VIDEO_RELAY_ONLY: 'true',
    });
    browser = await launchChromium(FAKE_MEDIA);
  }, 150_000);
  afterAll(async () => {
    await browser.close();
    await p.stop();
    turn.kill();
  });

  it('carries both videos through the relay', async () => {
    const { c, specialist } = await assignedCase(p, 'QC-CONSULT-TURN');
    const city = await openConsult(browser, p.base, specialist, c.id);
    const county = await openConsult(browser, p.base, 'wangjianguo', c.id);
    await decoding(city, '王建国');
    await decoding(county, c.assignedSpecialistName ?? '');
    // the media went through relays coturn allocated, with the credentials the service signed
    expect(turnLog).toMatch(/ALLOCATE processed, success/);
    expect(turnLog).toMatch(/CREATE_PERMISSION processed, success|CHANNEL_BIND processed, success/);
  }, 90_000);
});
