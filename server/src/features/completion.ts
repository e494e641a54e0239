// Completion inside an embedded-C function body: the function's STAP_ARG_
// names, its return value, the runtime's macros and the printk levels.

import { CompletionItem, CompletionItemKind, MarkupKind } from 'vscode-languageserver';
import { Analysis } from '../analysis/analyze';
import { KERNEL_DOCS, KERNEL_LOG_LEVELS } from '../docs/kernelIdioms';
import { retvalueDoc, RUNTIME_DOCS, stapArgDoc } from '../docs/stapMacros';

const doc = (value: string) => ({ kind: MarkupKind.Markdown, value });

export function complete(analysis: Analysis, offset: number): CompletionItem[] {
  const region = analysis.regions.find((r) => offset >= r.code.codeStart && offset <= r.code.codeEnd && !r.code.expanded);
  if (!region || region.context.kind !== 'functionBody') return [];
  const fn = region.context.fn;
  const items: CompletionItem[] = fn.params.map((p) => ({
    label: `STAP_ARG_${p.text}`,
    kind: CompletionItemKind.Variable,
    detail: p.type ? `${p.type.text} parameter` : 'parameter',
    documentation: doc(stapArgDoc(p.text, fn)),
    sortText: `0${p.text}`,
  }));
  if (fn.returnType) {
    items.push({ label: 'STAP_RETVALUE', kind: CompletionItemKind.Variable, detail: `${fn.returnType.text} return value`, documentation: doc(retvalueDoc(fn)), sortText: '1' });
    items.push({ label: 'STAP_RETURN', kind: CompletionItemKind.Function, documentation: doc(RUNTIME_DOCS.STAP_RETURN), sortText: '2' });
  }
  for (const name of ['STAP_ERROR', 'STAP_PRINTF', 'CONTEXT', 'MAXSTRINGLEN']) {
    items.push({ label: name, kind: name.startsWith('STAP_') ? CompletionItemKind.Function : CompletionItemKind.Constant, documentation: doc(RUNTIME_DOCS[name]), sortText: `3${name}` });
  }
  for (const [level, number, meaning] of KERNEL_LOG_LEVELS) {
    items.push({ label: level, kind: CompletionItemKind.Constant, detail: `printk level ${number}: ${meaning}`, documentation: doc(KERNEL_DOCS[level]), sortText: `4${level}` });
  }
  return items;
}
