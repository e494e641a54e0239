// Guru-mode intelligence in the real VS Code: quick fixes, hover, completion.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { codeOf, hasCode, serverLoaded, waitForDiagnostics, workspaceFile } from './helpers';

/** The quick fixes at a range, from the analysis whose diagnostics the caller waited for. */
async function quickFixes(uri: vscode.Uri, range: vscode.Range): Promise<vscode.CodeAction[]> {
  return (await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', uri, range, vscode.CodeActionKind.QuickFix.value)) ?? [];
}

describe('guru mode', () => {
  // The server may have just been restarted (extension.test.ts does): its diagnostics count once it has loaded everything.
  before(serverLoaded);

  it('the STAP_ARG_ quick fix turns STAP_ARG_skbb into STAP_ARG_skb and the error goes away', async () => {
    const uri = workspaceFile('fixtures', 'devname_typo.stp');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitForDiagnostics(uri, hasCode('stap-arg-unknown'));
    const error = diagnostics.find((d) => codeOf(d) === 'stap-arg-unknown')!;
    assert.strictEqual(doc.getText(error.range), 'STAP_ARG_skbb');
    const fix = (await quickFixes(uri, error.range)).find((a) => a.title === 'Change to STAP_ARG_skb');
    assert.ok(fix?.edit, 'no "Change to STAP_ARG_skb" fix offered');
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.match(doc.lineAt(error.range.start.line).text, /\(long\)STAP_ARG_skb;/);
    await waitForDiagnostics(uri, (ds) => !hasCode('stap-arg-unknown')(ds));
  });

  it('the -g quick fix rewrites the #! line', async () => {
    const uri = workspaceFile('mistakes.stp');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc);
    const diagnostics = await waitForDiagnostics(uri, hasCode('guru-mode-required'));
    const warning = diagnostics.find((d) => codeOf(d) === 'guru-mode-required')!;
    const fix = (await quickFixes(uri, warning.range)).find((a) => a.title.startsWith('Run with guru mode'));
    assert.ok(fix?.edit);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.strictEqual(doc.lineAt(0).text, '#!/usr/bin/stap -vg');
    await waitForDiagnostics(uri, (ds) => !hasCode('guru-mode-required')(ds));
  });

  it('hovering STAP_RETVALUE explains it for this function', async () => {
    const uri = workspaceFile('device_name.stp');
    const doc = await vscode.workspace.openTextDocument(uri);
    const position = doc.positionAt(doc.getText().indexOf('STAP_RETVALUE, IFNAMSIZ') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', uri, position);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /STAP_RETVALUE/);
    assert.match(text, /`device_name` \(`:string`\)[\s\S]*MAXSTRINGLEN/);
  });

  it('typing STAP_ inside %{ offers the parameters', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'systemtap', content: 'function f:long(skb:long, len:long) %{\n  STAP_\n%}\n' });
    await vscode.window.showTextDocument(doc);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(1, 7));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    for (const expected of ['STAP_ARG_skb', 'STAP_ARG_len', 'STAP_RETVALUE']) assert.ok(labels.includes(expected), `${expected} not offered: ${labels.slice(0, 20).join(', ')}`);
  });
});
