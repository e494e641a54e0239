// The Run and Stop commands: save the script, find out what it needs (guru
// mode, script arguments) from what the language server pushed, ask for what
// is missing, and start a `stap` task in the terminal.

import * as vscode from 'vscode';
import { ScriptInfo } from '../../../server/src/protocol';
import { readSettings } from '../config/settings';
import { ScriptInfoStore } from '../scriptInfo';
import type { EnvironmentDoctor } from '../doctor/environmentDoctor';
import { refuseIfUntrusted } from '../trust';
import { pickProcess } from './processPicker';
import { RunMemory } from './runMemory';
import { joinArguments, needsSudo, splitArguments } from './stapCommand';
import { isStapExecution, StapTaskDefinition, stapTask, TeeForRun } from './stapTask';
import { findExecutable } from './which';

export interface RunOptions {
  guru: boolean;
  /** Ask for a command (-c) or process (-x) to target first. */
  chooseTarget?: boolean;
}

export class ScriptRunner implements vscode.Disposable {
  // VS Code hands out one TaskExecution object per run, in its events and in
  // tasks.taskExecutions alike: runs are told apart by identity, never by name.
  private readonly running = new Set<vscode.TaskExecution>();
  private readonly pids = new Map<vscode.TaskExecution, number>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChangeRunning = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly scriptInfo: ScriptInfoStore,
    private readonly memory: RunMemory,
    private readonly log: (line: string) => void,
    private readonly doctor?: EnvironmentDoctor,
    private readonly teeFor?: TeeForRun,
  ) {
    this.subscriptions = [
      vscode.tasks.onDidStartTask((e) => isStapExecution(e.execution) && this.track(e.execution, true)),
      vscode.tasks.onDidEndTask((e) => isStapExecution(e.execution) && this.track(e.execution, false)),
      vscode.tasks.onDidStartTaskProcess((e) => isStapExecution(e.execution) && this.setProcessId(e.execution, e.processId)),
      vscode.tasks.onDidEndTaskProcess((e) => this.setProcessId(e.execution, undefined)),
      this.changed,
    ];
  }

  get isRunning(): boolean {
    return this.running.size > 0;
  }

  /** Runs a script file; returns the task execution, or undefined when the user cancelled or it was refused. */
  async run(uri: vscode.Uri | undefined, options: RunOptions): Promise<vscode.TaskExecution | undefined> {
    if (refuseIfUntrusted('Running scripts')) return undefined;
    const document = await scriptDocument(uri);
    if (!document) return undefined;
    if (document.isUntitled) {
      void vscode.window.showWarningMessage('SystemTap: save the script to a file before running it.');
      return undefined;
    }
    if (document.isDirty && !(await document.save())) return undefined;
    if (!canRun(document.uri)) return undefined;
    const info = await this.scriptInfo.forDocument(document);
    let guru = options.guru;
    if (!guru && info.needsGuru) {
      const choice = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(document.uri)} needs guru mode (${info.guruReasons[0] ?? 'embedded C'}). Without -g, stap refuses it.`,
        { modal: false },
        'Run with stap -vg',
      );
      if (!choice) return undefined;
      guru = true;
    }
    const remembered = this.memory.get(document.uri);
    // A plain run keeps the file's -c command (the task name shows it); never an
    // old pid, which is likely gone or, worse, reused by another process.
    const target = options.chooseTarget ? await chooseTarget(remembered) : { command: remembered.command, pid: undefined };
    if (!target) return undefined;
    const remote = await chooseRemote(readSettings(document.uri)['run.remote'], remembered.remote);
    if (remote === null) return undefined;
    // A machine problem (no headers, no permission, lockdown) is said before the
    // run, not after stap fails in the terminal. A remote run is the remote's affair.
    if (!remote && this.doctor && !(await this.doctor.beforeRun(document.uri))) return undefined;
    const scriptArgs = await askScriptArguments(document, info, remembered.scriptArgs);
    if (!scriptArgs) return undefined;
    await this.memory.update(document.uri, { scriptArgs, command: target.command, pid: target.pid ?? remembered.pid, remote });

    const definition: StapTaskDefinition = { type: 'stap', script: document.uri.fsPath, guru, verbose: true, scriptArgs, ...target, remote };
    const folder = vscode.workspace.getWorkspaceFolder(document.uri);
    return vscode.tasks.executeTask(stapTask(definition, folder ?? vscode.TaskScope.Workspace, this.teeFor));
  }

  /**
   * Stops every running stap task as Ctrl+C would: the terminal gets ^C, so
   * the kernel sends SIGINT to the terminal's foreground process group (the
   * tee, which waits, and stap, through sudo too), and stap runs its end
   * probes and unloads the module. A run still going after a grace period
   * has its terminal closed.
   */
  async stop(): Promise<boolean> {
    const executions = vscode.tasks.taskExecutions.filter(isStapExecution);
    for (const e of executions) {
      const pid = await this.processIdOf(e);
      const terminal = pid === undefined ? undefined : await terminalOf(pid);
      if (terminal) {
        terminal.sendText('\x03', false);
        this.log(`stop: sent Ctrl+C to "${e.task.name}" (process ${pid})`);
      } else if (pid !== undefined && interrupt(pid)) {
        this.log(`stop: sent SIGINT to process ${pid} of "${e.task.name}"`);
      } else {
        this.log(`stop: closing the terminal of "${e.task.name}"`);
        e.terminate();
        continue;
      }
      setTimeout(() => {
        if (vscode.tasks.taskExecutions.includes(e)) {
          this.log(`stop: "${e.task.name}" still runs ${STOP_GRACE_MS / 1000} s after Ctrl+C: closing its terminal`);
          e.terminate();
        }
      }, STOP_GRACE_MS).unref?.();
    }
    if (executions.length === 0) void vscode.window.setStatusBarMessage('SystemTap: no script is running', 3000);
    return executions.length > 0;
  }

  /** The task's process id; VS Code reports it a moment after the task starts. */
  private async processIdOf(execution: vscode.TaskExecution): Promise<number | undefined> {
    const deadline = Date.now() + PID_WAIT_MS;
    while (!this.pids.has(execution) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    return this.pids.get(execution);
  }

  private setProcessId(execution: vscode.TaskExecution, pid: number | undefined): void {
    if (pid === undefined) this.pids.delete(execution);
    else this.pids.set(execution, pid);
    this.log(`task "${execution.task.name}": ${pid === undefined ? 'process ended' : `process ${pid} started`}`);
  }

  private track(execution: vscode.TaskExecution, started: boolean): void {
    if (started) this.running.add(execution);
    else this.running.delete(execution);
    void vscode.commands.executeCommand('setContext', 'systemtap.running', this.isRunning);
    this.changed.fire();
  }

  dispose(): void {
    for (const s of this.subscriptions) s.dispose();
  }
}

// stap's end probes and module unload normally take well under this.
const STOP_GRACE_MS = 10_000;
const PID_WAIT_MS = 2_000;

/**
 * SIGINT to the task's process group, as the terminal's ^C sends it: the
 * task's process (the tee) leads the group of its terminal, and stap (or sudo,
 * which passes it on) is in it. The tee ignores SIGINT and waits for stap, so
 * stap gets the signal once, whether it came from the terminal or from here;
 * a tee that passed SIGINT on would give stap a second one after every ^C.
 */
function interrupt(pid: number): boolean {
  for (const target of [-pid, pid]) {
    try {
      process.kill(target, 'SIGINT');
      return true;
    } catch {
      // Not a group leader (then the process alone), already gone, or not ours to signal.
    }
  }
  return false;
}

/** The terminal a task process runs in: its process id is the task's. */
async function terminalOf(pid: number): Promise<vscode.Terminal | undefined> {
  const timeout = new Promise<undefined>((resolve) => setTimeout(() => resolve(undefined), 1000));
  for (const t of vscode.window.terminals) if ((await Promise.race([t.processId, timeout])) === pid) return t;
  return undefined;
}

/** stap (and sudo, when a run needs it) must exist: say so before a terminal fails cryptically. */
function canRun(uri: vscode.Uri): boolean {
  const settings = readSettings(uri);
  const missing = !findExecutable(settings.stapPath)
    ? `"${settings.stapPath}" was not found. Install systemtap (e.g. apt-get install systemtap), or set systemtap.stapPath in your user settings.`
    : needsSudo(settings['run.sudo'], process.getuid?.() === 0) && settings['run.remote'].length === 0 && !findExecutable('sudo')
      ? 'sudo is not installed, and loading a SystemTap module needs root. Install sudo, run VS Code as root, or set systemtap.run.sudo to "never" if you have stap rights (the stapdev group).'
      : undefined;
  if (!missing) return true;
  void vscode.window.showErrorMessage(`SystemTap: cannot run: ${missing}`, 'Open Settings').then((choice) => choice && vscode.commands.executeCommand('workbench.action.openSettings', 'systemtap.'));
  return false;
}

/** The document to run: the given file, else the active systemtap editor. */
async function scriptDocument(uri: vscode.Uri | undefined): Promise<vscode.TextDocument | undefined> {
  if (uri) return vscode.workspace.openTextDocument(uri);
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'systemtap') return active;
  void vscode.window.showWarningMessage('SystemTap: open a SystemTap script (.stp) to run it.');
  return undefined;
}

/** Script arguments for `$1`/`@1`: asked for when the script reads any, remembered per file. */
async function askScriptArguments(document: vscode.TextDocument, info: ScriptInfo, remembered: string[] | undefined): Promise<string[] | undefined> {
  if (info.scriptArgs === 0) return [];
  const needed = info.scriptArgs;
  const text = await vscode.window.showInputBox({
    title: `Arguments for ${vscode.workspace.asRelativePath(document.uri)}`,
    prompt: `The script reads ${needed === 1 ? '$1/@1' : `$1 to $${needed}`}: ${needed} argument${needed === 1 ? '' : 's'}, separated by spaces (quote to keep spaces).`,
    value: joinArguments(remembered ?? []),
    ignoreFocusOut: true,
    validateInput: (value) => {
      const count = splitArguments(value).length;
      return count < needed ? { message: `${count} of ${needed}: stap will stop with "command line argument out of range"`, severity: vscode.InputBoxValidationSeverity.Warning } : undefined;
    },
  });
  return text === undefined ? undefined : splitArguments(text);
}

/** `-c CMD`, `-x PID`, or neither; undefined when cancelled. */
async function chooseTarget(remembered: { command?: string; pid?: number }): Promise<{ command?: string; pid?: number } | undefined> {
  const items = [
    { label: '$(terminal) Start a command once the probes are live (stap -c)', target: 'command' as const, description: remembered.command },
    { label: '$(debug-alt) Attach to a running process (stap -x)', target: 'pid' as const, description: remembered.pid !== undefined ? `pid ${remembered.pid}` : undefined },
    { label: '$(circle-slash) No target', target: 'none' as const },
  ];
  const picked = await vscode.window.showQuickPick(items, { title: 'What should the run target?' });
  if (!picked) return undefined;
  if (picked.target === 'none') return { command: undefined, pid: undefined };
  if (picked.target === 'pid') {
    const pid = await pickProcess();
    return pid === undefined ? undefined : { command: undefined, pid };
  }
  const command = await vscode.window.showInputBox({
    title: 'Command for stap -c',
    prompt: 'stap starts it once the probes are live and stops when it exits; target() is its pid. Example: ping -c 1 127.0.0.1',
    value: remembered.command ?? '',
    ignoreFocusOut: true,
  });
  return command?.trim() ? { command: command.trim(), pid: undefined } : undefined;
}

/** Local run, or one of the `systemtap.run.remote` targets. undefined: local; null: cancelled. */
async function chooseRemote(targets: string[], remembered: string | undefined): Promise<string | undefined | null> {
  if (targets.length === 0) return undefined;
  const local = { label: '$(vm) This machine', target: undefined as string | undefined };
  const items = [local, ...targets.map((t) => ({ label: `$(remote) ${t}`, target: t as string | undefined }))];
  // The last choice for this file comes first.
  items.sort((a, b) => Number(b.target === remembered) - Number(a.target === remembered));
  const picked = await vscode.window.showQuickPick(items, { title: 'Run where? (stap --remote)' });
  return picked ? picked.target : null;
}
