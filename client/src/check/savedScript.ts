// The script a command works on: the given file, else the active editor's,
// and only a saved SystemTap script, since stap reads the file on disk.

import * as vscode from 'vscode';

/** The document, or undefined after telling the user why there is none; `doing` ends the message ("compile it"). */
export async function scriptDocumentFor(uri: vscode.Uri | undefined, doing: string): Promise<vscode.TextDocument | undefined> {
  const document = uri ? await vscode.workspace.openTextDocument(uri) : vscode.window.activeTextEditor?.document;
  if (!document || document.languageId !== 'systemtap' || document.isUntitled) {
    void vscode.window.showWarningMessage(`SystemTap: open a saved SystemTap script to ${doing}.`);
    return undefined;
  }
  return document;
}
