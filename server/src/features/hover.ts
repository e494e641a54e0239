// Hover documentation for the names stap gives embedded C.

import { Hover, MarkupKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { KERNEL_DOCS, PRAGMA_DOCS } from '../docs/kernelIdioms';
import { retvalueDoc, RUNTIME_DOCS, stapArgDoc } from '../docs/stapMacros';

export function hover(analysis: Analysis, document: TextDocument, offset: number): Hover | null {
  for (const facts of analysis.cFacts) {
    const { region } = facts;
    if (offset < region.code.start || offset > region.code.end) continue;
    const fn = region.context.kind === 'topLevel' ? undefined : region.context.fn;
    const range = (x: { start: number; end: number }) => ({ start: document.positionAt(x.start), end: document.positionAt(x.end) });
    const at = <T extends { start: number; end: number }>(xs: T[]) => xs.find((x) => offset >= x.start && offset <= x.end);
    const markdown = (value: string, r: { start: number; end: number }): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: range(r) });
    const arg = at(facts.stapArgs);
    if (arg) return markdown(stapArgDoc(arg.name, fn), arg);
    const name = at(facts.stapMacros);
    if (name) {
      const doc = name.text === 'STAP_RETVALUE' ? retvalueDoc(fn) : RUNTIME_DOCS[name.text];
      return doc ? markdown(doc, name) : null;
    }
    const kernel = at(facts.kernelNames);
    if (kernel) return markdown(KERNEL_DOCS[kernel.text], kernel);
    const pragma = at(facts.pragmas);
    return pragma ? markdown(PRAGMA_DOCS[pragma.text], pragma) : null;
  }
  return null;
}
