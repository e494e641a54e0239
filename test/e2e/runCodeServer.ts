// Runs the e2e tests in a real VS Code: code-server with its workbench in
// headless Chromium driven by playwright-core, on two releases: the newest,
// and the oldest that package.json's engines.vscode admits. On each:
//  1. the mocha suite inside the extension host (API-level checks), in a
//     trusted and in an untrusted window;
//  2. on the newest only, UI checks a person would make, with screenshots in
//     test-results/ (they look for the workbench's own elements, which move
//     between releases).
// The extension under test is the packaged VSIX, installed by code-server.
// STAP_E2E_VSCODE=newest (or oldest) runs on one release only; STAP_E2E_GREP=text
// only the mocha tests whose title contains it, and then no UI checks.
//
// Needs: the toolchains from scripts/install-vscode-tools.sh, /usr/bin/chromium,
// and dist-vsix/systemtap-guru.vsix (npm run package).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Browser, chromium } from 'playwright-core';
import { CHROMIUM_ARGS, installExtension, startCodeServer, Toolchain, VscodeTools, vscodeTools, writeSettings } from '../support/codeServer';
import { REPO_ROOT } from '../support/paths';
import { fakeKernelTree, findStap } from '../support/stapOracle';
import { E2eResult } from './index';
import { REMOTE_TARGET, runUiChecks, SCREENSHOTS } from './ui';
import { prepareWorkspace } from './workspace';

const VSIX = path.join(REPO_ROOT, 'dist-vsix', 'systemtap-guru.vsix');
const SUITE_TIMEOUT_MS = 15 * 60_000;
const NAVIGATION_TIMEOUT_MS = 180_000;

function chosenToolchains(): Toolchain[] {
  const chosen = process.env.STAP_E2E_VSCODE ?? 'all';
  if (chosen === 'all') return ['newest', 'oldest'];
  if (chosen === 'newest' || chosen === 'oldest') return [chosen];
  throw new Error(`STAP_E2E_VSCODE=${chosen}: expected newest, oldest or all`);
}

const seconds = (since: number) => `${Math.round((Date.now() - since) / 1000)} s`;

async function main(): Promise<number> {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package first`);
  const result: E2eResult = { passed: [], failed: [] };
  const timings: string[] = [];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    for (const toolchain of chosenToolchains()) {
      const started = Date.now();
      let label = `the ${toolchain} VS Code`;
      let ofThisRun: E2eResult;
      try {
        const tools = vscodeTools(toolchain);
        label = `VS Code ${tools.vscodeVersion}`;
        ofThisRun = await runOn(browser, tools, timings);
      } catch (e) {
        // One release that cannot start must not hide the other's results.
        ofThisRun = { passed: [], failed: [{ title: 'starting the e2e run', error: String((e as Error).stack ?? e) }] };
      }
      for (const t of ofThisRun.passed) result.passed.push(`[${label}] ${t}`);
      for (const t of ofThisRun.failed) result.failed.push({ ...t, title: `[${label}] ${t.title}` });
      timings.push(`e2e on ${label} (${toolchain}): ${ofThisRun.passed.length} passed, ${ofThisRun.failed.length} failed in ${seconds(started)}`);
    }
  } finally {
    await browser.close();
  }
  for (const t of result.passed) console.log(`  ok ${t}`);
  for (const t of result.failed) console.log(`  FAILED ${t.title}\n${t.error.replace(/^/gm, '      ')}`);
  console.log(`screenshots: ${SCREENSHOTS}`);
  for (const line of timings) console.log(line);
  console.log(`${result.passed.length} passed, ${result.failed.length} failed`);
  return result.failed.length === 0 && result.passed.length > 0 ? 0 : 1;
}

/** Every check on one code-server release, in a run folder of its own. */
async function runOn(browser: Browser, tools: VscodeTools, timings: string[]): Promise<E2eResult> {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), `stap-e2e-${tools.vscodeVersion}-`));
  const installed = installExtension(tools, run, VSIX);
  const phases: [string, () => Promise<E2eResult>][] = [
    ['mocha suite, trusted window', () => runMochaSuite(browser, tools, run, installed, 'trusted')],
    ['mocha suite, untrusted window', () => runMochaSuite(browser, tools, run, installed, 'untrusted')],
  ];
  if (tools.toolchain === 'newest' && !process.env.STAP_E2E_GREP) phases.push(['UI checks', () => runUi(browser, tools, run, installed)]);
  const result: E2eResult = { passed: [], failed: [] };
  for (const [name, phase] of phases) {
    const started = Date.now();
    const r = await phase().catch((e): E2eResult => ({ passed: [], failed: [{ title: name, error: String((e as Error).stack ?? e) }] }));
    result.passed.push(...r.passed);
    result.failed.push(...r.failed);
    timings.push(`  ${name} on VS Code ${tools.vscodeVersion}: ${r.passed.length} passed, ${r.failed.length} failed in ${seconds(started)}`);
  }
  return result;
}

const STANDIN = path.join(REPO_ROOT, 'test', 'e2e', 'standin', 'stap');

/**
 * Settings and environment for running scripts: systemtap.stapPath, a machine
 * setting, names the stand-in that records its argv in `log`; checks use the
 * real stap's fake kernel tree. Sudo is off: the stand-in needs no root.
 * Auto-save is off, as in desktop VS Code: in a browser it saves an edited
 * file after a second, which races the tests that save themselves.
 */
function runSettings(run: string, log: string, user: Record<string, unknown> = {}): Record<string, string> {
  const files = writeSettings(run, { 'files.autoSave': 'off', 'systemtap.run.sudo': 'never', 'systemtap.kernelRelease': fakeKernelTree(), ...user }, { 'systemtap.stapPath': STANDIN });
  return { STAP_STANDIN_LOG: log, STAP_E2E_MACHINE_SETTINGS: files.machine, STAP_E2E_REAL_STAP: findStap() ?? 'stap' };
}

/** The mocha suite runs in the extension host; the workbench reports its end. */
async function runMochaSuite(browser: Browser, tools: VscodeTools, run: string, installed: string, trust: 'trusted' | 'untrusted'): Promise<E2eResult> {
  const workspace = prepareWorkspace(run, `workspace-${trust}`);
  const resultsFile = path.join(run, `results-${trust}.json`);
  const env = { STAP_E2E_RESULTS: resultsFile, STAP_E2E_SUITE: trust, ...runSettings(run, path.join(run, `standin-${trust}.log`)) };
  const server = await startCodeServer(tools, run, { env, smokeTestDriver: true, workspaceTrust: trust === 'untrusted' });
  const workbenchLog: string[] = [];
  let exitCode = -1;
  try {
    const page = await browser.newPage();
    // The workbench is megabytes of script: on a busy machine it takes a while to load.
    page.setDefaultNavigationTimeout(NAVIGATION_TIMEOUT_MS);
    const exited = new Promise<number>((resolve) => {
      page.on('console', (m) => {
        const text = m.text();
        const exit = /^__E2E_EXIT__ (\d+)/.exec(text);
        if (exit) resolve(Number(exit[1]));
        workbenchLog.push(text.replace('__E2E_LOG__ ', ''));
        if (process.env.STAP_E2E_VERBOSE) console.log(text);
      });
    });
    await page.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      w.codeAutomationExit = (code: number) => console.log(`__E2E_EXIT__ ${code}`);
      w.codeAutomationLog = (...args: unknown[]) => console.log(`__E2E_LOG__ ${args.join(' ')}`);
    });
    // The installed copy of the VSIX is the development path: the packaged artifact is what runs.
    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(installed)],
      ['extensionTestsPath', server.remoteUri(path.join(REPO_ROOT, 'out', 'test', 'e2e', 'index'))],
    ];
    await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), SUITE_TIMEOUT_MS).unref());
    exitCode = await Promise.race([exited, timeout]);
    await page.close();
  } finally {
    server.stop();
  }
  if (!fs.existsSync(resultsFile)) {
    const why = exitCode === -1 ? 'the workbench never reported an exit code' : `exit code ${exitCode}, no results written`;
    return {
      passed: [],
      failed: [{ title: 'mocha suite in the extension host', error: `${why}\nlast workbench log lines:\n${workbenchLog.slice(-60).join('\n')}\ncode-server log:\n${server.log().slice(-3000)}` }],
    };
  }
  return JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as E2eResult;
}

/** A fresh code-server with the extension installed normally, as a user has it. */
async function runUi(browser: Browser, tools: VscodeTools, run: string, installed: string): Promise<E2eResult> {
  const workspace = prepareWorkspace(run, 'workspace-ui');
  const standinLog = path.join(run, 'standin-ui.log');
  // A remote target makes every run ask where to run, as it does for users who set one.
  // The terminal drawn in the DOM, not on a canvas: the checks read what it shows.
  const env = runSettings(run, standinLog, { 'systemtap.run.remote': [REMOTE_TARGET], 'terminal.integrated.gpuAcceleration': 'off' });
  const server = await startCodeServer(tools, run, { env });
  try {
    return await runUiChecks(browser, server.url, workspace, { standinLog, machineSettings: env.STAP_E2E_MACHINE_SETTINGS, realStap: env.STAP_E2E_REAL_STAP, installed });
  } finally {
    server.stop();
  }
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (e) => {
      console.error(`e2e: ${(e as Error).stack ?? e}`);
      console.log('0 passed, 1 failed');
      process.exit(1);
    },
  );
}
