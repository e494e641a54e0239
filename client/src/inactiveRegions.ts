// Fades the untaken branches of `%( ... %? ... %: ... %)` conditionals, as
// clangd fades inactive #if blocks. The server sends the ranges.

import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { INACTIVE_REGIONS_NOTIFICATION } from '../../server/src/protocol';

export class InactiveRegions implements vscode.Disposable {
  private readonly decoration = vscode.window.createTextEditorDecorationType({ opacity: '0.55', rangeBehavior: vscode.DecorationRangeBehavior.ClosedClosed });
  private readonly byUri = new Map<string, vscode.Range[]>();
  private readonly subscriptions: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with a document's URI when its faded ranges change. */
  readonly onDidChange = this.changed.event;

  constructor(client: LanguageClient) {
    this.subscriptions.push(
      client.onNotification(INACTIVE_REGIONS_NOTIFICATION, (params) => {
        const ranges = params.regions.map((r) => client.protocol2CodeConverter.asRange(r));
        const uri = client.protocol2CodeConverter.asUri(params.uri).toString();
        this.byUri.set(uri, ranges);
        for (const editor of vscode.window.visibleTextEditors) if (editor.document.uri.toString() === uri) editor.setDecorations(this.decoration, ranges);
        this.changed.fire(vscode.Uri.parse(uri));
      }),
      vscode.window.onDidChangeVisibleTextEditors((editors) => {
        for (const editor of editors) editor.setDecorations(this.decoration, this.byUri.get(editor.document.uri.toString()) ?? []);
      }),
      vscode.workspace.onDidCloseTextDocument((d) => this.byUri.delete(d.uri.toString())),
    );
  }

  /** The faded ranges of a document (for tests and other extensions). */
  of(uri: vscode.Uri): readonly vscode.Range[] {
    return this.byUri.get(uri.toString()) ?? [];
  }

  dispose(): void {
    this.subscriptions.forEach((s) => s.dispose());
    this.decoration.dispose();
    this.changed.dispose();
  }
}
