// Completion in the C of a `%{ %}` region: in an embedded-C function body,
// the function's STAP_ARG_ names, its return value, the runtime's macros and
// the printk levels; the C snippets wherever they may stand (printk in any C,
// the snippets using STAP_ARG_ and STAP_RETVALUE in function bodies, #include
// in a top-level region). VS Code treats the region as C, so the systemtap
// snippets of the editor would not show here: the server offers these.

import { CompletionItem, CompletionItemKind, MarkupKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { KERNEL_DOCS, KERNEL_LOG_LEVELS } from '../docs/kernelIdioms';
import { retvalueDoc, RUNTIME_DOCS, stapArgDoc } from '../docs/stapMacros';
import { EmbeddedRegion } from '../embedded/regions';
import { toRange } from './lspRanges';
import { snippetItems } from './snippetCompletion';

const doc = (value: string) => ({ kind: MarkupKind.Markdown, value });

export function completeEmbeddedC(document: TextDocument, region: EmbeddedRegion, start: number, offset: number): CompletionItem[] {
  // `#inc|`: the `#` is part of what is replaced.
  const text = document.getText();
  const from = text[start - 1] === '#' ? start - 1 : start;
  const range = toRange(document, { start: from, end: offset });
  const { context } = region;
  if (context.kind === 'topLevel') return [...snippetItems('cTopLevel', range), ...snippetItems('cCode', range)];
  if (context.kind !== 'functionBody') return [];
  const fn = context.fn;
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
  return [...items, ...snippetItems('cCode', range), ...snippetItems('cFunctionBody', range)];
}
