// Runs the e2e suite in a real VS Code: code-server (VS Code 1.139) with its
// workbench in headless Chromium driven by playwright-core. The extension under
// test is the packaged VSIX, installed by code-server and loaded from there.
//
// Needs: the toolchain from scripts/install-vscode-tools.sh, /usr/bin/chromium,
// and dist-vsix/systemtap-guru.vsix (npm run package).

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { chromium } from 'playwright-core';
import { REPO_ROOT } from '../support/paths';
import { E2eResult } from './index';
import { CHROMIUM_ARGS, CodeServer, installExtension, startCodeServer, vscodeTools } from '../../scripts/codeServer';

const VSIX = path.join(REPO_ROOT, 'dist-vsix', 'systemtap-guru.vsix');

async function main(): Promise<number> {
  if (!fs.existsSync(VSIX)) throw new Error(`${VSIX} is missing: run npm run package first`);
  const tools = vscodeTools();
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-e2e-'));
  const workspace = prepareWorkspace(run);
  const results = path.join(run, 'results.json');

  const installed = installExtension(tools, run, VSIX);
  const server = await startCodeServer(tools, run, { env: { STAP_E2E_RESULTS: results }, smokeTestDriver: true });
  let exitCode: number | undefined;
  const workbenchLog: string[] = [];
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  try {
    const page = await browser.newPage();
    const exited = new Promise<number>((resolve) => {
      page.on('console', (m) => {
        const text = m.text();
        const exit = /^__E2E_EXIT__ (\d+)/.exec(text);
        if (exit) resolve(Number(exit[1]));
        else {
          workbenchLog.push(text.replace('__E2E_LOG__ ', ''));
          if (process.env.STAP_E2E_VERBOSE) console.log(text);
        }
      });
    });
    await page.addInitScript(() => {
      const w = globalThis as unknown as Record<string, unknown>;
      w.codeAutomationExit = (code: number) => console.log(`__E2E_EXIT__ ${code}`);
      w.codeAutomationLog = (...args: unknown[]) => console.log(`__E2E_LOG__ ${args.join(' ')}`);
    });
    const payload = [
      ['extensionDevelopmentPath', server.remoteUri(installed)],
      ['extensionTestsPath', server.remoteUri(path.join(REPO_ROOT, 'out', 'test', 'e2e', 'index'))],
    ];
    const url = `${server.url}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    await page.goto(url);
    const timeout = new Promise<number>((resolve) => setTimeout(() => resolve(-1), 15 * 60_000).unref());
    exitCode = await Promise.race([exited, timeout]);
    if (exitCode === -1) console.error('e2e: the workbench never reported an exit code (timed out after 15 minutes)');
  } finally {
    await browser.close();
    server.stop();
  }
  const status = report(results, exitCode ?? -1, server);
  if (status !== 0) console.log(`last workbench log lines:\n${workbenchLog.slice(-60).join('\n')}`);
  return status;
}

function report(resultsFile: string, exitCode: number, server: CodeServer): number {
  if (!fs.existsSync(resultsFile)) {
    console.error(`e2e: no results were written (exit code ${exitCode}); code-server log:\n${server.log().slice(-4000)}`);
    console.log('0 passed, 1 failed');
    return 1;
  }
  const result = JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as E2eResult;
  for (const t of result.passed) console.log(`  ok ${t}`);
  for (const t of result.failed) console.log(`  FAILED ${t.title}\n${t.error.replace(/^/gm, '      ')}`);
  console.log(`${result.passed.length} passed, ${result.failed.length} failed`);
  return result.failed.length === 0 && result.passed.length > 0 && exitCode === 0 ? 0 : 1;
}

/** A scratch copy of samples/ and the fixtures: tests edit documents freely. */
function prepareWorkspace(run: string): string {
  const workspace = path.join(run, 'workspace');
  fs.cpSync(path.join(REPO_ROOT, 'samples'), workspace, { recursive: true });
  fs.cpSync(path.join(REPO_ROOT, 'test', 'fixtures'), path.join(workspace, 'fixtures'), { recursive: true });
  // Seeded random bytes: the server must survive them.
  let seed = 42;
  // No NUL bytes: VS Code refuses to open those as text at all.
  const bytes = Buffer.alloc(64 * 1024, 0).map(() => 1 + ((((seed = (seed * 1103515245 + 12345) >>> 0) >>> 16) & 0xff) % 255));
  fs.writeFileSync(path.join(workspace, 'fixtures', 'random-bytes.stp'), bytes);
  return workspace;
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
