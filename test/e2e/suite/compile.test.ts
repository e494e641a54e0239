// The compile check (pass 4) in the real VS Code, with the real stap and a
// real kernel build tree (Debian's linux-headers-*-amd64, which .ci/run
// installs): gcc's error about a mistyped struct member lands on the member in
// the script's %{ %}, and gcc's "did you mean" is a quick fix that corrects it.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { debianBuildTree } from '../../support/kernelBuildTree';
import { withMachineStap, workspaceFile } from './helpers';

describe('the compile check (stap -p4) against a real build tree', () => {
  const buildDir = debianBuildTree();

  before(function () {
    if (!vscode.workspace.isTrusted) this.skip();
    if (!buildDir) {
      if (process.env.CI) throw new Error('no kernel build tree in /usr/src: CI must compile against one (apt-get install linux-headers-amd64)');
      this.skip();
    }
  });

  it("places gcc's error on the mistyped member, and its did-you-mean corrects it", async function () {
    this.timeout(300_000);
    const uri = workspaceFile('fixtures', 'compile', 'nmae.stp');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const config = vscode.workspace.getConfiguration('systemtap');
    await config.update('kernelRelease', buildDir, vscode.ConfigurationTarget.Workspace);
    try {
      await withMachineStap(process.env.STAP_E2E_REAL_STAP!, async () => {
        assert.strictEqual(await vscode.commands.executeCommand<string>('systemtap.compileCheck', uri), 'errors');
      });
      const fromGcc = vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'gcc');
      assert.deepStrictEqual(
        fromGcc.map((d) => `${d.range.start.line}:${d.range.start.character}-${d.range.end.character} ${d.message}`),
        ["6:50-54 'struct net_device' has no member named 'nmae'; did you mean 'name'?"],
      );
      const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, fromGcc[0].range, vscode.CodeActionKind.QuickFix.value);
      const fix = actions.find((a) => a.title.includes("to 'name'"));
      assert.ok(fix?.edit, `no quick fix among: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(editor.document.lineAt(6).text, /dev->name\);$/);
    } finally {
      await config.update('kernelRelease', undefined, vscode.ConfigurationTarget.Workspace);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
  });
});
