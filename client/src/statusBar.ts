// The status bar item for SystemTap scripts: whether the script needs guru
// mode, and whether a run is active. Clicking it runs or stops.

import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { ScriptRunner } from './run/runner';
import { scriptInfo } from './scriptInfo';

const REFRESH_DELAY_MS = 500;

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('systemtap.run', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly runner: ScriptRunner,
  ) {
    this.item.name = 'SystemTap run';
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refreshSoon(0)),
      vscode.workspace.onDidChangeTextDocument((e) => e.document === vscode.window.activeTextEditor?.document && this.refreshSoon()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refreshSoon(0)),
      // The server publishes diagnostics once it has analysed a document: from then on it can answer for it
      // (at start-up the first refresh may come before the server is ready).
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (e.uris.some((u) => u.toString() === active)) this.refreshSoon();
      }),
      runner.onDidChangeRunning(() => this.refreshSoon(0)),
    ];
    this.refreshSoon(0);
  }

  private refreshSoon(delay = REFRESH_DELAY_MS): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    if (this.runner.isRunning) {
      this.item.text = '$(debug-stop) stap running';
      this.item.tooltip = 'A SystemTap script is running. Click to stop it (SystemTap: Stop).';
      this.item.command = 'systemtap.stop';
      this.item.show();
      return;
    }
    if (document?.languageId !== 'systemtap') return this.item.hide();
    const info = await scriptInfo(this.client, document);
    const trusted = vscode.workspace.isTrusted;
    this.item.text = info.needsGuru ? '$(play) stap -vg $(shield)' : '$(play) stap -v';
    const why = info.needsGuru ? `Needs guru mode: ${info.guruReasons.slice(0, 3).join('; ')}.` : 'Runs without guru mode.';
    this.item.tooltip = trusted ? `${why}\nClick to run it (SystemTap: Run with stap -vg).` : `${why}\nRunning is disabled in Restricted Mode.`;
    this.item.command = info.needsGuru ? 'systemtap.run' : 'systemtap.runWithoutGuru';
    this.item.show();
  }

  dispose(): void {
    clearTimeout(this.timer);
    for (const s of this.subscriptions) s.dispose();
  }
}
