// Outline, folding and Go to Definition through VS Code's own providers.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { workspaceFile } from './helpers';

async function openSample(name: string): Promise<vscode.TextDocument> {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Asks until the server answers non-empty: it may still be starting. */
async function ask<T>(command: string, ...args: unknown[]): Promise<T[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const result = (await vscode.commands.executeCommand<T[] | undefined>(command, ...args)) ?? [];
    if (result.length > 0 || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('navigation', () => {
  it('the outline lists the guru function and the probe', async () => {
    const doc = await openSample('icmp_inerrors.stp');
    const symbols = await ask<vscode.DocumentSymbol>('vscode.executeDocumentSymbolProvider', doc.uri);
    const names = symbols.map((s) => `${vscode.SymbolKind[s.kind]} ${s.name}`);
    assert.deepStrictEqual(names, ['Function bump_icmp_inerrors', 'Event kernel.function("icmp_rcv")']);
    assert.strictEqual(symbols[0].detail, '(skb:long) %{ %}');
  });

  it('Go to Definition jumps from a call to the function', async () => {
    const doc = await openSample('icmp_inerrors.stp');
    const call = doc.getText().indexOf('bump_icmp_inerrors($skb)');
    const locations = await ask<vscode.Location | vscode.LocationLink>('vscode.executeDefinitionProvider', doc.uri, doc.positionAt(call + 3));
    const target = locations[0] as vscode.Location;
    assert.ok(target, 'no definition');
    assert.strictEqual(doc.getText(target.range), 'bump_icmp_inerrors');
    assert.strictEqual(target.range.start.line, 10);
  });

  it('the %{ %} block and the function fold', async () => {
    const doc = await openSample('icmp_inerrors.stp');
    const ranges = await ask<vscode.FoldingRange>('vscode.executeFoldingRangeProvider', doc.uri);
    const lines = ranges.map((r) => `${r.start}-${r.end}`);
    assert.ok(lines.includes('5-7'), `no fold for the %{ %} include block: ${lines}`);
    assert.ok(lines.includes('10-13'), `no fold for the function: ${lines}`);
  });

  it('hovering a tapset function shows its documentation; F12 opens the tapset file', async () => {
    const doc = await openSample('device_name.stp');
    const at = doc.positionAt(doc.getText().indexOf('execname()') + 2);
    const hovers = await ask<vscode.Hover>('vscode.executeHoverProvider', doc.uri, at);
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /function execname:string\(\)/);
    assert.match(text, /Returns the execname of a target process/);
    const [target] = await ask<vscode.Location>('vscode.executeDefinitionProvider', doc.uri, at);
    assert.ok(target?.uri.fsPath.endsWith('/tapset/linux/context.stp'), `definition in ${target?.uri.fsPath}`);
  });

  it('after probe, completion offers the tapset probe aliases', async () => {
    const doc = await vscode.workspace.openTextDocument({ language: 'systemtap', content: 'probe syscall.op' });
    await vscode.window.showTextDocument(doc);
    // The library is indexed in the background after the server starts: ask until it answers.
    let labels: string[] = [];
    for (const deadline = Date.now() + 30_000; !labels.includes('syscall.open') && Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
      const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, new vscode.Position(0, 16));
      labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    }
    assert.ok(labels.includes('syscall.open'), `no syscall.open among ${labels.length} items: ${labels.slice(0, 10)}`);
  });

  it("references, rename and signature help on the script's own function", async () => {
    const doc = await openSample('add_params.stp');
    const text = doc.getText();
    const call = doc.positionAt(text.lastIndexOf('add_params(') + 1);
    const refs = await ask<vscode.Location>('vscode.executeReferenceProvider', doc.uri, call);
    assert.ok(refs.length >= 2, `references: ${refs.map((r) => r.range.start.line)}`);
    const edit = await vscode.commands.executeCommand<vscode.WorkspaceEdit>('vscode.executeDocumentRenameProvider', doc.uri, call, 'add_two');
    const edits = edit.get(doc.uri);
    assert.strictEqual(edits.length, refs.length);
    assert.ok(edits.every((e) => doc.getText(e.range) === 'add_params'));
    const inside = doc.positionAt(text.lastIndexOf('add_params(') + 'add_params('.length);
    const help = await vscode.commands.executeCommand<vscode.SignatureHelp>('vscode.executeSignatureHelpProvider', doc.uri, inside);
    assert.match(help?.signatures[0]?.label ?? '', /^add_params:long\(x:long, y:long\)$/);
  });
});
