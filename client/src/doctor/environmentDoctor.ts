// `SystemTap: Check Environment`: the doctor's report for the target kernel,
// shown as a Markdown preview of a read-only document; the check before each
// run; the runtime test compile; and the one notification that names a
// machine problem stap ran into, linked to the report.

import * as path from 'path';
import * as vscode from 'vscode';
import { blockingFindings, EnvironmentReport } from '../../../server/src/environment/doctor/findings';
import { machineHost, stapVersion } from '../../../server/src/environment/doctor/host';
import { probeEnvironment, resolveTarget } from '../../../server/src/environment/doctor/probes';
import { reportMarkdown } from '../../../server/src/environment/doctor/report';
import { RuntimeCache, testRuntimeCompile } from '../../../server/src/environment/doctor/runtimeTest';
import { StapFailure } from '../../../server/src/environment/doctor/stapFailure';
import { readSettings } from '../config/settings';
import { refuseIfUntrusted } from '../trust';

export const REPORT_SCHEME = 'systemtap-environment';
export const REPORT_URI = vscode.Uri.from({ scheme: REPORT_SCHEME, path: '/SystemTap Environment.md' });
const SHOW_REPORT = 'Show Environment Report';

export class EnvironmentDoctor implements vscode.Disposable {
  private markdown = '# SystemTap environment\n\nNot checked yet: run *SystemTap: Check Environment*.\n';
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private readonly cache: RuntimeCache;
  private readonly subscriptions: vscode.Disposable[];
  /** The last report, for the e2e tests and the notifications. */
  lastReport: EnvironmentReport | undefined;

  constructor(
    storageDir: string,
    private readonly output: vscode.OutputChannel,
  ) {
    this.cache = new RuntimeCache(path.join(storageDir, 'environment'));
    const provider: vscode.TextDocumentContentProvider = { onDidChange: this.changed.event, provideTextDocumentContent: () => this.markdown };
    this.subscriptions = [this.changed, vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, provider)];
  }

  /** Probes the environment (runs `stap -V`, reads files); undefined in an untrusted workspace. */
  async probe(scope?: vscode.Uri): Promise<EnvironmentReport | undefined> {
    if (!vscode.workspace.isTrusted) return undefined;
    const settings = readSettings(scope);
    const report = await probeEnvironment({ kernelRelease: settings.kernelRelease, sudo: settings['run.sudo'], stapPath: settings.stapPath }, machineHost(settings.stapPath, this.cache));
    this.lastReport = report;
    this.markdown = reportMarkdown(report);
    this.changed.fire(REPORT_URI);
    return report;
  }

  /** The command: probe, then show the report beside the editor. */
  async checkCommand(scope?: vscode.Uri): Promise<EnvironmentReport | undefined> {
    if (refuseIfUntrusted('Checking the environment')) return undefined;
    const report = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Checking the SystemTap environment' }, () => this.probe(scope ?? activeScript()));
    await this.show();
    return report;
  }

  /** Shows the report as a Markdown preview; the document itself where there is no preview. */
  async show(): Promise<void> {
    try {
      await vscode.commands.executeCommand('markdown.showPreview', REPORT_URI);
    } catch {
      await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(REPORT_URI), { preview: true, viewColumn: vscode.ViewColumn.Beside });
    }
  }

  /**
   * Before a run: when the environment makes it fail for sure, says why and
   * what fixes it, and runs only if the user insists. True: go ahead.
   */
  async beforeRun(scope: vscode.Uri): Promise<boolean> {
    let report: EnvironmentReport | undefined;
    try {
      report = await this.probe(scope);
    } catch (e) {
      this.output.appendLine(`environment check failed: ${(e as Error).message}`);
      return true; // the doctor's own trouble must not stop a run
    }
    const blocking = report ? blockingFindings(report) : [];
    if (blocking.length === 0) return true;
    const first = blocking[0];
    const more = blocking.length > 1 ? ` (and ${blocking.length - 1} more problem${blocking.length > 2 ? 's' : ''})` : '';
    this.output.appendLine(`run: the environment will make it fail: ${blocking.map((f) => `${f.title}: ${f.detail}`).join(' | ')}`);
    const choice = await vscode.window.showErrorMessage(`SystemTap: this run would fail: ${first.title}: ${first.detail}${more}${first.fix ? ` Fix: ${first.fix}` : ''}`, SHOW_REPORT, 'Run Anyway');
    if (choice === SHOW_REPORT) await this.show();
    return choice === 'Run Anyway';
  }

  /** One notification for a machine problem stap stopped on, linked to the report. */
  explainFailure(what: string, failure: StapFailure, scope?: vscode.Uri): void {
    this.output.appendLine(`${what}: the machine, not the script: ${failure.evidence}`);
    void vscode.window.showErrorMessage(`SystemTap: ${what} failed because of the machine, not the script: ${failure.cause}. Fix: ${failure.fix}`, SHOW_REPORT).then(async (choice) => {
      if (choice !== SHOW_REPORT) return;
      await this.probe(scope);
      await this.show();
    });
  }

  /** The ~30 s test compile of stap's runtime against the target's headers; its result is remembered. */
  async testRuntimeCommand(scope?: vscode.Uri): Promise<boolean | undefined> {
    if (refuseIfUntrusted('Compiling with stap')) return undefined;
    scope ??= activeScript();
    const settings = readSettings(scope);
    const version = await stapVersion(settings.stapPath);
    const target = resolveTarget(settings.kernelRelease, machineHost(settings.stapPath, this.cache));
    if (!version) {
      void vscode.window.showErrorMessage(`SystemTap: "${settings.stapPath}" could not be run. Install systemtap, or set systemtap.stapPath in your user settings.`);
      return undefined;
    }
    const result = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `stap -p4: test compile for ${target.release} (about 30 s)`, cancellable: true },
      (_progress, token) => {
        const abort = new AbortController();
        token.onCancellationRequested(() => abort.abort());
        return testRuntimeCompile(settings.stapPath, target.buildDir, abort.signal);
      },
    );
    if ('status' in result) {
      this.cache.set(target.release, version, target.buildDir, result.status);
      this.output.appendLine(`runtime test compile for ${target.buildDir}: ${result.status.ok ? 'ok' : result.status.errors.join(' | ')}`);
    } else {
      this.explainFailure('The test compile', result.failure, scope);
    }
    await this.probe(scope);
    await this.show();
    return 'status' in result ? result.status.ok : undefined;
  }

  /** What a compile check learnt about the runtime, remembered as a test compile would. */
  async rememberRuntime(scope: vscode.Uri | undefined, buildDir: string, ok: boolean, errors: string[]): Promise<void> {
    const settings = readSettings(scope);
    const version = await stapVersion(settings.stapPath);
    const target = resolveTarget(buildDir, machineHost(settings.stapPath, this.cache));
    if (version) this.cache.set(target.release, version, buildDir, { ok, errors, testedAt: new Date().toISOString().replace(/\.\d+Z$/, 'Z') });
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

function activeScript(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document?.languageId === 'systemtap' ? document.uri : undefined;
}
