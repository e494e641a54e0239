// What running a script takes (guru mode, script arguments), as the language
// server pushes it with each document's diagnostics: it has the parse, the
// client does not. One store for the status bar, runs and checks.

import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { PUBLISH_SCRIPT_INFO_NOTIFICATION, SCRIPT_INFO_REQUEST, ScriptInfo } from '../../server/src/protocol';
import { freshScriptInfo, ScriptInfoCache } from './scriptInfoCache';

// The server analyses a few hundred milliseconds after the last keystroke (up to 3 s for a slow file); past
// this, a run asks it instead.
const PUSH_WAIT_MS = 5000;

export class ScriptInfoStore implements vscode.Disposable {
  private readonly cache = new ScriptInfoCache();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with a document's URI when its pushed info changes. */
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(private readonly client: LanguageClient) {
    this.subscriptions = [
      // Registered before the client starts, the handler outlives restarts of the server.
      client.onNotification(PUBLISH_SCRIPT_INFO_NOTIFICATION, (params) => {
        const uri = client.protocol2CodeConverter.asUri(params.uri);
        if (this.cache.accept(uri.toString(), params.version, params.info)) this.changed.fire(uri);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.cache.forget(d.uri.toString())),
      this.changed,
    ];
  }

  /** The last info pushed for a document, which may be for an older version of it; undefined before the first push. */
  latest(uri: vscode.Uri): ScriptInfo | undefined {
    return this.cache.get(uri.toString())?.info;
  }

  /**
   * The info for the document as it is now: pushed for its version, or the next push (the server analyses
   * a moment after typing), or else asked for.
   */
  forDocument(document: vscode.TextDocument): Promise<ScriptInfo> {
    const ask = async () => this.client.sendRequest(SCRIPT_INFO_REQUEST, { uri: this.client.code2ProtocolConverter.asUri(document.uri) });
    // The server never sees documents of another language: nothing will be pushed.
    const waitMs = document.languageId === 'systemtap' ? PUSH_WAIT_MS : 0;
    return freshScriptInfo(this.cache, document.uri.toString(), document.version, { waitMs, ask });
  }

  dispose(): void {
    this.cache.dispose();
    for (const s of this.subscriptions) s.dispose();
  }
}
