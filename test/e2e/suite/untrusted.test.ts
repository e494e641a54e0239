// In Restricted Mode (an untrusted folder) nothing is executed: the run and
// check commands refuse, while the language features keep working.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { workspaceFile } from './helpers';
import { standinRecords } from './runHelpers';

describe('untrusted workspace', () => {
  it('Run, Run with stap -v and Check execute nothing', async () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'this suite must run in an untrusted folder');
    const uri = workspaceFile('fixtures', 'run', 'trace.stp');
    assert.strictEqual(await vscode.commands.executeCommand('systemtap.run', uri), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('systemtap.runWithoutGuru', uri), undefined);
    assert.strictEqual(await vscode.commands.executeCommand('systemtap.check', uri), 'skipped');
    assert.strictEqual(await vscode.commands.executeCommand('systemtap.compileCheck', uri), 'skipped');
    assert.strictEqual(await vscode.commands.executeCommand('systemtap.checkEnvironment', uri), undefined);
    await new Promise((r) => setTimeout(r, 2000)); // anything started would have recorded itself by now
    assert.deepStrictEqual(standinRecords(), []);
  });

  it('the language features still work', async () => {
    const uri = workspaceFile('mistakes.stp');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
    const deadline = Date.now() + 45_000;
    while (vscode.languages.getDiagnostics(uri).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    assert.ok(vscode.languages.getDiagnostics(uri).length > 0, 'no diagnostics in Restricted Mode');
  });
});
