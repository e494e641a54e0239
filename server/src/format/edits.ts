// Formatting results as LSP edits: one edit covering what changed (the common start and end
// left alone), so the editor keeps the cursor and the undo step small.

import { TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';

export function changedSpan(before: string, after: string): { start: number; end: number; newText: string } | undefined {
  if (before === after) return undefined;
  let start = 0;
  const shorter = Math.min(before.length, after.length);
  while (start < shorter && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before.charCodeAt(endBefore - 1) === after.charCodeAt(endAfter - 1)) {
    endBefore--;
    endAfter--;
  }
  return { start, end: endBefore, newText: after.slice(start, endAfter) };
}

export function toTextEdits(document: TextDocument, after: string): TextEdit[] {
  const span = changedSpan(document.getText(), after);
  if (!span) return [];
  return [TextEdit.replace({ start: document.positionAt(span.start), end: document.positionAt(span.end) }, span.newText)];
}
