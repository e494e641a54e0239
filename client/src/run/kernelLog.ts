// `SystemTap: Follow kernel log`: printk output goes to the kernel log, not to
// stap's output, so it is followed in a terminal of its own beside the run.

import * as fs from 'fs';
import * as vscode from 'vscode';
import { readSettings } from '../config/settings';
import { refuseIfUntrusted } from '../trust';
import { kernelLogInvocation } from './stapCommand';
import { findExecutable } from './which';

export class KernelLog implements vscode.Disposable {
  private terminal: vscode.Terminal | undefined;
  private readonly subscription = vscode.window.onDidCloseTerminal((t) => {
    if (t === this.terminal) this.terminal = undefined;
  });

  /**
   * Opens the kernel log terminal, or shows the one already open: a tab of its
   * own beside the run's. (Splitting it into the run's tab is not possible:
   * VS Code ignores `parentTerminal` for a terminal it did not just create.)
   */
  follow(preserveFocus = false): vscode.Terminal | undefined {
    if (refuseIfUntrusted('Following the kernel log')) return undefined;
    if (this.terminal) {
      this.terminal.show(preserveFocus);
      return this.terminal;
    }
    const tool = findExecutable('journalctl') && hasJournal() ? 'journalctl' : findExecutable('dmesg') ? 'dmesg' : undefined;
    if (!tool) {
      void vscode.window.showErrorMessage('SystemTap: neither journalctl nor dmesg is installed: cannot follow the kernel log.');
      return undefined;
    }
    const invocation = kernelLogInvocation(tool, readSettings()['run.sudo'], process.getuid?.() === 0);
    this.terminal = vscode.window.createTerminal({
      name: `Kernel log (${tool})`,
      shellPath: invocation.file,
      shellArgs: invocation.args,
      iconPath: new vscode.ThemeIcon('output'),
    });
    this.terminal.show(preserveFocus);
    return this.terminal;
  }

  dispose(): void {
    this.subscription.dispose();
    this.terminal?.dispose();
  }
}

/**
 * journalctl without journal files (containers, machines without systemd; the
 * package may still create an empty /var/log/journal) only prints "No journal
 * files were found". Journals live in a folder per machine id.
 */
function hasJournal(): boolean {
  return ['/run/log/journal', '/var/log/journal'].some((dir) => {
    try {
      return fs.readdirSync(dir).some((machine) => fs.readdirSync(`${dir}/${machine}`).some((f) => f.endsWith('.journal')));
    } catch {
      return false;
    }
  });
}
