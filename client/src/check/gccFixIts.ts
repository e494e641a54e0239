// Quick fixes from gcc's fix-its: a compile check's "has no member named
// 'nmae'; did you mean 'name'?" offers to replace `nmae` with `name`, as gcc
// itself proposed under its caret line.

import * as vscode from 'vscode';

interface FixIt {
  range: vscode.Range;
  message: string;
  /** The text gcc's caret covered when the check ran; a fix for text since changed is not offered. */
  original: string;
  replacement: string;
}

export class GccFixIts implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];
  private readonly byDocument = new Map<string, FixIt[]>();

  /** The fix-its of a check of `document`, replacing those of the last one. */
  set(document: vscode.TextDocument, fixIts: readonly { range: vscode.Range; message: string; replacement: string }[]): void {
    this.byDocument.set(
      document.uri.toString(),
      fixIts.map((f) => ({ ...f, original: document.getText(f.range) })),
    );
  }

  delete(uri: vscode.Uri): void {
    this.byDocument.delete(uri.toString());
  }

  provideCodeActions(document: vscode.TextDocument, _range: vscode.Range, context: vscode.CodeActionContext): vscode.CodeAction[] {
    const fixIts = this.byDocument.get(document.uri.toString());
    if (!fixIts) return [];
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== 'gcc') continue;
      const fix = fixIts.find((f) => f.range.isEqual(diagnostic.range) && f.message === diagnostic.message);
      if (!fix || document.getText(fix.range) !== fix.original) continue;
      const action = new vscode.CodeAction(`Change '${fix.original}' to '${fix.replacement}' (gcc's suggestion)`, vscode.CodeActionKind.QuickFix);
      action.edit = new vscode.WorkspaceEdit();
      action.edit.replace(document.uri, fix.range, fix.replacement);
      action.diagnostics = [diagnostic];
      action.isPreferred = true;
      actions.push(action);
    }
    return actions;
  }
}
