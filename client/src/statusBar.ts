// The status bar item for SystemTap scripts: whether the script needs guru
// mode, and whether a run is active. Clicking it runs or stops. It follows
// what the server pushes (ScriptInfoStore): no request per edit.

import * as vscode from 'vscode';
import { ScriptRunner } from './run/runner';
import { ScriptInfoStore } from './scriptInfo';
import { UNKNOWN_SCRIPT_INFO } from './scriptInfoCache';

export class RunStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('systemtap.run', vscode.StatusBarAlignment.Left, 10);
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly scriptInfo: ScriptInfoStore,
    private readonly runner: ScriptRunner,
  ) {
    this.item.name = 'SystemTap run';
    this.subscriptions = [
      this.item,
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.refresh()),
      scriptInfo.onDidChange((uri) => uri.toString() === vscode.window.activeTextEditor?.document.uri.toString() && this.refresh()),
      runner.onDidChangeRunning(() => this.refresh()),
    ];
    this.refresh();
  }

  private refresh(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (this.runner.isRunning) {
      this.item.text = '$(debug-stop) stap running';
      this.item.tooltip = 'A SystemTap script is running. Click to stop it (SystemTap: Stop).';
      this.item.command = 'systemtap.stop';
      this.item.show();
      return;
    }
    if (document?.languageId !== 'systemtap') return this.item.hide();
    // Until the first push for the document (the server analyses it a moment after it opens): a plain run.
    const info = this.scriptInfo.latest(document.uri) ?? UNKNOWN_SCRIPT_INFO;
    const trusted = vscode.workspace.isTrusted;
    this.item.text = info.needsGuru ? '$(play) stap -vg $(shield)' : '$(play) stap -v';
    const why = info.needsGuru ? `Needs guru mode: ${info.guruReasons.slice(0, 3).join('; ')}.` : 'Runs without guru mode.';
    this.item.tooltip = trusted ? `${why}\nClick to run it (SystemTap: Run with stap -vg).` : `${why}\nRunning is disabled in Restricted Mode.`;
    this.item.command = info.needsGuru ? 'systemtap.run' : 'systemtap.runWithoutGuru';
    this.item.show();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}
