// What the output view hears of a run: its start, the text stap writes to
// standard output as it arrives, and its end. The run side (the terminal tee)
// produces these; the output view consumes them.

import type * as vscode from 'vscode';

export interface RunStarted {
  /** Unique per run; a second run of the same script has another id. */
  id: string;
  /** The task's name, as the terminal shows it (`stap -vg top.stp`). */
  name: string;
  /** The script's path. */
  script: string;
}

export interface RunWrote {
  id: string;
  /** A chunk of stap's standard output, as it arrived (not split at lines). */
  text: string;
}

export interface RunEnded {
  id: string;
  /** undefined when the run was killed or its end was not seen. */
  exitCode: number | undefined;
}

export interface RunOutputEvents {
  readonly onDidStartRun: vscode.Event<RunStarted>;
  readonly onDidWrite: vscode.Event<RunWrote>;
  readonly onDidEndRun: vscode.Event<RunEnded>;
}
