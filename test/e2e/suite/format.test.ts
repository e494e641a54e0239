// Format Document through VS Code's own provider call, with the editor's indentation options.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { workspaceFile } from './helpers';

async function formatEdits(doc: vscode.TextDocument, options: vscode.FormattingOptions): Promise<vscode.TextEdit[]> {
  // The server may still be starting: ask until it answers.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const edits = (await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>('vscode.executeFormatDocumentProvider', doc.uri, options)) ?? [];
    if (edits.length > 0 || Date.now() > deadline) return edits;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('formatting', () => {
  it('Format Document lays out the messy sample with the editor options, and a second run changes nothing', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('fixtures', 'format', 'messy.stp'));
    const editor = await vscode.window.showTextDocument(doc);
    const original = doc.getText();
    const edits = await formatEdits(doc, { tabSize: 4, insertSpaces: true });
    assert.ok(edits.length > 0, 'no edits');
    const edit = new vscode.WorkspaceEdit();
    edit.set(doc.uri, edits);
    assert.ok(await vscode.workspace.applyEdit(edit));
    const text = doc.getText();
    for (const line of [
      'probe syscall.read {',
      '    reads[execname()] <<< count;',
      '    total += 1',
      '        printf("big read %d\\n", count)',
      '    return v * 2   // twice',
      'function guru() %{ /* pure */',
    ]) {
      assert.ok(text.split('\n').includes(line), `no line ${JSON.stringify(line)} in\n${text}`);
    }
    assert.ok(text.includes('@define twice(x) %( (@x  +  @x) %)'), 'the macro body changed');
    assert.ok(text.includes('%{ /* pure */\n    STAP_RETVALUE = 1;\n%}'), 'the embedded C changed');
    const again = (await vscode.commands.executeCommand<vscode.TextEdit[] | undefined>('vscode.executeFormatDocumentProvider', doc.uri, { tabSize: 4, insertSpaces: true })) ?? [];
    assert.deepStrictEqual(again, []);
    // Leave the file as it was for the UI checks.
    await editor.edit((b) => b.replace(new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), original));
    await doc.save();
  });
});
