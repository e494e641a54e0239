// Workspace trust: in Restricted Mode nothing is executed. Commands that would
// run a process say why they do nothing instead of failing silently.

import * as vscode from 'vscode';

export function refuseIfUntrusted(action: string): boolean {
  if (vscode.workspace.isTrusted) return false;
  void vscode.window
    .showWarningMessage(
      `SystemTap: ${action} is disabled in Restricted Mode. This folder is not trusted, and running stap executes code as root. Trust the folder to ${action.toLowerCase()}.`,
      'Manage Workspace Trust',
    )
    .then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
  return true;
}
