// Completion after `$` and the script arguments after `@`: `$1`..`$N` (the
// highest the script names, or the arguments of the file's last run, with
// their values) and `$#` everywhere; the probed code's variables
// (kernelCompletion.ts) and the `$$` names only in probes that have them, not
// in `begin`, `end`, `timer`... nor in a function, which has no probe point.

import { CompletionItem, CompletionItemKind, MarkupKind, Range } from 'vscode-languageserver';
import { Analysis } from '../analysis/analyze';
import { probeKind } from '../analysis/semantic/probeKinds';
import { KernelTypes } from '../kernel/kernelTypes';
import { targetVariableItems } from './kernelCompletion';

const markdown = (value: string) => ({ kind: MarkupKind.Markdown, value });

/** Where `$` stands: in a probe of stap's own (no target variables), in one that may have them, or elsewhere (a function). */
function placeOf(analysis: Analysis, offset: number): 'ownProbe' | 'probe' | 'function' {
  const item = analysis.script.items.find((i) => i.start <= offset && offset <= i.end);
  if (item?.kind === 'probe') return probeKind(item, analysis.text).builtIn ? 'ownProbe' : 'probe';
  return 'function';
}

/** `$1`..`$N` and `$#` (or `@1`..`@N` and `@#`): N is the highest the script names or the last run gave, at least 1. */
export function scriptArgumentItems(analysis: Analysis, range: Range, sigil: '$' | '@', lastRun?: readonly string[]): CompletionItem[] {
  const count = Math.max(1, analysis.script.scriptArgs, lastRun?.length ?? 0);
  const items: CompletionItem[] = [];
  const as = sigil === '$' ? 'a number (`@N` reads it as a string)' : 'a string (`$N` reads it as a number or a bare word)';
  for (let n = 1; n <= count; n++) {
    const value = lastRun?.[n - 1];
    items.push({
      label: `${sigil}${n}`,
      kind: CompletionItemKind.Constant,
      detail: value !== undefined ? `last run: ${JSON.stringify(value)}` : 'script argument',
      documentation: markdown(`Script argument ${n}, as ${as}: what follows the script on stap's command line.`),
      sortText: `3${String(n).padStart(4, '0')}`,
      textEdit: { range, newText: `${sigil}${n}` },
    });
  }
  items.push({
    label: `${sigil}#`,
    kind: CompletionItemKind.Constant,
    detail: lastRun ? `last run: ${lastRun.length}` : 'number of script arguments',
    documentation: markdown(`The number of script arguments${sigil === '@' ? ', as a string' : ''}.`),
    sortText: '39999',
    textEdit: { range, newText: `${sigil}#` },
  });
  return items;
}

export function dollarItems(analysis: Analysis, offset: number, range: Range, kernel: KernelTypes | undefined, lastRun?: readonly string[]): CompletionItem[] {
  const args = scriptArgumentItems(analysis, range, '$', lastRun);
  const place = placeOf(analysis, offset);
  if (place === 'probe') return [...targetVariableItems(analysis, offset, range, kernel), ...args];
  const item = analysis.script.items.find((i) => i.start <= offset && offset <= i.end);
  if (place === 'ownProbe' && item?.kind === 'probe' && probeKind(item, analysis.text).procfs) {
    const value = { label: '$value', kind: CompletionItemKind.Variable, detail: 'string', sortText: '0value', textEdit: { range, newText: '$value' } };
    return [{ ...value, documentation: markdown("The procfs file's content: what a `.write` probe was given, what a `.read` probe sets to be read.") }, ...args];
  }
  return args;
}
