import { existsSync } from 'node:fs';
import axe from 'axe-core';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium: the browser tests never download one. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Starts headless Chromium, or fails saying what to install. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: apt-get install chromium fonts-noto-cjk (or set CHROMIUM_PATH)`,
    );
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
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
  await page.waitForFunction('document.getAnimations().every((a) => a.playState !== "running")');
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

interface AxeResults {
  violations: { id: string; impact?: string | null; help: string; nodes: { target: string[] }[] }[];
}
