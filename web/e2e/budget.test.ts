/**
 * An old PC on a county line: the sign-in page and the technician's screens together load at most 400 KB of
 * compressed JavaScript, no screen asks for WebGL, and the keyboard reaches everything with a visible focus.
 */
import type { Case } from '@telemed/contracts';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, newPage, signIn } from './browser.js';
import { startPlatform, type Platform } from './platform.js';

/** The budget, in bytes as they cross the wire (Brotli or gzip, as the api serves them). */
const BUDGET = 400 * 1024;

let p: Platform;
let browser: Browser;

beforeAll(async () => {
  p = await startPlatform();
  browser = await launchChromium();
});
afterAll(async () => {
  await browser.close();
  await p.stop();
});

/** The bytes a file crosses the wire in, compressed as the api sends it to Chromium. */
async function wireBytes(url: string): Promise<number> {
  const res = await fetch(url, { headers: { 'accept-encoding': 'gzip, deflate, br, zstd' } });
  const length = Number(res.headers.get('content-length') ?? 0);
  await res.arrayBuffer();
  return length;
}

/** What a page loads and asks for. */
interface Watch {
  /** the compressed bytes of every script loaded so far */
  scriptBytes: () => Promise<number>;
  /** the scripts' addresses */
  urls: () => string[];
  /** every canvas context type asked for */
  contexts: () => Promise<string[]>;
}

/** Counts, per script URL, the bytes received for it; records every canvas context a page asks for. */
async function watch(page: Page): Promise<Watch> {
  const scripts = new Map<string, Promise<number>>();
  page.on('requestfinished', (request) => {
    // the page's scripts and its workers' (a worker's script is not always typed 'script')
    if (request.resourceType() !== 'script' && !new URL(request.url()).pathname.endsWith('.js')) return;
    scripts.set(
      request.url(),
      request.sizes().then(
        // a worker's script is not always measured by the browser: then it is asked for as Chromium asks
        async (sizes) => sizes.responseBodySize || (await wireBytes(request.url())),
        () => 0,
      ),
    );
  });
  await page.addInitScript(() => {
    const asked: string[] = [];
    (globalThis as unknown as { canvasContexts: string[] }).canvasContexts = asked;
    const proto = HTMLCanvasElement.prototype as unknown as {
      getContext: (this: HTMLCanvasElement, type: string, ...rest: unknown[]) => unknown;
    };
    const original = proto.getContext;
    proto.getContext = function (this: HTMLCanvasElement, type: string, ...rest: unknown[]) {
      asked.push(type);
      return original.call(this, type, ...rest);
    };
  });
  return {
    urls: () => [...scripts.keys()],
    scriptBytes: async () => (await Promise.all(scripts.values())).reduce((a, b) => a + b, 0),
    contexts: () =>
      page.evaluate(() => (globalThis as unknown as { canvasContexts: string[] }).canvasContexts),
  };
}

const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;

describe('fast and plain on an old PC', () => {
  it('the sign-in page and the technician’s screens load no more than 400 KB of compressed JavaScript, and no WebGL', async () => {
    const tech = await p.login('wangjianguo');
    const c = await p.api<Case>(tech, 'POST', '/api/cases', {
      patient: { mrn: 'QC-BUDGET-1', name: 'ئابلىمىت ھەسەن', sex: 'M' },
      urgency: 'routine',
      clinicalQuestion: '头痛',
    });
    const page = await newPage(browser);
    const { scriptBytes, urls, contexts } = await watch(page);
    await page.goto(`${p.base}/sign-in`);
    await page.getByRole('button', { name: '登录' }).waitFor();
    await page.waitForLoadState('networkidle');
    const signInBytes = await scriptBytes();
    await signIn(page, 'wangjianguo');
    await page.getByRole('heading', { name: '病例' }).waitFor();
    const screens = ['/cases', '/cases/new', '/upload', `/cases/${c.id}`];
    for (const path of screens) {
      // moving inside the app as a person does: the client-side router loads each screen's chunk once
      await page.evaluate((to) => {
        history.pushState(null, '', to);
        dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await page.waitForLoadState('networkidle');
      if (path === '/upload') {
        // choosing files starts the upload's worker, which reads their headers: its script counts too
        await page
          .locator('input[type=file]')
          .first()
          .setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not DICOM') });
        await page.getByText('notes.txt').first().waitFor();
        await page.waitForLoadState('networkidle');
      }
    }
    const total = await scriptBytes();
    const workerScripts = urls();
    expect(workerScripts.some((u) => /worker/.test(u))).toBe(true);
    process.stdout.write(
      `javascript: sign-in ${kb(signInBytes)}, sign-in and technician screens ${kb(total)} (budget ${kb(BUDGET)})\n`,
    );
    expect(signInBytes).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(BUDGET);
    expect((await contexts()).filter((t) => /webgl/i.test(t))).toEqual([]);
    await page.close();
  });

  it('the administrator’s screens ask for no WebGL either', async () => {
    const page = await newPage(browser);
    const { contexts } = await watch(page);
    await page.goto(`${p.base}/sign-in`);
    await signIn(page, 'admin');
    await page.waitForURL(/\/admin$/);
    for (const path of [
      '/admin',
      '/admin/hospitals',
      '/admin/users',
      '/admin/roster',
      '/admin/routing',
      '/admin/audit',
    ]) {
      await page.evaluate((to) => {
        history.pushState(null, '', to);
        dispatchEvent(new PopStateEvent('popstate'));
      }, path);
      await page.waitForLoadState('networkidle');
    }
    expect((await contexts()).filter((t) => /webgl/i.test(t))).toEqual([]);
    await page.close();
  });

  it('signs in by keyboard alone, with the focus always visible', async () => {
    const page = await newPage(browser);
    await page.goto(`${p.base}/sign-in`);
    await page.getByRole('button', { name: '登录' }).waitFor();
    const focused = async (): Promise<{ label: string; outline: string; what: string }> =>
      page.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        const style = el ? getComputedStyle(el) : null;
        const label =
          el?.getAttribute('aria-label') ??
          (el?.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : null) ??
          el?.textContent ??
          '';
        return {
          label: label.trim().slice(0, 40),
          outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '',
          what: el ? `${el.tagName.toLowerCase()}.${el.className}` : '',
        };
      });
    // the username field has the focus on arrival
    expect((await focused()).label).toBe('用户名');
    await page.keyboard.type('wangjianguo');
    await page.keyboard.press('Tab');
    expect((await focused()).label).toBe('密码');
    await page.keyboard.type(p.password);
    await page.keyboard.press('Tab');
    // the password's show/hide eye is a control of its own: keyboard users may show what they typed
    const eye = await focused();
    expect(eye.label).toMatch(/显示|隐藏/);
    expect(eye.outline).not.toMatch(/^none/);
    await page.keyboard.press('Tab');
    const submit = await focused();
    expect(submit.label).toBe('登录');
    expect(submit.outline).not.toMatch(/^none/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: '病例' }).waitFor();
    // on the case list, Tab walks through the navigation to the screen's own controls, each visibly focused
    const seen: string[] = [];
    for (let i = 0; i < 12; i++) {
      await page.keyboard.press('Tab');
      const now = await focused();
      // past the last control the focus leaves the page for the browser's own, and comes back
      if (now.what.startsWith('body')) continue;
      expect(now.outline, `focus on “${now.label}” (${now.what}) is not visible`).not.toMatch(/^none/);
      seen.push(now.label);
    }
    expect(seen).toContain('新建病例');
    await page.close();
  });
});
