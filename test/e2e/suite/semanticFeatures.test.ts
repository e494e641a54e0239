// The features on top of the inferred types, through VS Code's own commands:
// workspace symbols across the folder's scripts, and semantic tokens decoded
// with the legend the server declared.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { workspaceFile } from './helpers';

/** Asks until the answer is non-empty: the server may still be starting or indexing. */
async function ask<T>(what: () => Thenable<T | undefined>, ready: (t: T | undefined) => boolean): Promise<T | undefined> {
  const deadline = Date.now() + 45_000;
  for (;;) {
    const result = await what();
    if (ready(result) || Date.now() > deadline) return result;
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('semantic features', () => {
  it('workspace symbols find a function and a global of a script that is not open', async () => {
    const symbols = await ask(
      () => vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'label'),
      (s) => !!s?.some((x) => x.name === 'label'),
    );
    const label = symbols?.find((s) => s.name === 'label' && s.location.uri.path.endsWith('/fixtures/inferred-types.stp'));
    assert.ok(label, `no 'label' function: ${JSON.stringify(symbols?.map((s) => s.name))}`);
    assert.strictEqual(label.kind, vscode.SymbolKind.Function);
    assert.strictEqual(label.location.range.start.line, 3);
    const globals = await vscode.commands.executeCommand<vscode.SymbolInformation[]>('vscode.executeWorkspaceSymbolProvider', 'names');
    assert.ok(
      globals.some((s) => s.name === 'names' && s.kind === vscode.SymbolKind.Variable),
      JSON.stringify(globals.map((s) => s.name)),
    );
  });

  it('semantic tokens tell globals, locals, parameters and functions apart', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('fixtures', 'inferred-types.stp'));
    await vscode.window.showTextDocument(doc);
    const legend = await ask(
      () => vscode.commands.executeCommand<vscode.SemanticTokensLegend>('vscode.provideDocumentSemanticTokensLegend', doc.uri),
      (l) => !!l?.tokenTypes.length,
    );
    assert.ok(legend, 'no legend');
    // The global `count` is coloured as one only once the analysis has run.
    const tokens = await ask(
      () => vscode.commands.executeCommand<vscode.SemanticTokens>('vscode.provideDocumentSemanticTokens', doc.uri),
      (t) => !!t && t.data.length > 0,
    );
    assert.ok(tokens, 'no semantic tokens');
    const decoded: string[] = [];
    let line = 0;
    let character = 0;
    for (let i = 0; i < tokens.data.length; i += 5) {
      const [dLine, dChar, length, type, modifiers] = tokens.data.slice(i, i + 5);
      line += dLine;
      character = dLine ? dChar : character + dChar;
      const start = new vscode.Position(line, character);
      const names = legend.tokenModifiers.filter((_, bit) => modifiers & (1 << bit));
      decoded.push(`${doc.getText(new vscode.Range(start, start.translate(0, length)))} ${[legend.tokenTypes[type], ...names].join('.')}`);
    }
    for (const expected of [
      'count variable.declaration.global',
      'label function.declaration',
      'n parameter.declaration',
      'tag variable.declaration',
      'sprintf function.defaultLibrary',
      'count variable.global',
    ]) {
      assert.ok(decoded.includes(expected), `${expected} not in ${JSON.stringify(decoded)}`);
    }
  });
});
