// `SystemTap: Compile Check (pass 4)`: compiles the saved script with
// `stap -p4 -g` against the target kernel's build tree, without root, and
// shows gcc's errors and warnings in the script's own `%{ %}` C (source
// `gcc`). What fails in stap's runtime or the kernel headers is the
// machine's: one notification, linked to the environment report, and
// remembered as the runtime's test compile.

import * as os from 'os';
import * as vscode from 'vscode';
import { compileCheck, CompileResult } from '../../../server/src/environment/doctor/compileCheck';
import { resolveTarget } from '../../../server/src/environment/doctor/probes';
import { describeErrors } from '../../../server/src/environment/doctor/runtimeTest';
import { readSettings } from '../config/settings';
import { EnvironmentDoctor } from '../doctor/environmentDoctor';
import { RunMemory } from '../run/runMemory';
import { refuseIfUntrusted } from '../trust';
import { GccFixIts } from './gccFixIts';
import { scriptDocumentFor } from './savedScript';

export type CompileOutcome = 'ok' | 'errors' | 'environment' | 'skipped' | 'cancelled' | 'failed';

export class CompileChecker implements vscode.Disposable {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('stap-compile');
  private readonly fixIts = new GccFixIts();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly doctor: EnvironmentDoctor,
    private readonly memory: RunMemory,
    private readonly output: vscode.OutputChannel,
  ) {
    this.subscriptions = [
      this.diagnostics,
      vscode.languages.registerCodeActionsProvider({ language: 'systemtap' }, this.fixIts, { providedCodeActionKinds: GccFixIts.kinds }),
      vscode.workspace.onDidCloseTextDocument((d) => {
        this.diagnostics.delete(d.uri);
        this.fixIts.delete(d.uri);
      }),
    ];
  }

  async compileCommand(uri?: vscode.Uri): Promise<CompileOutcome> {
    if (refuseIfUntrusted('Compiling with stap')) return 'skipped';
    const document = await scriptDocumentFor(uri, 'compile it');
    if (!document) return 'skipped';
    if (document.isDirty && !(await document.save())) return 'skipped';
    const settings = readSettings(document.uri);
    const target = resolveTarget(settings.kernelRelease, { root: '/', thisRelease: os.release() });
    const request = {
      stapPath: settings.stapPath,
      script: document.uri.fsPath,
      buildDir: target.buildDir,
      includePaths: settings.includePaths,
      scriptArgs: this.memory.get(document.uri).scriptArgs ?? [],
    };
    this.output.appendLine(`compile check: stap -p4 -g -k -r ${target.buildDir} -- ${document.uri.fsPath}`);
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `stap -p4: compiling ${vscode.workspace.asRelativePath(document.uri)} for ${target.release}`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return compileCheck({ ...request, signal: abort.signal });
      },
    );
    return this.report(document, target.buildDir, result);
  }

  private async report(document: vscode.TextDocument, buildDir: string, result: CompileResult): Promise<CompileOutcome> {
    this.output.append(result.stderr);
    if (result.spawnError) {
      void vscode.window.showErrorMessage(`SystemTap: "${readSettings(document.uri).stapPath}" could not be run. Install systemtap, or set systemtap.stapPath in your user settings.`);
      return 'failed';
    }
    if (result.timedOut) {
      void vscode.window.showWarningMessage('SystemTap: stap -p4 took too long and was stopped.');
      return 'failed';
    }
    if (result.code === null) return 'cancelled';
    const diagnostics = result.diagnostics.map((d) => toDiagnostic(document.uri, d));
    this.diagnostics.set(document.uri, diagnostics);
    this.fixIts.set(
      document,
      result.diagnostics.flatMap((d, i) => (d.fixIt ? [{ range: diagnostics[i].range, message: d.message, replacement: d.fixIt }] : [])),
    );
    if (result.failure) {
      this.doctor.explainFailure('The compile check', result.failure, document.uri);
      return 'environment';
    }
    if (result.scriptErrors.length) {
      void vscode.window.showWarningMessage(`SystemTap: not compiled: stap stopped before pass 4: ${result.scriptErrors[0]} (Check with stap (pass 2) shows where)`);
      return 'failed';
    }
    const environment = result.environment.filter((d) => d.severity === 'error' && !d.generated);
    const generated = result.environment.filter((d) => d.severity === 'error' && d.generated);
    if (generated.length) {
      void vscode.window.showWarningMessage(
        `SystemTap: stap's generated C failed to compile outside this script's %{ %} (a tapset's embedded C, or stap's translation): ${generated[0].message}. The full output is in "SystemTap Language Server".`,
      );
    }
    const compiled = /^Pass 4: compil/m.test(result.stderr) || result.code === 0;
    if (compiled) await this.doctor.rememberRuntime(document.uri, buildDir, environment.length === 0, describeErrors(environment));
    if (environment.length) {
      const first = describeErrors(environment, 1)[0];
      this.doctor.explainFailure(
        'The compile check',
        {
          cause: `stap's runtime does not compile against ${buildDir} (${first}${environment.length > 1 ? `, and ${environment.length - 1} more` : ''}); ${result.diagnostics.length ? 'the errors in your C are marked all the same' : 'your C has no errors of its own'}`,
          fix: 'Use a SystemTap release that supports this kernel, or set systemtap.kernelRelease to a build tree this stap supports',
          evidence: first,
        },
        document.uri,
      );
    }
    const errors = result.diagnostics.filter((d) => d.severity === 'error').length;
    void vscode.window.setStatusBarMessage(errors ? `$(error) stap -p4: ${errors} error${errors === 1 ? '' : 's'} in the script's C` : '$(check) stap -p4: no errors in the script', 5000);
    return errors ? 'errors' : environment.length ? 'environment' : 'ok';
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function toDiagnostic(uri: vscode.Uri, d: CompileResult['diagnostics'][number]): vscode.Diagnostic {
  const range = (p: { start: { line: number; character: number }; end: { line: number; character: number } }) => new vscode.Range(p.start.line, p.start.character, p.end.line, p.end.character);
  const diagnostic = new vscode.Diagnostic(range(d), d.message, d.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  diagnostic.source = 'gcc';
  diagnostic.relatedInformation = d.notes.map((n) => new vscode.DiagnosticRelatedInformation(new vscode.Location(uri, range(n)), n.message));
  return diagnostic;
}
