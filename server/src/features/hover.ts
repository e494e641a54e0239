// Hover documentation for the names stap gives embedded C.

import { Hover, MarkupKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { retvalueDoc, RUNTIME_DOCS, stapArgDoc } from '../docs/stapMacros';

export function hover(analysis: Analysis, document: TextDocument, offset: number): Hover | null {
  for (const facts of analysis.cFacts) {
    const { region } = facts;
    if (offset < region.code.start || offset > region.code.end) continue;
    const fn = region.context.kind === 'topLevel' ? undefined : region.context.fn;
    const range = (x: { start: number; end: number }) => ({ start: document.positionAt(x.start), end: document.positionAt(x.end) });
    const arg = facts.stapArgs.find((a) => offset >= a.start && offset <= a.end);
    if (arg) return { contents: { kind: MarkupKind.Markdown, value: stapArgDoc(arg.name, fn) }, range: range(arg) };
    const name = facts.stapMacros.find((m) => offset >= m.start && offset <= m.end);
    if (!name) return null;
    const doc = name.text === 'STAP_RETVALUE' ? retvalueDoc(fn) : RUNTIME_DOCS[name.text];
    return doc ? { contents: { kind: MarkupKind.Markdown, value: doc }, range: range(name) } : null;
  }
  return null;
}
