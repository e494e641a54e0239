// Quick fixes for the findings that have an obvious one.

import { CodeAction, CodeActionKind, Diagnostic, Range, TextEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { SNMP_RENAME_RELEASE, withNewSnmpNames } from '../analysis/kernelRenames';
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
      const params = fn.params.map((p) => p.text);
      const closest = closestName(use.name, params);
      // With one parameter there is nothing else it can have meant, however far the spelling.
      const offered = closest ?? (params.length === 1 ? params[0] : undefined);
      if (offered) actions.push(edit(`Change to STAP_ARG_${offered}`, [TextEdit.replace(rangeOf(use.start, use.end), `STAP_ARG_${offered}`)], diagnostic, !!closest));
      const insert = fn.params.length ? `, ${use.name}` : use.name;
      actions.push(edit(`Add parameter '${use.name}' to ${fn.name.text}()`, [TextEdit.insert(document.positionAt(fn.paramsEnd), insert)], diagnostic));
    }
    if ((f.code === 'deprecated-this' || f.code === 'function-unknown' || f.code === 'kernel-macro-renamed' || f.code === 'probe-point-unknown') && f.replacement) {
      actions.push(edit(`Change to ${f.replacement}`, [TextEdit.replace(rangeOf(f.start, f.end), f.replacement)], diagnosticFor(f.start, f.code), true));
    }
    if (f.code === 'kernel-macro-renamed') {
      const guarded = versionGuarded(analysis, f.start);
      if (guarded)
        actions.push(
          edit(`Keep both spellings: %( kernel_v < "${SNMP_RENAME_RELEASE}" %? old %: new %)`, [TextEdit.replace(rangeOf(guarded.start, guarded.end), guarded.text)], diagnosticFor(f.start, f.code)),
        );
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

/**
 * The `%{ %}` block around `offset` twice, under a kernel version test: as
 * written for older kernels, with the new names for the others.
 */
function versionGuarded(analysis: Analysis, offset: number): { start: number; end: number; text: string } | undefined {
  const region = analysis.regions.find((r) => !r.code.expanded && r.code.start <= offset && offset < r.code.end)?.code;
  if (!region) return undefined;
  const old = analysis.text.slice(region.start, region.end);
  if (!old.endsWith('%}')) return undefined; // still being typed
  const test = `%( kernel_v < "${SNMP_RENAME_RELEASE}" %?`;
  const text = old.includes('\n') ? `${test}\n${old}\n%:\n${withNewSnmpNames(old)}\n%)` : `${test} ${old} %: ${withNewSnmpNames(old)} %)`;
  return { start: region.start, end: region.end, text };
}
