// End to end in the real VS Code: the packaged extension, its language
// client and its language server, seen through the VS Code API.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SystemTapApi } from '../../../client/src/extension';
import { codeOf, hasCode, nextEvent, serverLoaded, waitForDiagnostics, workspaceFile } from './helpers';

const EXTENSION_ID = 'systemtap-guru.systemtap-guru';

describe('SystemTap extension', () => {
  before(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
  });

  it('opens .stp samples as the systemtap language and activates', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('add_params.stp'));
    await vscode.window.showTextDocument(doc);
    assert.strictEqual(doc.languageId, 'systemtap');
    const ext = vscode.extensions.getExtension(EXTENSION_ID)!;
    await ext.activate();
    assert.strictEqual(ext.isActive, true);
  });

  it('recognises a script without extension by its #! line', async () => {
    const doc = await vscode.workspace.openTextDocument(workspaceFile('fixtures', 'trace-open'));
    assert.strictEqual(doc.languageId, 'systemtap');
  });

  it('a clean guru sample gets no errors, only the note that it needs stap -g', async () => {
    // Without its #! line the server adds an information note: proof it analysed the text.
    const text = (await vscode.workspace.fs.readFile(workspaceFile('device_name.stp'))).toString().replace(/^#!.*\n/, '');
    const doc = await vscode.workspace.openTextDocument({ language: 'systemtap', content: text });
    await vscode.window.showTextDocument(doc);
    const ds = await waitForDiagnostics(doc.uri, hasCode('guru-mode-required'));
    assert.deepStrictEqual(
      ds.map((d) => [codeOf(d), d.severity]),
      [['guru-mode-required', vscode.DiagnosticSeverity.Information]],
    );
  });

  it('shows the syntax error of a broken sample at the right range, and clears it when fixed', async () => {
    const uri = workspaceFile('mistakes.stp');
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc);
    const diagnostics = await waitForDiagnostics(uri, hasCode('syntax'));
    const syntax = diagnostics.find((d) => codeOf(d) === 'syntax')!;
    assert.strictEqual(syntax.severity, vscode.DiagnosticSeverity.Error);
    assert.deepStrictEqual([syntax.range.start.line, syntax.range.start.character, syntax.range.end.line, syntax.range.end.character], [13, 1, 13, 5]);
    assert.strictEqual(doc.getText(syntax.range), 'exit');
    assert.match(syntax.message, /expected ',' or '\)'/);

    // The missing ')' belongs at the end of line 13 (0-based 12).
    const line = doc.lineAt(12);
    assert.ok(await editor.edit((e) => e.insert(line.range.end, ')')));
    await waitForDiagnostics(uri, (ds) => !hasCode('syntax')(ds));
  });

  it('flags STAP_ARG_ names that are not parameters, and the missing -g', async () => {
    const uri = workspaceFile('mistakes.stp');
    const diagnostics = await waitForDiagnostics(uri, (ds) => hasCode('stap-arg-unknown')(ds) && hasCode('guru-mode-required')(ds));
    const arg = diagnostics.find((d) => codeOf(d) === 'stap-arg-unknown')!;
    const doc = await vscode.workspace.openTextDocument(uri);
    assert.strictEqual(doc.getText(arg.range), 'STAP_ARG_y');
    assert.match(arg.message, /parameters: a, b/);
    const guru = diagnostics.find((d) => codeOf(d) === 'guru-mode-required')!;
    assert.strictEqual(guru.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('survives a file of random bytes and keeps serving other files', async () => {
    const garbage = workspaceFile('fixtures', 'random-bytes.stp');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(garbage));
    await waitForDiagnostics(garbage, (ds) => ds.length > 0);

    const probe = await vscode.workspace.openTextDocument({ language: 'systemtap', content: 'probe begin {\n  x = ;\n}\n' });
    await vscode.window.showTextDocument(probe);
    const ds = await waitForDiagnostics(probe.uri, hasCode('syntax'));
    assert.strictEqual(ds.find((d) => codeOf(d) === 'syntax')!.range.start.line, 1);
  });

  it('restarts the language server from the command palette', async () => {
    const commands = await vscode.commands.getCommands(true);
    assert.ok(commands.includes('systemtap.restartServer'));
    await vscode.commands.executeCommand('systemtap.restartServer');
    const doc = await vscode.workspace.openTextDocument({ language: 'systemtap', content: 'probe begin { print(1 }\n' });
    await vscode.window.showTextDocument(doc);
    await waitForDiagnostics(doc.uri, hasCode('syntax'));
    // The restarted server loads its library again.
    await serverLoaded();
  });
});

describe('preprocessor conditionals', () => {
  it('fades the untaken branch of %( %? %: %)', async () => {
    const text = 'probe begin {\n  %( arch == "no-such-arch" %?\n    print("never")\n  %:\n    print("always")\n  %)\n}\n';
    const api = await vscode.extensions.getExtension<SystemTapApi>(EXTENSION_ID)!.activate();
    // Listen before opening: the server may answer before openTextDocument returns.
    const changed = nextEvent(api.onDidChangeInactiveRegions, (uri) => uri.scheme === 'untitled' && api.inactiveRegions(uri).length > 0);
    const doc = await vscode.workspace.openTextDocument({ language: 'systemtap', content: text });
    await vscode.window.showTextDocument(doc);
    assert.strictEqual((await changed).toString(), doc.uri.toString());
    const regions = api.inactiveRegions(doc.uri);
    assert.strictEqual(regions.length, 1);
    assert.match(doc.getText(regions[0]), /print\("never"\)/);
    assert.doesNotMatch(doc.getText(regions[0]), /always/);
  });
});
