// What a run of each file was given last time (script arguments, the command
// or process it targeted, the remote host), kept in the workspace state so the
// next run of that file offers it again.

import * as vscode from 'vscode';

export interface RememberedRun {
  scriptArgs?: string[];
  command?: string;
  pid?: number;
  remote?: string;
}

export class RunMemory implements vscode.Disposable {
  private readonly updated = new vscode.EventEmitter<vscode.Uri>();
  /** Fires with a file's URI when what is remembered for it changes. */
  readonly onDidUpdate = this.updated.event;

  constructor(private readonly state: vscode.Memento) {}

  get(uri: vscode.Uri): RememberedRun {
    return this.state.get<RememberedRun>(this.key(uri)) ?? {};
  }

  async update(uri: vscode.Uri, change: Partial<RememberedRun>): Promise<void> {
    await this.state.update(this.key(uri), { ...this.get(uri), ...change });
    this.updated.fire(uri);
  }

  dispose(): void {
    this.updated.dispose();
  }

  private key(uri: vscode.Uri): string {
    return `systemtap.run:${uri.toString()}`;
  }
}
