import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { E2E_PASSWORD } from './platform.js';

/** Debian's Chromium: the browser tests never download one. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Headless Debian Chromium as the tests run it: nothing fetched from outside, no GPU. */
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

function requireChromium(): void {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install chromium fonts-noto-cjk (or set CHROMIUM_PATH)`,
    );
  }
}

/** Starts headless Chromium, or fails saying what to install; `extraArgs` add switches (a fake camera, say). */
export async function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  requireChromium();
  return chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...extraArgs] });
}

/** Chromium's own test camera and microphone (a moving pattern and a tone), granted without asking. */
export const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];

/**
 * Headless Chromium with a profile kept in `userDataDir`, as a person's browser has: its origin private file system
 * lives on disk with a real profile's quota, where an off-the-record context keeps it in memory.
 */
export async function launchProfile(
  userDataDir: string,
  viewport = { width: 1366, height: 768 },
): Promise<BrowserContext> {
  requireChromium();
  return chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    viewport,
  });
}

/** An accessibility finding axe-core rates serious or critical, in a line a person can act on. */
export interface Finding {
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/**
 * Scans the page, once settled, with axe-core (WCAG 2 A and AA rules) and returns the serious and critical findings;
 * the screenshot of the same moment is saved to `screenshot`, the whole page at its viewport.
 */
export async function checkScreen(page: Page, screenshot: string): Promise<Finding[]> {
  // what a person sees once the screen has settled: no fade or spinner half-way
  await page.waitForLoadState('networkidle');
  await settled(page);
  await page.screenshot({ path: screenshot, fullPage: true });
  await page.addScriptTag({ content: axe.source });
  const results = await page.evaluate(async () => {
    const { axe: scanner } = globalThis as unknown as {
      axe: { run: (options: object) => Promise<AxeResults> };
    };
    return scanner.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21aa'] } });
  });
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      rule: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
}

/** Waits until no animation runs; if one never stops, says which, so a spinner left turning is named. */
async function settled(page: Page): Promise<void> {
  try {
    await page.waitForFunction('document.getAnimations().every((a) => a.playState !== "running")');
  } catch (e) {
    // a script of the page's own, as the wait above: these files are also checked without the DOM's types
    const running = await page.evaluate<string[]>(`document
      .getAnimations()
      .filter((a) => a.playState === 'running')
      .map((a) => {
        const target = a.effect instanceof KeyframeEffect ? a.effect.target : null;
        const what = a.animationName ?? a.transitionProperty ?? 'animation';
        return what + ' on ' + (target ? target.outerHTML.slice(0, 240) : 'nothing');
      })`);
    throw new Error(`the screen never settled; still running: ${running.join(' | ')}`, { cause: e });
  }
}

interface AxeResults {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: string[] }[] }[];
}

/** Where screenshots are kept, as the browser tests' artefacts for a person to look at. */
export const SHOTS = new URL('../../.artifacts/screens/', import.meta.url);

/** Signs in on the sign-in page as a person does, by the fields' labels. */
export async function signIn(page: Page, username: string, password = E2E_PASSWORD): Promise<void> {
  await page.getByLabel('用户名').fill(username);
  await page.getByLabel('密码').fill(password);
  await page.getByRole('button', { name: '登录' }).click();
}

/**
 * A page in a context of its own (its own storage: one signed-in person), 1366x768 as a county PC's screen, failing a
 * step after 15 s with the step named rather than waiting out the test.
 */
export async function newPage(browser: Browser, viewport = { width: 1366, height: 768 }): Promise<Page> {
  const context = await browser.newContext({ viewport });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

/** A page signed in as `username` on the consult of `caseId`, given 30 s a step (media takes its time to start). */
export async function openConsult(
  browser: Browser,
  base: string,
  username: string,
  caseId: string,
): Promise<Page> {
  const page = await newPage(browser);
  page.context().setDefaultTimeout(30_000);
  await page.goto(`${base}/cases/${caseId}/consult`);
  await signIn(page, username);
  await page.getByRole('heading', { name: '远程会诊' }).waitFor();
  return page;
}
