// The same mocha suite in desktop VS Code, for machines that can download it
// (`npm run test:electron`). The extension runs from the repository (dist/).
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { REPO_ROOT } from '../support/paths';
import { prepareWorkspace } from './workspace';

async function main(): Promise<void> {
  const run = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-e2e-electron-'));
  const workspace = prepareWorkspace(run);
  await runTests({
    extensionDevelopmentPath: REPO_ROOT,
    extensionTestsPath: path.join(REPO_ROOT, 'out', 'test', 'e2e', 'index'),
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--user-data-dir', path.join(run, 'ud')],
    extensionTestsEnv: { STAP_E2E_RESULTS: path.join(run, 'results.json') },
  });
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
