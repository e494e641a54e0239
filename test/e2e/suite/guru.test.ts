// Guru-mode intelligence in the real VS Code: quick fixes, hover, completion
// (the C snippets inside `%{ %}`, which VS Code treats as C, and where the
// cursor stands decides what is offered).
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

/** The completion items VS Code gathers at a position, from every provider (ours, words, snippets). */
async function completionsAt(doc: vscode.TextDocument, position: vscode.Position, trigger?: string): Promise<vscode.CompletionItem[]> {
  const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, position, trigger);
  return list.items;
}
const labelOf = (i: vscode.CompletionItem) => (typeof i.label === 'string' ? i.label : i.label.label);
const insertOf = (i: vscode.CompletionItem) => (i.insertText instanceof vscode.SnippetString ? i.insertText.value : String(i.insertText ?? ''));

describe('completion where the cursor is', () => {
  it('inside %{ %} typing printk offers the C snippets; at script level it offers none', async () => {
    const text = 'function f:string(skb:long) %{\n  printk\n%}\nprobe begin {\n  printk\n}\n';
    const doc = await vscode.workspace.openTextDocument({ language: 'systemtap', content: text });
    await vscode.window.showTextDocument(doc);
    const inC = await completionsAt(doc, new vscode.Position(1, 8));
    const printk = inC.find((i) => labelOf(i) === 'printk' && i.kind === vscode.CompletionItemKind.Snippet);
    assert.ok(printk, `no printk snippet in %{ %}: ${inC.map(labelOf).slice(0, 30).join(', ')}`);
    assert.match(insertOf(printk), /^printk\(\$\{1\|KERN_ERR,/);
    for (const label of ['devname', 'ICMP_INC_STATS'])
      assert.ok(
        inC.some((i) => labelOf(i) === label && i.kind === vscode.CompletionItemKind.Snippet),
        label,
      );
    const inScript = await completionsAt(doc, new vscode.Position(4, 8));
    const cSnippets = inScript.filter((i) => i.kind === vscode.CompletionItemKind.Snippet && /KERN_|STAP_ARG_/.test(insertOf(i)));
    assert.deepStrictEqual(cSnippets.map(labelOf), []);
    assert.strictEqual(inScript.find((i) => labelOf(i) === 'printk')?.kind, vscode.CompletionItemKind.Function, "the tapset's printk(level, msg)");
  });

  it('a space after probe asks for the probe points; between declarations only declarations', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'systemtap', content: 'probe begin {}\n\nprobe ' });
    await vscode.window.showTextDocument(doc);
    const points = (await completionsAt(doc, new vscode.Position(2, 6), ' ')).map(labelOf);
    for (const label of ['begin', 'kernel.function', 'timer.ms']) assert.ok(points.includes(label), `${label} not offered after "probe ": ${points.slice(0, 30).join(', ')}`);
    const top = await completionsAt(doc, new vscode.Position(1, 0));
    const keywords = top.filter((i) => i.kind === vscode.CompletionItemKind.Keyword).map(labelOf);
    assert.deepStrictEqual(keywords.sort(), ['%(', '%{', '@define', 'function', 'global', 'private', 'probe'].sort());
    assert.ok(!top.some((i) => i.kind === vscode.CompletionItemKind.Function), 'no function calls between declarations');
  });

  it('the fndevname snippet, inserted, checks the device pointer', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'systemtap', content: '\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const item = (await completionsAt(doc, new vscode.Position(0, 0))).find((i) => labelOf(i) === 'fndevname');
    assert.ok(item?.insertText instanceof vscode.SnippetString, 'no fndevname snippet between declarations');
    assert.ok(await editor.insertSnippet(item.insertText, new vscode.Position(0, 0)));
    assert.match(doc.getText(), /dev = kread\(&\(skb->dev\)\);\s+if \(dev == NULL\)/);
    assert.match(doc.getText(), /#include <linux\/netdevice\.h>/);
  });
});
