// Quick fixes for the findings that have an obvious one.

import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { closestName } from '../analysis/names';
import { withGuruFlag } from '../analysis/shebang';
import { kernelCodeActions } from './kernelCodeActions';
import { toRange } from './lspRanges';

export { closestName };

export function codeActions(analysis: Analysis, document: TextDocument, range: Range, diagnostics: Diagnostic[]): CodeAction[] {
  const from = document.offsetAt(range.start);
  const to = document.offsetAt(range.end);
  const actions: CodeAction[] = [];
  const edit = (title: string, edits: TextEdit[], diagnostic: Diagnostic | undefined, preferred = false): CodeAction => ({
    title,
    kind: CodeActionKind.QuickFix,
    diagnostics: diagnostic ? [diagnostic] : undefined,
    isPreferred: preferred,
    edit: { changes: { [document.uri]: edits } },
  });
  const rangeOf = (start: number, end: number): Range => toRange(document, { start, end });
  const diagnosticFor = (start: number, code: string) => diagnostics.find((d) => d.code === code && document.offsetAt(d.range.start) === start);

  for (const f of analysis.findings) {
    if (f.end < from || f.start > to) continue;
    if (f.code === 'stap-arg-unknown') {
      const facts = analysis.cFacts.find((c) => c.stapArgs.some((a) => a.start === f.start));
      const use = facts?.stapArgs.find((a) => a.start === f.start);
      const ctx = facts?.region.context;
      if (!use || !ctx || ctx.kind === 'topLevel' || !ctx.fn) continue;
      const fn = ctx.fn;
      const diagnostic = diagnosticFor(f.start, f.code);
      const closest = closestName(
        use.name,
        fn.params.map((p) => p.text),
      );
      if (closest) actions.push(edit(`Change to STAP_ARG_${closest}`, [TextEdit.replace(rangeOf(use.start, use.end), `STAP_ARG_${closest}`)], diagnostic, true));
      const insert = fn.params.length ? `, ${use.name}` : use.name;
      actions.push(edit(`Add parameter '${use.name}' to ${fn.name.text}()`, [TextEdit.insert(document.positionAt(fn.paramsEnd), insert)], diagnostic));
    }
    if ((f.code === 'deprecated-this' || f.code === 'function-unknown') && f.replacement) {
      actions.push(edit(`Change to ${f.replacement}`, [TextEdit.replace(rangeOf(f.start, f.end), f.replacement)], diagnosticFor(f.start, f.code), true));
    }
    if (f.code === 'guru-mode-required' && analysis.shebang?.runsStap && !analysis.shebang.guru) {
      const line = analysis.text.slice(analysis.shebang.start, analysis.shebang.end);
      actions.push(
        edit(`Run with guru mode: ${withGuruFlag(line)}`, [TextEdit.replace(rangeOf(analysis.shebang.start, analysis.shebang.end), withGuruFlag(line))], diagnosticFor(f.start, f.code), true),
      );
    }
  }
  actions.push(...kernelCodeActions(analysis, document, range, diagnostics));
  return actions;
}
