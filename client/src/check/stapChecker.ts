// `SystemTap: Check with stap (pass 2)` and `systemtap.checkOnSave`: runs
// `stap -p2` (parse and elaborate: probes, functions, types; no compile, no
// root) on the saved file and shows stap's own errors under source `stap`.
// One stap runs at a time; saves of other files wait their turn, and a new
// save of the file being checked cancels that check. When stap is missing it
// says so once and checks on save stop until the settings change.

import { execFile } from 'child_process';
import * as vscode from 'vscode';
import { explainStapFailure, isEnvironmentMessage } from '../../../server/src/environment/doctor/stapFailure';
import { readSettings } from '../config/settings';
import type { EnvironmentDoctor } from '../doctor/environmentDoctor';
import { RunMemory } from '../run/runMemory';
import { checkInvocation } from '../run/stapCommand';
import { ScriptInfoStore } from '../scriptInfo';
import { refuseIfUntrusted } from '../trust';
import { scriptDocumentFor } from './savedScript';
import { characterColumn, parseStapOutput, StapLocation, StapMessage } from './stapOutput';

const SAVE_DEBOUNCE_MS = 400;
// Elaborating kernel probes reads debuginfo, which can take a while on a real kernel.
const CHECK_TIMEOUT_MS = 180_000;

export type CheckOutcome = 'ok' | 'errors' | 'skipped' | 'cancelled' | 'failed';

interface Running {
  uri: string;
  abort: AbortController;
  done: Promise<CheckOutcome>;
}

export class StapChecker implements vscode.Disposable {
  // Not named `stap`: that owner belongs to the $stap problem matchers, whose
  // task runs clear the markers of their owner.
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('stap-check');
  private readonly reportedFor = new Map<string, string>();
  private readonly saveTimers = new Map<string, NodeJS.Timeout>();
  private readonly queue = new Map<string, vscode.TextDocument>();
  private readonly ownSaves = new Set<string>();
  private running: Running | undefined;
  private stapMissing = false;
  // A machine problem is told once per cause on save; every time on command.
  private readonly reportedFailures = new Set<string>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly scriptInfo: ScriptInfoStore,
    private readonly memory: RunMemory,
    private readonly output: vscode.OutputChannel,
    private readonly doctor?: EnvironmentDoctor,
  ) {
    this.subscriptions = [
      this.diagnostics,
      vscode.workspace.onDidSaveTextDocument((d) => this.onSave(d)),
      vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('systemtap')) {
          this.stapMissing = false;
          this.reportedFailures.clear();
        }
      }),
    ];
  }

  /** The command: checks the given file or the active script, saving it first. */
  async checkCommand(uri?: vscode.Uri): Promise<CheckOutcome> {
    if (refuseIfUntrusted('Checking with stap')) return 'skipped';
    const document = await scriptDocumentFor(uri, 'check it with stap');
    if (!document) return 'skipped';
    const key = document.uri.toString();
    if (document.isDirty) {
      this.ownSaves.add(key); // this save must not start a second, competing check
      const saved = await document.save();
      this.ownSaves.delete(key);
      if (!saved) return 'skipped';
    }
    this.stapMissing = false;
    clearTimeout(this.saveTimers.get(key));
    this.queue.delete(key);
    await this.cancel(key);
    return vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'stap -p2' }, () => this.start(document, true).done);
  }

  private onSave(document: vscode.TextDocument): void {
    const key = document.uri.toString();
    if (document.languageId !== 'systemtap' || !vscode.workspace.isTrusted || this.stapMissing || this.ownSaves.has(key)) return;
    if (!readSettings(document.uri).checkOnSave) return;
    clearTimeout(this.saveTimers.get(key));
    if (this.running?.uri === key) this.running.abort.abort();
    this.saveTimers.set(
      key,
      setTimeout(() => {
        this.saveTimers.delete(key);
        this.queue.set(key, document);
        this.pump();
      }, SAVE_DEBOUNCE_MS),
    );
  }

  /** Starts the next queued check when no stap is running. */
  private pump(): void {
    if (this.running || this.stapMissing) return;
    const [key, document] = this.queue.entries().next().value ?? [];
    if (!key || !document) return;
    this.queue.delete(key);
    if (!document.isClosed) this.start(document, false);
    else this.pump();
  }

  private async cancel(key: string): Promise<void> {
    if (this.running?.uri !== key) return;
    this.running.abort.abort();
    await this.running.done;
  }

  private start(document: vscode.TextDocument, explicit: boolean): Running {
    const abort = new AbortController();
    const running: Running = { uri: document.uri.toString(), abort, done: Promise.resolve<CheckOutcome>('cancelled') };
    running.done = this.check(document, explicit, abort.signal).finally(() => {
      if (this.running === running) this.running = undefined;
      this.pump();
    });
    // An explicit check may run beside a queued one's stap; on-save checks take turns.
    if (!explicit || !this.running) this.running = running;
    return running;
  }

  private async check(document: vscode.TextDocument, explicit: boolean, signal: AbortSignal): Promise<CheckOutcome> {
    const info = await this.scriptInfo.forDocument(document);
    const scriptArgs = this.memory.get(document.uri).scriptArgs ?? [];
    if (scriptArgs.length < info.scriptArgs) {
      const why = `the script reads $${info.scriptArgs} but no arguments are remembered for it: run it once with its arguments`;
      if (explicit) void vscode.window.showWarningMessage(`SystemTap: not checked: ${why}.`);
      this.output.appendLine(`check of ${document.uri.fsPath} skipped: ${why}`);
      return 'skipped';
    }
    const settings = readSettings(document.uri);
    const invocation = checkInvocation({
      stapPath: settings.stapPath,
      script: document.uri.fsPath,
      guru: info.needsGuru || info.declaresGuru,
      scriptArgs,
      kernelRelease: settings.kernelRelease,
      includePaths: settings.includePaths,
    });
    this.output.appendLine(`$ ${[invocation.file, ...invocation.args].map((a) => JSON.stringify(a)).join(' ')}`);
    const result = await runProcess(invocation.file, invocation.args, signal);
    if (signal.aborted) return 'cancelled';
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
    // The machine's problems (no build tree, no debuginfo) are not the script's:
    // never a diagnostic in it, but one notification that names the cause and the fix.
    const messages = parseStapOutput(result.stderr).filter((m) => !isEnvironmentMessage(m.message));
    const failure = result.code !== 0 ? explainStapFailure(result.stderr, settings.kernelRelease) : undefined;
    if (result.code !== 0 && !messages.some((m) => m.severity === 'error')) {
      this.publish(document, messages);
      if (failure && this.doctor) {
        if (explicit || !this.reportedFailures.has(failure.cause)) this.doctor.explainFailure('Check with stap', failure, document.uri);
        this.reportedFailures.add(failure.cause);
      } else {
        // Failed without a message we can place (an option stap rejects, a broken install).
        const first = result.stderr.split('\n').find((l) => l.trim() && !/^(Pass \d|Tip:)/.test(l)) ?? `stap exited with ${result.code}`;
        if (explicit) void vscode.window.showErrorMessage(`SystemTap: stap -p2 failed: ${failure ? `${failure.cause}. Fix: ${failure.fix}` : first.trim()}`);
      }
      return 'failed';
    }
    if (failure && this.doctor && !this.reportedFailures.has(failure.cause)) {
      this.reportedFailures.add(failure.cause);
      this.doctor.explainFailure('Check with stap', failure, document.uri);
    }
    this.publish(document, messages);
    const errors = messages.filter((m) => m.severity === 'error').length;
    if (explicit) void vscode.window.setStatusBarMessage(errors ? `$(error) stap -p2: ${errors} error${errors === 1 ? '' : 's'}` : '$(check) stap -p2: no errors', 5000);
    return errors ? 'errors' : 'ok';
  }

  private publish(document: vscode.TextDocument, messages: StapMessage[]): void {
    const byFile = new Map<string, vscode.Diagnostic[]>([[document.uri.fsPath, []]]);
    for (const m of messages) {
      const file = m.location?.file || document.uri.fsPath;
      const diagnostic = new vscode.Diagnostic(
        rangeOf(m.location, file === document.uri.fsPath ? document : undefined),
        m.message,
        m.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = 'stap';
      diagnostic.relatedInformation = m.related.map(
        (r) =>
          new vscode.DiagnosticRelatedInformation(
            new vscode.Location(vscode.Uri.file(r.location.file), rangeOf(r.location, r.location.file === document.uri.fsPath ? document : undefined)),
            r.message,
          ),
      );
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

  dispose(): void {
    for (const t of this.saveTimers.values()) clearTimeout(t);
    this.running?.abort.abort();
    for (const s of this.subscriptions) s.dispose();
  }
}

/** stap's 1-based position (a byte column), widened to the token it names (or the word there). */
function rangeOf(location: StapLocation | undefined, document?: vscode.TextDocument): vscode.Range {
  if (!location) return new vscode.Range(0, 0, 0, 0);
  const line = Math.max(0, location.line - 1);
  const lineText = document && line < document.lineCount ? document.lineAt(line).text : undefined;
  const start = new vscode.Position(line, lineText !== undefined ? characterColumn(lineText, location.column) : Math.max(0, location.column - 1));
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
    // stap's messages are parsed: keep them in English whatever the user's locale.
    const env = { ...process.env, LC_ALL: 'C', LANG: 'C', LANGUAGE: '' };
    execFile(file, args, { signal, env, timeout: CHECK_TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024, killSignal: 'SIGTERM' }, (error, _stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      if (e && typeof e.code === 'string' && e.code !== 'ABORT_ERR') return resolve({ code: null, stderr: String(stderr), timedOut: false, spawnError: e });
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stderr: String(stderr), timedOut: !!e?.killed && !signal.aborted });
    });
  });
}
