// The installed tapset library opens read-only, however it is opened: Go to
// Definition lands there, and as root a stray keystroke could be saved into
// the library every script on the machine uses.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { workspaceFile } from './helpers';

/** Asks until the server answers non-empty: it may still be starting or indexing the library. */
async function definitionOf(uri: vscode.Uri, at: vscode.Position): Promise<vscode.Location | undefined> {
  for (const deadline = Date.now() + 30_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    const found = (await vscode.commands.executeCommand<vscode.Location[] | undefined>('vscode.executeDefinitionProvider', uri, at)) ?? [];
    if (found.length) return found[0];
  }
  return undefined;
}

/** Resolves with the active editor once it shows `uri`. */
function editorOf(uri: vscode.Uri): Promise<vscode.TextEditor> {
  return new Promise((resolve, reject) => {
    const check = (e: vscode.TextEditor | undefined) => {
      if (e?.document.uri.toString() !== uri.toString()) return false;
      subscription.dispose();
      clearTimeout(timer);
      resolve(e);
      return true;
    };
    const subscription = vscode.window.onDidChangeActiveTextEditor(check);
    const timer = setTimeout(() => {
      subscription.dispose();
      reject(new Error(`${uri.fsPath} never became the active editor`));
    }, 30_000);
    check(vscode.window.activeTextEditor);
  });
}

describe('the tapset library is read-only', () => {
  it('Go to Definition of a tapset function opens its file, and typing there changes nothing', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('device_name.stp'));
    const editor = await vscode.window.showTextDocument(doc);
    const at = doc.positionAt(doc.getText().indexOf('execname()') + 2);
    const target = await definitionOf(doc.uri, at);
    if (!target?.uri.fsPath.startsWith('/usr/share/systemtap/tapset/')) throw new Error(`definition in ${target?.uri.fsPath}`);

    editor.selection = new vscode.Selection(at, at);
    await vscode.commands.executeCommand('editor.action.revealDefinition');
    const library = await editorOf(target.uri);
    const before = library.document.getText();
    await library.edit((e) => e.insert(new vscode.Position(0, 0), 'oops '));
    assert.strictEqual(library.document.getText(), before, 'the tapset file took the edit');
    assert.strictEqual(library.document.isDirty, false);

    // The same edit in a workspace file does take: it is the library that refuses.
    const own = await vscode.window.showTextDocument(doc);
    await own.edit((e) => e.insert(new vscode.Position(0, 0), 'oops '));
    assert.ok(doc.getText().startsWith('oops '), 'the workspace file refused the edit too');
    await vscode.commands.executeCommand('undo');
    assert.ok(!doc.getText().startsWith('oops '));
  });

  it('a tapset file opened any other way is read-only too', async () => {
    const file = vscode.Uri.file('/usr/share/systemtap/tapset/linux/context.stp');
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(file), { preview: false });
    const before = editor.document.getText();
    await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'oops '));
    assert.strictEqual(editor.document.getText(), before);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });
});
