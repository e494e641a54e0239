// What a person sees: the installed extension in the real workbench, driven
// by keyboard like a user, checked on screen, with screenshots as evidence.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Page } from 'playwright-core';
import { REPO_ROOT } from '../support/paths';
import { standinRecords, waitFor } from './suite/runHelpers';

/** The `stap --remote` target the UI run's settings name: every run asks where to run. */
export const REMOTE_TARGET = 'ssh://root@stap-target.example';

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

/** Where the stand-in stap records its runs, how to point stapPath at the real stap, where the VSIX was unpacked. */
export interface RunContext {
  standinLog: string;
  machineSettings: string;
  realStap: string;
  installed: string;
}

/** Runs a command from the command palette, picked by its exact title. */
async function runCommand(page: Page, title: string): Promise<void> {
  await page.keyboard.press('F1');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor();
  await input.fill(`>${title}`);
  await page
    .locator('.quick-input-list .monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${title.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }) })
    .first()
    .click();
}

export async function runUiChecks(browser: Browser, url: string, workspace: string, runContext: RunContext): Promise<UiResult> {
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
  // The workbench is megabytes of script: on a busy machine it takes a while to load.
  page.setDefaultNavigationTimeout(180_000);
  /** Runs a palette command on a file and returns the argv the stand-in recorded; `choose` answers the prompts. */
  const runFromPalette = async (file: string, command: string, choose: () => Promise<void>) => {
    const before = standinRecords(runContext.standinLog).length;
    await openFile(page, file);
    await runCommand(page, command);
    await choose();
    const run = await waitFor(
      () =>
        standinRecords(runContext.standinLog)
          .slice(before)
          .find((r) => r.argv),
      `${command} never started the stand-in stap`,
    );
    await page.locator('.statusbar-item', { hasText: 'stap running' }).click();
    await waitFor(() => standinRecords(runContext.standinLog).find((r) => r.pid === run.pid && r.signal), 'the run was not stopped');
    await page.locator('.statusbar-item', { hasText: 'stap running' }).waitFor({ state: 'detached' });
    return run.argv!;
  };
  const pick = async (text: string | RegExp) => {
    await page.locator('.quick-input-list .monaco-list-row', { hasText: text }).first().click();
  };

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
    // Opened right after start-up: the status bar must still learn that the script needs guru mode.
    await page.locator('.statusbar-item', { hasText: 'stap -vg' }).first().waitFor();
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
    await page
      .locator('.view-line span', { hasText: /^STAP_RETVALUE$/ })
      .first()
      .hover();
    await page.locator('.monaco-hover').getByText('MAXSTRINGLEN', { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hover.png') });
  });

  await check('Run with stap -v on a guru script offers -g, asks for the script arguments, runs in the terminal; the status bar stops it', async () => {
    for (const folder of ['fixtures', 'run'])
      await page
        .locator('.explorer-folders-view .monaco-list-row', { hasText: new RegExp(`^${folder}$`) })
        .first()
        .click();
    await openFile(page, 'ifname.stp');
    await runCommand(page, 'SystemTap: Run with stap -v');
    const notification = page.locator('.notification-toast', { hasText: 'needs guru mode' });
    await notification.waitFor();
    await notification.getByRole('button', { name: 'Run with stap -vg' }).click();
    await page.locator('.quick-input-widget', { hasText: 'Run where?' }).waitFor();
    await pick('This machine');
    const input = page.locator('.quick-input-widget input');
    await page.locator('.quick-input-widget', { hasText: 'Arguments for' }).waitFor();
    await input.fill('eth0 3');
    await page.keyboard.press('Enter');
    const run = await waitFor(() => standinRecords(runContext.standinLog).find((r) => r.argv), 'the stand-in stap never started');
    const script = path.join(workspace, 'fixtures', 'run', 'ifname.stp');
    if (JSON.stringify(run.argv) !== JSON.stringify(['-v', '-g', '--', script, 'eth0', '3'])) throw new Error(`stap got ${JSON.stringify(run.argv)}`);
    await page.locator('.terminal-wrapper').first().waitFor();
    const status = page.locator('.statusbar-item', { hasText: 'stap running' });
    await status.waitFor();
    await page.waitForTimeout(1000); // let the terminal paint stap's progress lines
    await page.screenshot({ path: path.join(SCREENSHOTS, 'run-terminal.png') });
    // The kernel log opens in a tab beside the run's, where printk output would show.
    await runCommand(page, 'SystemTap: Follow Kernel Log');
    await page
      .locator('.part.panel .tabs-list')
      .getByText(/Kernel log/)
      .first()
      .waitFor();
    await page.waitForTimeout(500);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'run-kernel-log.png') });
    await status.click();
    const stopped = await waitFor(() => standinRecords(runContext.standinLog).find((r) => r.pid === run.pid && r.signal), 'the status bar did not stop the run');
    if (stopped.signal !== 'SIGINT') throw new Error(`stopped with ${stopped.signal}, not SIGINT`);
    await page.locator('.statusbar-item', { hasText: 'stap -vg' }).first().waitFor();
  });

  await check('a run on a process picked from the process list (stap -x PID)', async () => {
    const target = spawn('sleep', ['600'], { stdio: 'ignore' });
    try {
      const argv = await runFromPalette('trace.stp', 'SystemTap: Run with stap -vg on a Command or Process...', async () => {
        await pick('Attach to a running process');
        await page.locator('.quick-input-widget input').fill(String(target.pid));
        await pick(`pid ${target.pid}`);
        await pick('This machine');
      });
      const script = path.join(workspace, 'fixtures', 'run', 'trace.stp');
      if (JSON.stringify(argv) !== JSON.stringify(['-v', '-g', '-x', String(target.pid), '--', script])) throw new Error(`stap got ${JSON.stringify(argv)}`);
    } finally {
      target.kill();
    }
  });

  await check('with systemtap.run.remote set, a run asks where and passes --remote', async () => {
    const argv = await runFromPalette('trace.stp', 'SystemTap: Run with stap -vg', () => pick(REMOTE_TARGET));
    const script = path.join(workspace, 'fixtures', 'run', 'trace.stp');
    if (JSON.stringify(argv) !== JSON.stringify(['-v', '-g', '--remote', REMOTE_TARGET, '--', script])) throw new Error(`stap got ${JSON.stringify(argv)}`);
  });

  await check("Check with stap (pass 2) shows the real stap's semantic error in the editor and the Problems panel", async () => {
    fs.writeFileSync(runContext.machineSettings, JSON.stringify({ 'systemtap.stapPath': runContext.realStap }));
    await page.waitForTimeout(1500); // the settings file is watched
    await openFile(page, 'unresolved.stp');
    await runCommand(page, 'SystemTap: Check with stap (pass 2)');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').getByText('unresolved function foo', { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'stap-check.png') });
  });

  await check("the extension's page shows its icon and its README, whose images the package carries", async () => {
    // The page, not the Problems panel the checks before opened.
    if (await page.locator('.part.panel').isVisible()) await page.keyboard.press('Control+J');
    await page.keyboard.press('Control+Shift+X');
    await page.locator('.extensions-viewlet .monaco-list-row', { hasText: 'SystemTap Guru' }).first().click();
    const iconImage = page.locator('.extension-editor .header img.icon');
    // Ours, not the default picture of an extension without an icon.
    const src = decodeURIComponent((await iconImage.getAttribute('src')) ?? '');
    if (!src.includes('/images/icon.png')) throw new Error(`the page shows the icon ${src}`);
    const icon = await iconImage.elementHandle();
    // Loaded, not only named: a file missing from the VSIX leaves an empty picture.
    await page.waitForFunction((img) => {
      const picture = img as unknown as { complete: boolean; naturalWidth: number };
      return picture.complete && picture.naturalWidth > 0;
    }, icon);
    // The README is shown in a webview: an iframe in an iframe.
    const readme = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
    await readme.locator('h1', { hasText: 'SystemTap Guru' }).waitFor();
    const images = readmeImages(runContext.installed);
    if (images.length === 0) throw new Error('the packaged README shows no images');
    const missing = images.filter((image) => !fs.existsSync(path.join(runContext.installed, image)));
    if (missing.length > 0) throw new Error(`the VSIX lacks the README's images ${missing.join(', ')}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'extension-details.png') });
  });

  await page.close();
  return result;
}

/** The relative image links of the README as packaged (vsce names it readme.md). */
function readmeImages(installed: string): string[] {
  const readme = fs.readFileSync(path.join(installed, 'readme.md'), 'utf8');
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((link) => !/^[a-z]+:/i.test(link));
}
