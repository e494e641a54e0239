// Tasks of type `stap`: what the Run commands execute, and what users can put
// in tasks.json:
//   {"type": "stap", "script": "${file}", "guru": true, "args": [], "scriptArgs": []}
// The task runs stap as a process with an argument vector in the terminal, so
// output streams live, the sudo prompt works and Ctrl+C stops it. Between the
// terminal and stap sits the tee (tee.ts), which copies stap's stdout into a
// file for the output view and says in the terminal how the run ended.

import * as path from 'path';
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import { runInvocation, TeeTarget, teeInvocation } from './stapCommand';

export const STAP_TASK_TYPE = 'stap';

export interface StapTaskDefinition extends vscode.TaskDefinition {
  type: typeof STAP_TASK_TYPE;
  script: string;
  guru?: boolean;
  verbose?: boolean;
  args?: string[];
  scriptArgs?: string[];
  command?: string;
  pid?: number;
  remote?: string;
}

export const PROBLEM_MATCHERS = ['$stap', '$stap-parse'];

/** The tee and output file for a new run of a script (RunOutputCapture.teeFor). */
export type TeeForRun = (script: string) => TeeTarget;

/** The task for a definition; stap's path, sudo and extra options come from the settings. */
export function stapTask(definition: StapTaskDefinition, scope: vscode.WorkspaceFolder | vscode.TaskScope = vscode.TaskScope.Workspace, teeFor?: TeeForRun): vscode.Task {
  const folder = typeof scope === 'object' ? scope.uri : undefined;
  const settings = readSettings(folder);
  // A relative script in tasks.json is relative to its workspace folder.
  const script = !path.isAbsolute(definition.script) && !definition.script.startsWith('${') && folder ? path.join(folder.fsPath, definition.script) : definition.script;
  const invocation = runInvocation({
    stapPath: settings.stapPath,
    script,
    guru: definition.guru ?? true,
    verbose: definition.verbose ?? true,
    extraArgs: [...settings['run.extraArgs'], ...(definition.args ?? [])],
    includePaths: settings.includePaths,
    scriptArgs: definition.scriptArgs ?? [],
    command: definition.command || undefined,
    pid: definition.pid,
    remote: definition.remote || undefined,
    sudo: settings['run.sudo'],
    isRoot: process.getuid?.() === 0,
  });
  // Run beside the script, so relative paths in it and in its arguments work;
  // `${file}` and friends are resolved by VS Code, which then picks the folder.
  const cwd = script.includes('${') ? undefined : path.dirname(script);
  // VS Code's own executable runs the tee as Node: no node on PATH is needed.
  const tee = teeFor && teeTarget(teeFor, script);
  const command = tee ? teeInvocation(invocation, tee) : invocation;
  const env = tee ? { ELECTRON_RUN_AS_NODE: '1' } : undefined;
  const execution = new vscode.ProcessExecution(command.file, command.args, { ...(cwd ? { cwd } : {}), ...(env ? { env } : {}) });
  const task = new vscode.Task(definition, scope, taskName(definition), 'stap', execution, PROBLEM_MATCHERS);
  task.presentationOptions = { reveal: vscode.TaskRevealKind.Always, panel: vscode.TaskPanelKind.Dedicated, clear: true, focus: true };
  return task;
}

/** The run's file and tee; undefined when no file can be made (storage not writable): then the run goes without. */
function teeTarget(teeFor: TeeForRun, script: string): TeeTarget | undefined {
  try {
    return teeFor(script);
  } catch {
    return undefined;
  }
}

function taskName(d: StapTaskDefinition): string {
  const flags = `-${d.verbose === false ? '' : 'v'}${d.guru === false ? '' : 'g'}`;
  const target = d.command ? ` -c '${d.command}'` : d.pid !== undefined ? ` -x ${d.pid}` : '';
  const where = d.remote ? ` on ${d.remote}` : '';
  return `stap ${flags === '-' ? '' : flags + ' '}${d.script.includes('${') ? d.script : path.basename(d.script)}${target}${where}`.replace(/\s+/g, ' ');
}

/** Resolves `stap` tasks from tasks.json; nothing runs in an untrusted workspace. */
export class StapTaskProvider implements vscode.TaskProvider {
  constructor(private readonly teeFor?: TeeForRun) {}

  provideTasks(): vscode.Task[] {
    return [];
  }

  resolveTask(task: vscode.Task): vscode.Task | undefined {
    if (!vscode.workspace.isTrusted) return undefined;
    const definition = task.definition as StapTaskDefinition;
    if (typeof definition.script !== 'string' || !definition.script) return undefined;
    return stapTask(definition, (task.scope as vscode.WorkspaceFolder | vscode.TaskScope | undefined) ?? vscode.TaskScope.Workspace, this.teeFor);
  }
}

/** Whether a task execution is a stap run (ours, or one from tasks.json). */
export const isStapExecution = (e: vscode.TaskExecution): boolean => e.task.definition.type === STAP_TASK_TYPE;
