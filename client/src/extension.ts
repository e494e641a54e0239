// The VS Code side: starts the language server over IPC and registers the
// commands. Everything language-aware lives in the server.

import * as vscode from 'vscode';
import { LanguageClient, LanguageClientOptions, ServerOptions, TransportKind } from 'vscode-languageclient/node';
import { ScriptInfo } from '../../server/src/protocol';
import { CompileChecker } from './check/compileChecker';
import { StapChecker } from './check/stapChecker';
import { readSettings } from './config/settings';
import { EnvironmentDoctor, REPORT_URI } from './doctor/environmentDoctor';
import { InactiveRegions } from './inactiveRegions';
import { RunOutputCapture } from './output/runOutputCapture';
import type { RunOutputEvents } from './output/runOutputEvents';
import { OutputViewController } from './output/outputViewController';
import { KernelLog } from './run/kernelLog';
import { RunOptions, ScriptRunner } from './run/runner';
import { RunMemory } from './run/runMemory';
import { ScriptArgumentsSync } from './run/scriptArgumentsSync';
import { STAP_TASK_TYPE, StapTaskProvider } from './run/stapTask';
import { ScriptInfoStore } from './scriptInfo';
import { RunStatusBar } from './statusBar';

let client: LanguageClient | undefined;

/** What the extension offers other extensions and the e2e tests. */
export interface SystemTapApi {
  inactiveRegions(uri: vscode.Uri): readonly vscode.Range[];
  onDidChangeInactiveRegions: vscode.Event<vscode.Uri>;
  /** The script info last pushed by the server for a document (guru mode, script arguments). */
  scriptInfo(uri: vscode.Uri): ScriptInfo | undefined;
  onDidChangeScriptInfo: vscode.Event<vscode.Uri>;
  /** The text of the environment report last shown (Markdown). */
  environmentReport(): Promise<string>;
  /** Each run's start, its stdout as it arrives, and its end. */
  runOutput: RunOutputEvents;
}

export async function activate(context: vscode.ExtensionContext): Promise<SystemTapApi> {
  const output = vscode.window.createOutputChannel('SystemTap Language Server');
  context.subscriptions.push(output);
  client = createClient(context, output);
  const inactive = new InactiveRegions(client);
  const scriptInfo = new ScriptInfoStore(client);
  const memory = new RunMemory(context.workspaceState);
  const doctor = new EnvironmentDoctor(context.globalStorageUri.fsPath, output);
  // Every stap task goes through the tee, which copies stap's stdout to a file this follows.
  const runOutput = new RunOutputCapture(context.globalStorageUri.fsPath, context.asAbsolutePath('dist/stapTee.js'));
  const teeFor = (script: string) => runOutput.teeFor(script);
  const runner = new ScriptRunner(scriptInfo, memory, (line) => output.appendLine(line), doctor, teeFor);
  const checker = new StapChecker(scriptInfo, memory, output, doctor);
  const compiler = new CompileChecker(doctor, memory, output);
  const kernelLog = new KernelLog();
  const outputViews = new OutputViewController(context.extensionUri, runOutput);
  const run = async (uri: vscode.Uri | undefined, options: RunOptions) => {
    const execution = await runner.run(uri instanceof vscode.Uri ? uri : undefined, options);
    if (execution && readSettings(uri instanceof vscode.Uri ? uri : undefined)['run.followKernelLog']) kernelLog.follow(true);
    return execution;
  };
  context.subscriptions.push(
    runOutput,
    inactive,
    scriptInfo,
    memory,
    new ScriptArgumentsSync(client, memory),
    runner,
    checker,
    doctor,
    compiler,
    kernelLog,
    outputViews,
    new RunStatusBar(scriptInfo, runner),
    vscode.tasks.registerTaskProvider(STAP_TASK_TYPE, new StapTaskProvider(teeFor)),
    vscode.commands.registerCommand('systemtap.run', (uri?: vscode.Uri) => run(uri, { guru: true })),
    vscode.commands.registerCommand('systemtap.runWithoutGuru', (uri?: vscode.Uri) => run(uri, { guru: false })),
    vscode.commands.registerCommand('systemtap.runWithTarget', (uri?: vscode.Uri) => run(uri, { guru: true, chooseTarget: true })),
    vscode.commands.registerCommand('systemtap.stop', () => runner.stop()),
    vscode.commands.registerCommand('systemtap.check', (uri?: vscode.Uri) => checker.checkCommand(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('systemtap.checkEnvironment', (uri?: vscode.Uri) => doctor.checkCommand(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('systemtap.testRuntimeCompile', (uri?: vscode.Uri) => doctor.testRuntimeCommand(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('systemtap.compileCheck', (uri?: vscode.Uri) => compiler.compileCommand(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('systemtap.showOutputView', () => outputViews.showRunView()),
    vscode.commands.registerCommand('systemtap.openOutputFile', (uri?: vscode.Uri) => outputViews.openFile(uri instanceof vscode.Uri ? uri : undefined)),
    vscode.commands.registerCommand('systemtap.chartOutputText', () => outputViews.chartText()),
    vscode.commands.registerCommand('systemtap.followKernelLog', () => kernelLog.follow()),
    vscode.commands.registerCommand('systemtap.restartServer', async () => {
      await client?.restart();
    }),
    vscode.commands.registerCommand('systemtap.showServerOutput', () => output.show(true)),
  );
  await client.start();
  return {
    inactiveRegions: (uri) => inactive.of(uri),
    onDidChangeInactiveRegions: inactive.onDidChange,
    scriptInfo: (uri) => scriptInfo.latest(uri),
    onDidChangeScriptInfo: scriptInfo.onDidChange,
    environmentReport: async () => (await vscode.workspace.openTextDocument(REPORT_URI)).getText(),
    runOutput,
  };
}

function createClient(context: vscode.ExtensionContext, output: vscode.OutputChannel): LanguageClient {
  const module = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module, transport: TransportKind.ipc },
    debug: { module, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6010'] } },
  };
  const scripts = vscode.workspace.createFileSystemWatcher('**/*.stp');
  context.subscriptions.push(scripts);
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: 'file', language: 'systemtap' },
      { scheme: 'untitled', language: 'systemtap' },
    ],
    outputChannel: output,
    // The server keeps the tapset library's index there between runs (a file per settings).
    initializationOptions: { cacheDirectory: context.globalStorageUri.scheme === 'file' ? context.globalStorageUri.fsPath : undefined },
    // The server reads kernelRelease and arch for `%( %)` conditions.
    // The scripts' changes on disk keep the server's workspace symbols current.
    synchronize: { configurationSection: 'systemtap', fileEvents: scripts },
  };
  return new LanguageClient('systemtap', 'SystemTap Language Server', serverOptions, clientOptions);
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
