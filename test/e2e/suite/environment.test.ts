// The environment doctor in the real VS Code: the report for the target
// kernel (the e2e runs' fake kernel tree, with the stand-in stap), and a
// check with the real stap for a kernel without a build tree, which is the
// machine's problem and must leave no error in the script.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SystemTapApi } from '../../../client/src/extension';
import type { EnvironmentReport } from '../../../server/src/environment/doctor/findings';
import { withMachineStap, workspaceFile } from './helpers';

describe('the environment doctor', () => {
  before(function () {
    if (!vscode.workspace.isTrusted) this.skip();
  });

  it('Check Environment reports on the target kernel and shows the report', async () => {
    const report = await vscode.commands.executeCommand<EnvironmentReport | undefined>('systemtap.checkEnvironment');
    assert.ok(report, 'no report');
    const byId = new Map(report.findings.map((f) => [f.id, f]));
    assert.strictEqual(report.release, '6.1.0-fake');
    assert.strictEqual(byId.get('headers')?.severity, 'ok', JSON.stringify(byId.get('headers')));
    assert.strictEqual(byId.get('stap')?.severity, 'ok');
    assert.match(byId.get('stap')!.detail, /^stap 4\.8\/0\.188/);
    const api = await vscode.extensions.getExtension<SystemTapApi>('systemtap-guru.systemtap-guru')!.activate();
    const text = await api.environmentReport();
    assert.match(text, /^# SystemTap environment/);
    assert.match(text, /Target kernel \*\*6\.1\.0-fake\*\*/);
    assert.match(text, /## .*Kernel headers \(build tree\)/);
  });

  it('Check with stap for a kernel without a build tree puts no error in the script', async function () {
    this.timeout(120_000);
    const uri = workspaceFile('fixtures', 'run', 'trace.stp');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const config = vscode.workspace.getConfiguration('systemtap');
    await config.update('kernelRelease', '6.1.0-99-nowhere', vscode.ConfigurationTarget.Workspace);
    try {
      await withMachineStap(process.env.STAP_E2E_REAL_STAP!, async () => {
        assert.strictEqual(await vscode.commands.executeCommand<string>('systemtap.check', uri), 'failed');
        const fromStap = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'stap');
        assert.deepStrictEqual(
          fromStap.map((d) => `${d.range.start.line}:${d.range.start.character} ${d.message}`),
          [],
        );
        const report = await vscode.commands.executeCommand<EnvironmentReport | undefined>('systemtap.checkEnvironment', uri);
        const headers = report?.findings.find((f) => f.id === 'headers');
        assert.strictEqual(headers?.severity, 'error');
        assert.match(headers.fix ?? '', /linux-headers-6\.1\.0-99-nowhere/);
      });
    } finally {
      await config.update('kernelRelease', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
});
