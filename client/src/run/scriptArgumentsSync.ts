// Tells the language server the arguments each open file's last run was
// given, so that it reads `$1`/`@1` as that run did and warns of a `$N` past
// them. Sent when a file opens, when a run remembers new arguments, and again
// after the server restarts (it keeps nothing across restarts).

import * as vscode from 'vscode';
import { LanguageClient, State } from 'vscode-languageclient/node';
import { SCRIPT_ARGUMENTS_NOTIFICATION } from '../../../server/src/protocol';
import { RunMemory } from './runMemory';

export class ScriptArgumentsSync implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly client: LanguageClient,
    private readonly memory: RunMemory,
  ) {
    this.subscriptions = [
      vscode.workspace.onDidOpenTextDocument((d) => this.send(d.uri, d.languageId)),
      memory.onDidUpdate((uri) => this.send(uri)),
      client.onDidChangeState((e) => {
        if (e.newState === State.Running) for (const d of vscode.workspace.textDocuments) this.send(d.uri, d.languageId);
      }),
    ];
  }

  private send(uri: vscode.Uri, languageId = 'systemtap'): void {
    if (languageId !== 'systemtap' || !this.client.isRunning()) return;
    const args = this.memory.get(uri).scriptArgs;
    if (!args) return;
    void this.client.sendNotification(SCRIPT_ARGUMENTS_NOTIFICATION, { uri: this.client.code2ProtocolConverter.asUri(uri), args });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
