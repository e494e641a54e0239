// What a person sees: the installed extension in the real workbench, driven
// by keyboard like a user, checked on screen, with screenshots as evidence.
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../support/paths';

export const SCREENSHOTS = path.join(REPO_ROOT, 'test-results');

export interface UiResult {
  passed: string[];
  failed: { title: string; error: string }[];
}

/** Opens a file of the workspace from the Explorer, as a user clicks it. */
async function openFile(page: Page, name: string): Promise<void> {
  await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().click();
  await page.locator(`.tab.active[aria-label*="${name}"]`).waitFor();
}

export async function runUiChecks(browser: Browser, url: string, workspace: string): Promise<UiResult> {
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  const result: UiResult = { passed: [], failed: [] };
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const check = async (title: string, body: () => Promise<void>) => {
    try {
      await body();
      result.passed.push(`ui: ${title}`);
    } catch (e) {
      result.failed.push({ title: `ui: ${title}`, error: String((e as Error).stack ?? e) });
      await page.screenshot({ path: path.join(SCREENSHOTS, `failed-${title.replace(/\W+/g, '-')}.png`) }).catch(() => undefined);
    }
  };
  page.setDefaultTimeout(60_000);
  await page.goto(`${url}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor();

  await check('the broken sample shows red squiggles and its problems in the Problems panel', async () => {
    await openFile(page, 'mistakes.stp');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await page.keyboard.press('Control+Shift+M');
    const problems = page.locator('.markers-panel');
    await problems.getByText("'y' is not a parameter of function add", { exact: false }).first().waitFor();
    await problems.getByText("expected ',' or ')' after arguments of printf()", { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'problems.png') });
  });

  await check('embedded C is highlighted as C, STAP_ARG_ distinctly', async () => {
    await openFile(page, 'device_name.stp');
    // The grammar gives STAP_ARG_skb its own token; its colour must differ from plain C identifiers.
    const arg = page.locator('.view-line span', { hasText: /^STAP_ARG_skb$/ }).first();
    await arg.waitFor();
    const dev = page.locator('.view-line span', { hasText: /^snprintf$/ }).first();
    const [argColor, fnColor] = await Promise.all([arg, dev].map((l) => l.evaluate((e) => (globalThis as unknown as { getComputedStyle(x: unknown): { color: string } }).getComputedStyle(e).color)));
    if (argColor === fnColor) throw new Error(`STAP_ARG_skb and snprintf have the same colour ${argColor}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'embedded-c.png') });
  });

  await check('hovering STAP_RETVALUE shows its documentation', async () => {
    await openFile(page, 'device_name.stp');
    await page.locator('.view-line span', { hasText: /^STAP_RETVALUE$/ }).first().hover();
    await page.locator('.monaco-hover').getByText('MAXSTRINGLEN', { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hover.png') });
  });

  await page.close();
  return result;
}
