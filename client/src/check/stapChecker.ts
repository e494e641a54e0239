// `SystemTap: Check with stap (pass 2)` and `systemtap.checkOnSave`: runs
// `stap -p2` (parse and elaborate: probes, functions, types; no compile, no
// root) on the saved file and shows stap's own errors under source `stap`.
// At most one check runs; a new save cancels the one in flight. When stap is
// missing it says so once and checks on save stop until the settings change.

import { execFile } from 'child_process';
import * as vscode from 'vscode';
import { LanguageClient } from 'vscode-languageclient/node';
import { readSettings } from '../config/settings';
import { RunMemory } from '../run/runMemory';
import { checkInvocation } from '../run/stapCommand';
import { scriptInfo } from '../scriptInfo';
import { refuseIfUntrusted } from '../trust';
import { parseStapOutput, StapLocation, StapMessage } from './stapOutput';

const SAVE_DEBOUNCE_MS = 400;
// Elaborating kernel probes reads debuginfo, which can take a while on a real kernel.
const CHECK_TIMEOUT_MS = 180_000;

export type CheckOutcome = 'ok' | 'errors' | 'skipped' | 'cancelled' | 'failed';

export class StapChecker implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('stap');
  private inFlight: AbortController | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private stapMissing = false;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly client: LanguageClient,
    private readonly memory: RunMemory,
    private readonly output: vscode.OutputChannel,
  ) {
    this.subscriptions = [
      this.diagnostics,
      vscode.workspace.onDidSaveTextDocument((d) => this.onSave(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('systemtap')) this.stapMissing = false;
      }),
    ];
  }

  /** The command: checks the given file or the active script, saving it first. */
  async checkCommand(uri?: vscode.Uri): Promise<CheckOutcome> {
    if (refuseIfUntrusted('Checking with stap')) return 'skipped';
    const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'systemtap' || document.isUntitled) {
      void vscode.window.showWarningMessage('SystemTap: open a saved SystemTap script to check it with stap.');
      return 'skipped';
    }
    if (document.isDirty && !(await document.save())) return 'skipped';
    this.stapMissing = false;
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'stap -p2' }, () => this.check(document, true));
  }

  private onSave(document: vscode.TextDocument): void {
    if (document.languageId !== 'systemtap' || !vscode.workspace.isTrusted || this.stapMissing) return;
    if (!readSettings(document.uri).checkOnSave) return;
    clearTimeout(this.saveTimer);
    this.inFlight?.abort();
    this.saveTimer = setTimeout(() => void this.check(document, false), SAVE_DEBOUNCE_MS);
  }

  private async check(document: vscode.TextDocument, explicit: boolean): Promise<CheckOutcome> {
    this.inFlight?.abort();
    const abort = new AbortController();
    this.inFlight = abort;
    const info = await scriptInfo(this.client, document);
    const scriptArgs = this.memory.get(document.uri).scriptArgs ?? [];
    if (scriptArgs.length < info.scriptArgs) {
      const why = `the script reads $${info.scriptArgs} but no arguments are remembered for it: run it once with its arguments`;
      if (explicit) void vscode.window.showWarningMessage(`SystemTap: not checked: ${why}.`);
      this.output.appendLine(`check of ${document.uri.fsPath} skipped: ${why}`);
      return 'skipped';
    }
    const settings = readSettings(document.uri);
    const invocation = checkInvocation({ stapPath: settings.stapPath, script: document.uri.fsPath, guru: info.needsGuru || info.declaresGuru, scriptArgs, kernelRelease: settings.kernelRelease });
    this.output.appendLine(`$ ${[invocation.file, ...invocation.args].map((a) => JSON.stringify(a)).join(' ')}`);
    const result = await runProcess(invocation.file, invocation.args, abort.signal);
    if (abort.signal.aborted) return 'cancelled';
    if (this.inFlight === abort) this.inFlight = undefined;
    if (result.spawnError) {
      const missing = result.spawnError.code === 'ENOENT';
      this.stapMissing = missing;
      const message = missing
        ? `SystemTap: cannot check: "${settings.stapPath}" was not found. Install systemtap, or set systemtap.stapPath in your user settings.`
        : `SystemTap: stap could not be run: ${result.spawnError.message}`;
      this.output.appendLine(message);
      if (explicit || missing) void vscode.window.showErrorMessage(message);
      return 'failed';
    }
    if (result.timedOut) {
      this.output.appendLine(`stap -p2 did not finish within ${CHECK_TIMEOUT_MS / 1000} s; stopped it`);
      if (explicit) void vscode.window.showWarningMessage(`SystemTap: stap -p2 took longer than ${CHECK_TIMEOUT_MS / 1000} s and was stopped.`);
      return 'failed';
    }
    this.output.append(result.stderr);
    const messages = parseStapOutput(result.stderr);
    this.publish(document, messages);
    const errors = messages.filter((m) => m.severity === 'error').length;
    if (explicit) void vscode.window.setStatusBarMessage(errors ? `$(error) stap -p2: ${errors} error${errors === 1 ? '' : 's'}` : '$(check) stap -p2: no errors', 5000);
    return errors || result.code !== 0 ? 'errors' : 'ok';
  }

  private publish(document: vscode.TextDocument, messages: StapMessage[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>([[document.uri.fsPath, []]]);
    for (const m of messages) {
      const file = m.location?.file || document.uri.fsPath;
      const diagnostic = new vscode.Diagnostic(rangeOf(m.location, file === document.uri.fsPath ? document : undefined), m.message, m.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
      diagnostic.source = 'stap';
      diagnostic.relatedInformation = m.related.map((r) => new vscode.DiagnosticRelatedInformation(new vscode.Location(vscode.Uri.file(r.location.file), rangeOf(r.location)), r.message));
      if (!byFile.has(file)) byFile.set(file, []);
      byFile.get(file)!.push(diagnostic);
    }
    // Clear what an earlier check of this script reported elsewhere (tapset files).
    this.diagnostics.forEach((uri) => {
      if (!byFile.has(uri.fsPath) && this.reportedFor.get(uri.fsPath) === document.uri.fsPath) this.diagnostics.delete(uri);
    });
    for (const [file, list] of byFile) {
      this.diagnostics.set(vscode.Uri.file(file), list);
      this.reportedFor.set(file, document.uri.fsPath);
    }
  }

  private readonly reportedFor = new Map<string, string>();

  dispose(): void {
    clearTimeout(this.saveTimer);
    this.inFlight?.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** stap's 1-based position, widened to the token it names (or the word there). */
function rangeOf(location: StapLocation | undefined, document?: vscode.TextDocument): vscode.Range {
  if (!location) return new vscode.Range(0, 0, 0, 0);
  const start = new vscode.Position(Math.max(0, location.line - 1), Math.max(0, location.column - 1));
  if (location.token) return new vscode.Range(start, start.translate(0, location.token.length));
  return document?.getWordRangeAtPosition(start) ?? new vscode.Range(start, start.translate(0, 1));
}

interface ProcessResult {
  code: number | null;
  stderr: string;
  timedOut: boolean;
  spawnError?: NodeJS.ErrnoException;
}

function runProcess(file: string, args: string[], signal: AbortSignal): Promise<ProcessResult> {
  return new Promise((resolve) => {
    execFile(file, args, { signal, timeout: CHECK_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGTERM' }, (error, _stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      if (e && typeof e.code === 'string' && e.code !== 'ABORT_ERR') return resolve({ code: null, stderr: String(stderr), timedOut: false, spawnError: e });
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stderr: String(stderr), timedOut: !!e?.killed && !signal.aborted });
    });
  });
}
