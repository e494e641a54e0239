// What running a script takes (guru mode, script arguments), as the server
// pushes it with each analysis: seen through the extension's API, which reads
// the store the status bar, runs and checks read.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { SystemTapApi } from '../../../client/src/extension';
import { nextEvent } from './helpers';
import { waitFor } from './runHelpers';

const EXTENSION_ID = 'systemtap-guru.systemtap-guru';

describe('script info', () => {
  it('is pushed when a script opens, and again when an edit changes what it needs, without being asked', async () => {
    const api = await vscode.extensions.getExtension<SystemTapApi>(EXTENSION_ID)!.activate();
    const doc = await vscode.workspace.openTextDocument({ language: 'systemtap', content: 'probe begin { exit() }\n' });
    const editor = await vscode.window.showTextDocument(doc);
    const first = await waitFor(() => api.scriptInfo(doc.uri), 'no script info was pushed for the opened script');
    assert.deepStrictEqual(first, { needsGuru: false, guruReasons: [], declaresGuru: false, scriptArgs: 0 });

    // The status bar listens to this event: it is how it learns that the script now needs stap -g.
    const changed = nextEvent(api.onDidChangeScriptInfo, (uri) => uri.toString() === doc.uri.toString() && !!api.scriptInfo(uri)?.needsGuru);
    assert.ok(await editor.edit((e) => e.insert(new vscode.Position(0, 0), 'function answer:long() %{ STAP_RETVALUE = 42; %}\nprobe end { printf("%s %d\\n", @1, answer()) }\n')));
    await changed;
    assert.deepStrictEqual(api.scriptInfo(doc.uri), { needsGuru: true, guruReasons: ["embedded C ('%{ %}') at line 1"], declaresGuru: false, scriptArgs: 1 });
  });
});
