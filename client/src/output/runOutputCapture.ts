// A run's stdout, as the output view hears it. Each stap task runs through
// the tee (dist/stapTee.js), which copies stap's stdout into a file of its
// own in the extension's storage (`runs/`); this follows that file while the
// task runs and tells listeners what was added, then reads it a last time
// when the task's process ends.

import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';
import type { TeeTarget } from '../run/stapCommand';
import { isStapExecution } from '../run/stapTask';
import { FileTail } from './fileTail';
import { newRunFile } from './runFiles';
import { RunEnded, RunOutputEvents, RunStarted, RunWrote } from './runOutputEvents';

interface Capture {
  id: string;
  file: string;
  tail: FileTail;
}

export class RunOutputCapture implements RunOutputEvents, vscode.Disposable {
  private readonly started = new vscode.EventEmitter<RunStarted>();
  private readonly wrote = new vscode.EventEmitter<RunWrote>();
  private readonly ended = new vscode.EventEmitter<RunEnded>();
  readonly onDidStartRun = this.started.event;
  readonly onDidWrite = this.wrote.event;
  readonly onDidEndRun = this.ended.event;

  private readonly captures = new Map<vscode.TaskExecution, Capture>();
  /** The script each output file was made for, by file. */
  private readonly scripts = new Map<string, string>();
  private nextId = 1;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    /** Where the `runs/` folder goes: the extension's global storage. */
    private readonly storage: string,
    /** dist/stapTee.js */
    private readonly teeScript: string,
  ) {
    this.subscriptions = [
      vscode.tasks.onDidStartTaskProcess((e) => isStapExecution(e.execution) && this.begin(e.execution, e.processId)),
      vscode.tasks.onDidEndTaskProcess((e) => this.finish(e.execution, e.exitCode)),
      // A task whose process never started, or whose end was not reported.
      vscode.tasks.onDidEndTask((e) => this.finish(e.execution, undefined)),
      this.started,
      this.wrote,
      this.ended,
    ];
  }

  get runsFolder(): string {
    return path.join(this.storage, 'runs');
  }

  /** The tee for a new run of `script`: VS Code's executable as Node, dist/stapTee.js, and a new file. */
  teeFor(script: string): TeeTarget {
    const inUse = new Set(this.scripts.keys());
    const outFile = newRunFile(this.runsFolder, script, new Date(), inUse);
    this.scripts.set(outFile, script);
    // tasks.json tasks are resolved (and given a file) without always running: forget the oldest.
    if (this.scripts.size > 100) this.scripts.delete(this.scripts.keys().next().value!);
    return { node: process.execPath, teeScript: this.teeScript, outFile };
  }

  private begin(execution: vscode.TaskExecution, pid: number): void {
    const outFile = outFileOfProcess(pid) ?? outFileOf(execution);
    if (!outFile || this.captures.has(execution)) return;
    const id = `run-${this.nextId++}`;
    const tail = new FileTail(outFile, (text) => this.wrote.fire({ id, text }));
    this.captures.set(execution, { id, file: outFile, tail });
    const definition = execution.task.definition as { script?: unknown };
    this.started.fire({ id, name: execution.task.name, script: this.scripts.get(outFile) ?? String(definition.script ?? '') });
    tail.start();
  }

  private finish(execution: vscode.TaskExecution, exitCode: number | undefined): void {
    const capture = this.captures.get(execution);
    if (!capture) return;
    this.captures.delete(execution);
    capture.tail.stop();
    this.scripts.delete(capture.file);
    this.ended.fire({ id: capture.id, exitCode });
  }

  dispose(): void {
    for (const capture of this.captures.values()) capture.tail.stop();
    this.captures.clear();
    for (const s of this.subscriptions) s.dispose();
  }
}

/**
 * The file the tee with this process id writes to, from its command line. A
 * tasks.json task is resolved again when it runs, each time with a new file,
 * and the task in VS Code's events may carry another resolution's: the
 * process's own arguments are the ones that count.
 */
function outFileOfProcess(pid: number): string | undefined {
  try {
    return outFileIn(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(2));
  } catch {
    return undefined; // not Linux, or already gone
  }
}

/** The file in the task's definition of the tee's arguments. */
function outFileOf(execution: vscode.TaskExecution): string | undefined {
  // Duck-typed: the task in VS Code's events is rebuilt from what was sent to the workbench.
  const args = (execution.task.execution as { args?: unknown } | undefined)?.args;
  return Array.isArray(args) ? outFileIn(args) : undefined;
}

/** The argument after `--out`, before the command's `--`. */
function outFileIn(args: unknown[]): string | undefined {
  const end = args.indexOf('--');
  const at = args.indexOf('--out');
  return at >= 0 && (end < 0 || at < end) && typeof args[at + 1] === 'string' ? (args[at + 1] as string) : undefined;
}
