// What a person sees: the installed extension in the real workbench, driven
// by keyboard like a user, checked on screen, with screenshots as evidence.
import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Browser, Locator, Page } from 'playwright-core';
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

/**
 * Opens a quick input (the command palette, or what `openKey` opens) and
 * types `text` into it. A webview that takes the focus as it finishes loading
 * (the output view) closes the input under the typing: then it is opened again.
 */
async function fillQuickInput(page: Page, text: string, openKey = 'F1'): Promise<void> {
  const input = page.locator('.quick-input-widget input');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press(openKey);
    try {
      await input.waitFor({ timeout: 20_000 });
      await input.fill(text, { timeout: 10_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
}

/** Opens any file of the workspace by name from the quick picker (F1 without its `>`). */
async function quickOpen(page: Page, name: string): Promise<void> {
  // A webview taking the focus can also reset what was typed (the palette
  // then shows its `>` again): the file's row never comes, and it is typed again.
  for (let attempt = 1; ; attempt++) {
    await fillQuickInput(page, name);
    try {
      await page.locator('.quick-input-list .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 20_000 });
      break;
    } catch (e) {
      if (attempt === 3) throw e;
      await page.keyboard.press('Escape');
    }
  }
  await page.keyboard.press('Enter');
  await page.locator(`.tab.active[aria-label*="${name}"]`).waitFor();
}

/**
 * Rows of the minimap's decorations canvas (where VS Code draws section
 * headers) that hold a painted pixel, as the range [first, last], in
 * minimap lines; undefined when nothing is painted.
 */
async function paintedMinimapLines(page: Page): Promise<{ first: number; last: number } | undefined> {
  return page.locator('.editor-instance .minimap canvas.minimap-decorations-layer').evaluate((canvas: unknown) => {
    const c = canvas as { width: number; height: number; getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } };
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    let first = -1;
    let last = -1;
    for (let y = 0; y < c.height; y++) {
      for (let x = 0; x < c.width; x++) {
        if (data[(y * c.width + x) * 4 + 3] === 0) continue;
        if (first < 0) first = y;
        last = y;
        break;
      }
    }
    // A minimap line is 2 pixels high at scale 1, times the device pixel ratio.
    const lineHeight = 2 * (globalThis as unknown as { devicePixelRatio: number }).devicePixelRatio;
    return first < 0 ? undefined : { first: Math.floor(first / lineHeight) + 1, last: Math.floor(last / lineHeight) + 1 };
  });
}

/**
 * What a chart of the output view has painted: how many pixels are in a
 * theme colour (--vscode-charts-blue: the bars, the first field's line),
 * whether the corner is the theme's editor background, and that background.
 */
async function outputChartPixels(canvas: Locator, colour = '--vscode-charts-blue'): Promise<{ bars: number; onBackground: boolean; background: string }> {
  return canvas.evaluate((element: unknown, colourName: string) => {
    const c = element as {
      width: number;
      height: number;
      ownerDocument: { body: unknown };
      getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } };
    };
    const win = globalThis as unknown as { getComputedStyle(e: unknown): { getPropertyValue(name: string): string } };
    const style = win.getComputedStyle(c.ownerDocument.body);
    const rgb = (hex: string) => {
      const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})/i.exec(hex.trim());
      return m ? [1, 2, 3].map((i) => parseInt(m[i], 16)) : [-999, -999, -999];
    };
    const blue = rgb(style.getPropertyValue(colourName));
    const background = rgb(style.getPropertyValue('--vscode-editor-background'));
    const { data } = c.getContext('2d').getImageData(0, 0, c.width, c.height);
    const near = (i: number, color: number[]) => color.every((v, k) => Math.abs(data[i + k] - v) <= 3);
    let bars = 0;
    for (let i = 0; i < data.length; i += 4) if (near(i, blue)) bars++;
    return { bars, onBackground: near(0, background), background: `${data[0]},${data[1]},${data[2]}` };
  }, colour);
}

/** The text of the editor line that contains `needle`, spaces as spaces. */
async function lineWith(page: Page, needle: string): Promise<string> {
  const text = await page.locator('.monaco-editor .view-line', { hasText: needle }).first().innerText();
  return text.replace(/\u00a0/g, ' ');
}

/** Polls an asynchronous probe until it gives a value; the timeout only turns a hang into a readable failure. */
async function until<T>(probe: () => Promise<T | undefined>, what: () => Promise<string>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`${await what()} (waited ${timeoutMs} ms)`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Where the stand-in stap records its runs, how to point stapPath at the real stap, where the VSIX was unpacked. */
export interface RunContext {
  standinLog: string;
  machineSettings: string;
  realStap: string;
  installed: string;
}

/** Goes to a line (Ctrl+G) and opens a new line below it, where the test then types. */
async function openLineBelow(page: Page, line: number): Promise<void> {
  await fillQuickInput(page, `:${line}`, 'Control+G');
  // On a busy machine the Enter can come before the widget has read the
  // typed line and has nothing to accept: then it stays open, and Enter is
  // pressed again while it does.
  const widget = page.locator('.quick-input-widget');
  for (let attempt = 1; ; attempt++) {
    await page.keyboard.press('Enter');
    try {
      await widget.waitFor({ state: 'hidden', timeout: 10_000 });
      break;
    } catch (e) {
      if (attempt === 4) throw e;
    }
  }
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
}

/** Runs a command from the command palette, picked by its exact title. */
async function runCommand(page: Page, title: string): Promise<void> {
  await fillQuickInput(page, `>${title}`);
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

  await check('Go to Definition opens the tapset file read-only: typing changes nothing and says so', async () => {
    await openFile(page, 'device_name.stp');
    await page
      .locator('.view-line span', { hasText: /^execname$/ })
      .first()
      .click();
    await page.keyboard.press('F12');
    await page.locator('.tab.active[aria-label*="context.stp"]').waitFor();
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: 'function execname' }).first().waitFor();
    await page.keyboard.type('oops');
    await editor.locator('.monaco-editor-overlaymessage', { hasText: /read-only/i }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'library-readonly.png') });
    if ((await page.locator('.tab.active.dirty').count()) > 0) throw new Error('the tapset file is marked modified');
    if ((await editor.locator('.view-line', { hasText: 'oops' }).count()) > 0) throw new Error('the typed text reached the tapset file');
    await page.keyboard.press('Escape');
    await runCommand(page, 'View: Close Editor');
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

  await check("a type mismatch shows stap's pass-2 wording as a squiggle and in the Problems panel, without running stap", async () => {
    await quickOpen(page, 'type-mismatch.stp');
    await page.locator('.monaco-editor .squiggly-error').first().waitFor();
    if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').getByText("type mismatch (string): 'count' is used as a string here, but its type is long", { exact: false }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'type-mismatch.png') });
  });

  await check('with systemtap.inlayHints.inferredTypes on, inferred types show as hints, globals and locals differ in colour in Dark+, and a mismatch names where the type was fixed', async () => {
    // Turned on in the workspace's settings while the window is open: the server reads it live.
    const settingsFile = path.join(workspace, '.vscode', 'settings.json');
    const saved = fs.readFileSync(settingsFile, 'utf8');
    // In Dark+, where globals and locals must still look different.
    fs.writeFileSync(settingsFile, JSON.stringify({ ...JSON.parse(saved), 'systemtap.inlayHints.inferredTypes': true, 'workbench.colorTheme': 'Default Dark+' }, null, 2));
    try {
      await quickOpen(page, 'inferred-types.stp');
      const editor = page.locator('.editor-instance .monaco-editor').first();
      for (const [needle, hinted] of [
        ['global count', 'global count: long, names: long[string]'],
        ['function label', 'function label(n: long): string {'],
        ['label(count)', 'tag: string = label(count)'],
      ]) {
        await editor.locator('.view-line', { hasText: needle }).first().waitFor();
        await until(
          async () => (await lineWith(page, needle)).includes(hinted) || undefined,
          async () => `no hint: the line reads ${JSON.stringify(await lineWith(page, needle))}, not ${hinted}`,
        );
      }
      // Dark+ is on once the editor's background is its #1e1e1e.
      const background = () => editor.evaluate((e: unknown) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(e).backgroundColor);
      await until(
        async () => (await background()) === 'rgb(30, 30, 30)' || undefined,
        async () => `the theme did not turn to Dark+: the editor's background is ${await background()}`,
      );
      // The global and the local on one line, as the semantic tokens colour them in Dark+.
      const colours = () =>
        editor
          .locator('.view-line', { hasText: 'label(count)' })
          .first()
          .evaluate((line: unknown) => {
            const spans = Array.from((line as { querySelectorAll(s: string): ArrayLike<{ textContent: string | null }> }).querySelectorAll('span span'));
            const colourOf = (word: string) => {
              const span = spans.find((x) => x.textContent === word);
              return span ? (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(span).color : undefined;
            };
            return { global: colourOf('count'), local: colourOf('tag') };
          });
      const differ = await until(
        async () => {
          const c = await colours();
          return c.global && c.local && c.global !== c.local ? c : undefined;
        },
        async () => `the global count and the local tag have one colour: ${JSON.stringify(await colours())}`,
      );
      if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
      const panel = page.locator('.markers-panel');
      await panel.getByText("type mismatch (string): 'count' is used as a string here, but its type is long", { exact: false }).first().waitFor();
      await panel.getByText('type was first inferred here (long)', { exact: false }).first().waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'inlay-hints-type-mismatch.png') });
      console.log(`ui: global count ${differ.global}, local tag ${differ.local}`);
    } finally {
      fs.writeFileSync(settingsFile, saved);
    }
  });

  await check('the arguments the run was given are remembered: a $N past them is a warning that says so', async () => {
    await quickOpen(page, 'ifname.stp');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('probe end { println($3) }', { delay: 20 });
    if (!(await page.locator('.markers-panel').isVisible())) await page.keyboard.press('Control+Shift+M');
    await page
      .locator('.markers-panel')
      .getByText("command line argument out of range: $3, but 2 script arguments are given (with the arguments of this file's last run)", { exact: false })
      .first()
      .waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'script-args-last-run.png') });
    await runCommand(page, 'File: Revert File');
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

  // The report is a Markdown preview: a webview, whose page is a frame in a frame.
  const preview = page.frameLocator('iframe.webview.ready').last().frameLocator('#active-frame');
  await check('Check Environment shows the report for the target kernel beside the editor', async () => {
    await openFile(page, 'trace.stp');
    await runCommand(page, 'SystemTap: Check Environment');
    await preview.getByText('SystemTap environment').first().waitFor();
    await preview.getByText('Kernel headers (build tree)').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'environment-report.png') });
  });

  await check('a run for a kernel without a build tree says why before it starts, and links the report', async () => {
    const workspaceSettings = path.join(workspace, '.vscode', 'settings.json');
    const saved = fs.readFileSync(workspaceSettings, 'utf8');
    fs.writeFileSync(workspaceSettings, JSON.stringify({ ...JSON.parse(saved), 'systemtap.kernelRelease': '6.1.0-99-nowhere' }));
    try {
      await page.waitForTimeout(1500); // the settings file is watched
      const before = standinRecords(runContext.standinLog).length;
      await openFile(page, 'trace.stp');
      await runCommand(page, 'SystemTap: Run with stap -vg');
      await pick(/This machine/);
      const toast = page.locator('.notification-toast', { hasText: 'this run would fail' });
      await toast.waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'run-environment-blocked.png') });
      await toast.getByRole('button', { name: 'Show Environment Report' }).click();
      await preview.getByText('does not exist', { exact: false }).first().waitFor();
      await page.screenshot({ path: path.join(SCREENSHOTS, 'environment-report-no-headers.png') });
      if (standinRecords(runContext.standinLog).length !== before) throw new Error('stap was started all the same');
    } finally {
      fs.writeFileSync(workspaceSettings, saved);
      await page.waitForTimeout(1500);
    }
  });

  // Completion, typed as a user types. The fixture ends with an empty line.
  const suggest = page.locator('.editor-widget.suggest-widget.visible');
  const suggestion = (label: string) => suggest.locator('.monaco-list-row', { has: page.locator('.label-name', { hasText: new RegExp(`^${label}$`) }) }).first();
  await check('typing printk inside %{ %} lists the C snippets', async () => {
    await quickOpen(page, 'completion.stp');
    await openLineBelow(page, 5);
    await page.keyboard.type('printk', { delay: 50 });
    const row = suggestion('printk');
    await row.waitFor();
    // The snippet, not a word: its icon and the description of the snippet.
    await row.locator('.codicon-symbol-snippet').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'completion-embedded-c.png') });
    // Accepted, it is C with a log level (the level is then a choice of its own).
    await page.keyboard.press('Enter');
    await page.locator('.monaco-editor .view-line', { hasText: 'printk(KERN_ERR "message' }).first().waitFor();
    const line = await lineWith(page, 'printk(');
    if (line.trim() !== 'printk(KERN_ERR "message\\n", args);') throw new Error(`the line reads ${JSON.stringify(line)}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'completion-embedded-c-inserted.png') });
    await page.keyboard.press('Escape');
    await runCommand(page, 'File: Revert File');
  });

  await check('after typing "probe " the probe points open by themselves; a level then "." gives one dot', async () => {
    await quickOpen(page, 'completion.stp');
    await page.keyboard.press('Control+End');
    await page.keyboard.type('probe ', { delay: 50 });
    await suggestion('begin').waitFor();
    await suggestion('kernel.function').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'completion-probe.png') });
    await page.keyboard.type('netd', { delay: 50 });
    await suggestion('netdev').waitFor();
    await page.keyboard.press('Enter');
    // Accepting a level opens the level below.
    await suggestion('netdev.receive').waitFor();
    await page.keyboard.type('.', { delay: 50 });
    await suggest
      .locator('.label-name', { hasText: /^netdev\.\w+$/ })
      .first()
      .waitFor();
    const line = await lineWith(page, 'probe netdev');
    if (line.trim() !== 'probe netdev.') throw new Error(`the line reads ${JSON.stringify(line)}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'completion-probe-level.png') });
    await page.keyboard.press('Escape');
    await runCommand(page, 'File: Revert File');
  });

  // On this machine's own kernel types: the server loads /sys/kernel/btf/vmlinux in the background.
  const vmlinux = '/sys/kernel/btf/vmlinux';
  if (!fs.existsSync(vmlinux)) console.log(`ui: kernel completion and hover skipped: ${vmlinux} does not exist (a kernel built without BTF)`);
  else
    await check('in a kernel.function("ip_output") probe, hovering $skb shows struct sk_buff *, and $skb-> lists dev and len', async () => {
      // The run's user settings target a fake kernel tree; this folder targets the running kernel instead.
      const folderSettings = path.join(workspace, '.vscode', 'settings.json');
      const saved = fs.readFileSync(folderSettings, 'utf8');
      fs.writeFileSync(folderSettings, JSON.stringify({ ...JSON.parse(saved), 'systemtap.kernelRelease': '' }, null, 2));
      try {
        await kernelCompletionAndHover();
      } finally {
        fs.writeFileSync(folderSettings, saved);
      }
    });
  async function kernelCompletionAndHover(): Promise<void> {
    await quickOpen(page, 'kernel.stp');
    const skb = page
      .locator('.view-line', { hasText: 'printf' })
      .locator('span', { hasText: /^\$skb$/ })
      .first();
    const hover = page.locator('.monaco-hover', { hasText: 'struct sk_buff *' }).first();
    // The kernel data may still be loading: hover again until it answers.
    for (const deadline = Date.now() + 60_000; ;) {
      await page.mouse.move(0, 0);
      await skb.hover();
      if (
        await hover.waitFor({ timeout: 3000 }).then(
          () => true,
          () => false,
        )
      )
        break;
      if (Date.now() > deadline) throw new Error('hovering $skb never showed struct sk_buff *');
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'hover-kernel-variable.png') });
    await page.mouse.move(0, 0);
    await openLineBelow(page, 4);
    await page.keyboard.type('println($skb->', { delay: 50 });
    // The list holds sk_buff's members, more than it shows at once: each is found by typing its start.
    await suggest.locator('.monaco-list-row').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'completion-kernel-members.png') });
    await page.keyboard.type('de', { delay: 50 });
    await suggestion('dev').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'completion-kernel-members-dev.png') });
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Backspace');
    await page.keyboard.type('le', { delay: 50 });
    await suggestion('len').waitFor();
    await page.keyboard.press('Escape');
    await runCommand(page, 'File: Revert File');
  }

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

  await check('a saved output file opens in the output view: its histogram as bars and its periodic lines as series, in the theme colours', async () => {
    const refused: string[] = [];
    const listener = (m: { text(): string }) => {
      if (/Content.Security.Policy|Refused to/i.test(m.text())) refused.push(m.text());
    };
    page.on('console', listener);
    try {
      // The webviews of earlier checks (the environment report, the README) out of the way.
      await runCommand(page, 'View: Close All Editors');
      await runCommand(page, 'SystemTap: Open Output File in Output View...');
      // VS Code's own file dialog in the browser: a path typed into a quick input.
      // It replaces the palette in the same input once it shows a folder: typing before that would type into the palette.
      const input = page.locator('.quick-input-widget input');
      for (const deadline = Date.now() + 30_000; !(await input.inputValue()).startsWith('/'); await page.waitForTimeout(100)) {
        if (Date.now() > deadline) throw new Error(`the file dialog never opened: the input holds ${await input.inputValue()}`);
      }
      // It lists the workspace folder first, and may set the input again while it does: the path is typed
      // (again) until it stays, then Enter pressed until the dialog takes it and closes.
      const target = path.join(workspace, 'fixtures', 'output', 'periodic-run.txt');
      await page.locator('.quick-input-list .monaco-list-row', { hasText: 'fixtures' }).first().waitFor();
      const widget = page.locator('.quick-input-widget');
      for (const deadline = Date.now() + 30_000; await widget.isVisible(); await page.waitForTimeout(500)) {
        if (Date.now() > deadline) throw new Error(`the file dialog did not take ${target}: it holds ${await input.inputValue()}`);
        if ((await input.inputValue()) !== target) await input.fill(target);
        else await input.press('Enter');
      }
      const view = page.frameLocator('iframe.webview.ready[src*="extensionId=systemtap-guru.systemtap-guru"]').last().frameLocator('#active-frame');
      const histogram = view.locator('.chart.histogram', { hasText: 'bio latency (ns):' });
      await histogram.getByText('printed 5×').waitFor();
      await view.locator('.chart.series', { hasText: '# reads # writes' }).getByText('5 samples').waitFor();
      const drawn = () => outputChartPixels(histogram.locator('canvas'));
      let pixels = await drawn();
      if (pixels.bars < 500) throw new Error(`the histogram's bars are not drawn in the theme's --vscode-charts-blue: ${JSON.stringify(pixels)}`);
      if (!pixels.onBackground) throw new Error(`the chart is not painted on the editor's background: ${JSON.stringify(pixels)}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'output-view.png') });
      // The field picker: without `writes`, no line in its colour (the second of the palette, --vscode-charts-orange).
      const series = view.locator('.chart.series', { hasText: '# reads # writes' });
      const orange = () => outputChartPixels(series.locator('canvas'), '--vscode-charts-orange');
      if ((await orange()).bars < 50) throw new Error(`the writes line is not drawn: ${JSON.stringify(await orange())}`);
      await series.getByLabel('writes').uncheck();
      for (const deadline = Date.now() + 10_000; (await orange()).bars > 0; await page.waitForTimeout(200)) {
        if (Date.now() > deadline) throw new Error(`writes still drawn after it was unpicked: ${JSON.stringify(await orange())}`);
      }
      // Another theme: the charts are drawn again in its colours.
      await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
      for (const deadline = Date.now() + 20_000; pixels.background === (await drawn()).background; await page.waitForTimeout(200)) {
        if (Date.now() > deadline) throw new Error('the chart kept its colours after the theme changed');
      }
      pixels = await drawn();
      if (pixels.bars < 500 || !pixels.onBackground) throw new Error(`after the theme changed: ${JSON.stringify(pixels)}`);
      await page.screenshot({ path: path.join(SCREENSHOTS, 'output-view-theme-toggled.png') });
      await runCommand(page, 'Preferences: Toggle between Light/Dark Themes');
      if (refused.length > 0) throw new Error(`the Content Security Policy refused: ${refused.join('\n')}`);
    } finally {
      page.off('console', listener);
    }
  });

  // Last: opening a file in fixtures/ unfolds the folder in the Explorer, which the checks above click open.
  await check('the minimap shows no section headers for the %{ lines of embedded-C functions', async () => {
    await quickOpen(page, 'minimap.stp');
    // The cursor goes to the end, below the MARK line: a line highlight is drawn there, not above it.
    await page.keyboard.press('Control+End');
    const markLine =
      fs
        .readFileSync(path.join(workspace, 'fixtures', 'minimap.stp'), 'utf8')
        .split('\n')
        .indexOf('# MARK: Probes') + 1;
    // The MARK header is computed with the region headers, in one pass: once it is drawn, so would they be.
    // It is 1.5 times its 9 px font high, several minimap lines below its own: more than a line highlight.
    let painted: { first: number; last: number } | undefined;
    for (const deadline = Date.now() + 30_000; ((painted = await paintedMinimapLines(page))?.last ?? 0) < markLine + 3; await page.waitForTimeout(200)) {
      if (Date.now() > deadline) throw new Error(`the minimap never drew the MARK section header at line ${markLine}: painted ${JSON.stringify(painted)}`);
    }
    await page.locator('.editor-instance .minimap').screenshot({ path: path.join(SCREENSHOTS, 'minimap.png') });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'minimap-editor.png') });
    if (painted!.first < markLine - 1) throw new Error(`the minimap has something drawn from line ${painted!.first} on, above the MARK header at line ${markLine}`);
  });

  await check('Format Document on a messy script: before and after', async () => {
    await quickOpen(page, 'messy.stp');
    const editor = page.locator('.editor-instance .monaco-editor').first();
    await editor.locator('.view-line', { hasText: 'total+=1' }).first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'format-before.png') });
    await runCommand(page, 'Format Document');
    await editor.locator('.view-line', { hasText: 'total += 1' }).first().waitFor();
    for (const line of ['probe syscall.read {', 'x = $return;', 'for (i = 0; i < 3; i++) {']) {
      if ((await editor.locator('.view-line', { hasText: line }).count()) === 0) throw new Error(`no line ${line} after formatting`);
    }
    await page.screenshot({ path: path.join(SCREENSHOTS, 'format-after.png') });
  });

  // Last: it leaves the panel on a finished task's terminal.
  await check('a running script: its output view opens beside the terminal and redraws the histogram each time stap prints it again', async () => {
    // The stand-in prints the output; an earlier check pointed stapPath at the real stap, which the check after this one uses.
    const machineSettings = fs.readFileSync(runContext.machineSettings, 'utf8');
    fs.writeFileSync(runContext.machineSettings, JSON.stringify({ 'systemtap.stapPath': path.join(REPO_ROOT, 'test', 'e2e', 'standin', 'stap') }));
    await page.waitForTimeout(1500); // the settings file is watched
    try {
      await chartLiveRun();
    } finally {
      fs.writeFileSync(runContext.machineSettings, machineSettings);
      await page.waitForTimeout(1500);
    }
  });

  async function chartLiveRun(): Promise<void> {
    // Editors stay open (the formatted script is unsaved: closing it would ask): the run's view opens beside them.
    await quickOpen(page, 'output-deviceseeks.stp');
    await runCommand(page, 'SystemTap: Run with stap -vg');
    await pick('This machine');
    // The stand-in prints the real capture (systemtap-doc's deviceseeks), a histogram or a line every 200 ms, through the tee.
    // Other webviews are open (the saved file's view above): the run's is the one that draws this histogram.
    const webviews = page.locator('iframe.webview.ready[src*="extensionId=systemtap-guru.systemtap-guru"]');
    const inView = (i: number) => webviews.nth(i).contentFrame().frameLocator('#active-frame').locator('.chart.histogram', { hasText: 'Device: sdd' });
    let histogram: Locator | undefined;
    for (const deadline = Date.now() + 60_000; !histogram; await page.waitForTimeout(250)) {
      if (Date.now() > deadline) throw new Error("no output view drew the run's histogram (Device: sdd)");
      for (let i = (await webviews.count()) - 1; i >= 0 && !histogram; i--) if ((await inView(i).count()) > 0) histogram = inView(i);
    }
    // Live: the same histogram printed again replaces the bars, and the count says so.
    const printouts = async () => Number(/printed (\d+)×/.exec(await histogram.innerText())?.[1] ?? 0);
    const first = await printouts();
    for (const deadline = Date.now() + 30_000; (await printouts()) <= first; await page.waitForTimeout(250)) {
      if (Date.now() > deadline) throw new Error(`the histogram was not redrawn while the run went on: printed ${first}× still`);
    }
    const pixels = await outputChartPixels(histogram.locator('canvas'));
    if (pixels.bars < 500) throw new Error(`the live histogram's bars are not drawn: ${JSON.stringify(pixels)}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'output-view-live.png') });
    await runCommand(page, 'SystemTap: Stop');
  }

  await check('a run that fails at once leaves stap\'s message and how it ended in the terminal, not "failed to launch"', async () => {
    await quickOpen(page, 'quick-fail.stp');
    await runCommand(page, 'SystemTap: Run with stap -vg');
    await pick('This machine');
    // The task's own closing line, then the whole terminal in view: the rows drawn are the ones shown.
    const terminal = page.locator('.xterm-rows').filter({ hasText: 'quick-fail' }).filter({ hasText: 'Terminal will be reused by tasks' }).first();
    await terminal.waitFor();
    await runCommand(page, 'View: Toggle Maximized Panel');
    await page.waitForTimeout(500);
    const text = (await terminal.innerText()).replace(/\u00a0/g, ' ');
    // Rows, not lines: a long line goes on in the next row.
    const joined = text.replace(/\n/g, '');
    for (const expected of ['failed with error: No such file or directory', 'stap exited with code 1', 'terminated with exit code: 1'])
      if (!joined.includes(expected)) throw new Error(`"${expected}" is missing from the terminal:\n${text}`);
    if (text.includes('failed to launch')) throw new Error(`the run reads as a launch failure:\n${text}`);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'run-quick-failure.png') });
    await runCommand(page, 'View: Toggle Maximized Panel');
  });

  await page.close();
  return result;
}

/** The relative image links of the README as packaged (vsce names it readme.md). */
function readmeImages(installed: string): string[] {
  const readme = fs.readFileSync(path.join(installed, 'readme.md'), 'utf8');
  return [...readme.matchAll(/!\[[^\]]*\]\(([^)\s]+)\)/g)].map((m) => m[1]).filter((link) => !/^[a-z]+:/i.test(link));
}
