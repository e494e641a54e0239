// Quick fixes for the kernel checks: the nearest kernel function, parameter
// or member name, and for a member that differs between kernels, reading
// whichever is there with @choose_defined.

import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { DiagnosticCode } from '../analysis/diagnostic';
import { toRange } from './lspRanges';

const KERNEL_CODES = new Set<DiagnosticCode>(['kernel-function-unknown', 'target-variable-unknown', 'target-member-unknown', 'c-member-unknown']);

export function kernelCodeActions(analysis: Analysis, document: TextDocument, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  const from = document.offsetAt(range.start);
  const to = document.offsetAt(range.end);
  const actions: CodeAction[] = [];
  for (const f of analysis.findings) {
    if (!KERNEL_CODES.has(f.code) || f.end < from || f.start > to) continue;
    const diagnostic = diagnostics.find((d) => d.code === f.code && document.offsetAt(d.range.start) === f.start);
    const action = (title: string, start: number, end: number, text: string, preferred: boolean): CodeAction => ({
      title,
      kind: CodeActionKind.QuickFix,
      diagnostics: diagnostic ? [diagnostic] : undefined,
      isPreferred: preferred,
      edit: { changes: { [document.uri]: [TextEdit.replace(toRange(document, { start, end }), text)] } },
    });
    if (f.replacement) actions.push(action(`Change to ${f.replacement}`, f.start, f.end, f.replacement, true));
    for (const fix of f.fixes ?? []) actions.push(action(fix.title, fix.start, fix.end, fix.text, !!fix.preferred));
  }
  return actions;
}
