// Hover documentation: in embedded C, the names stap gives it and kernel
// idioms; in the script, functions (the script's, stap's print functions and
// the tapset library's), the `@` operators and the library's probe aliases;
// with the target kernel's data, what kernelHover.ts says of kernel names.

import { Hover, MarkupKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { KERNEL_DOCS, PRAGMA_DOCS } from '../docs/kernelIdioms';
import { retvalueDoc, RUNTIME_DOCS, stapArgDoc } from '../docs/stapMacros';
import { EMPTY_INDEX, TapsetIndex } from '../analysis/tapsetIndex';
import { FunctionDecl } from '../syntax/ast';
import { libraryFunctionDoc, libraryProbeDoc, scriptFunctionDoc } from './libraryDocs';
import { AT_OPERATOR_DOCS, BuiltinDoc, PRINT_FUNCTIONS } from '../docs/builtins';
import { embeddedRegionAt } from './cursorContext';
import { nameAt, wordAt } from './nameAt';
import { inferredTypeDoc } from './inferredTypes';
import { Span, toRange } from './lspRanges';
import { KernelTypes } from '../kernel/kernelTypes';
import { embeddedKernelHover, KernelHover, scriptKernelHover } from './kernelHover';

const inComment = (analysis: Analysis, offset: number) => analysis.script.comments.some((c) => offset >= c.start && offset < c.end);

export function hover(analysis: Analysis, document: TextDocument, offset: number, index: TapsetIndex = EMPTY_INDEX, kernel?: KernelTypes): Hover | null {
  // Only which side of `%{ %}` it is: nameAt knows comments and strings from the tree, without lexing again.
  const cRegion = embeddedRegionAt(analysis, offset);
  const fromKernel = (found: KernelHover | undefined): Hover | null => (found ? { contents: { kind: MarkupKind.Markdown, value: found.markdown }, range: toRange(document, found.span) } : null);
  if (!cRegion) return (kernel && !inComment(analysis, offset) && fromKernel(scriptKernelHover(analysis, offset, kernel))) || scriptHover(analysis, document, offset, index);
  for (const facts of analysis.cFacts) {
    const { region } = facts;
    if (region !== cRegion) continue;
    const fn = region.context.kind === 'topLevel' ? undefined : region.context.fn;
    const at = <T extends { start: number; end: number }>(xs: T[]) => xs.find((x) => offset >= x.start && offset <= x.end);
    const markdown = (value: string, r: Span): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: toRange(document, r) });
    const arg = at(facts.stapArgs);
    if (arg) return markdown(stapArgDoc(arg.name, fn), arg);
    const name = at(facts.stapMacros);
    if (name) {
      const doc = name.text === 'STAP_RETVALUE' ? retvalueDoc(fn) : RUNTIME_DOCS[name.text];
      return doc ? markdown(doc, name) : null;
    }
    const kernelName = at(facts.kernelNames);
    if (kernelName) return markdown(KERNEL_DOCS[kernelName.text], kernelName);
    const pragma = at(facts.pragmas);
    if (pragma) return markdown(PRAGMA_DOCS[pragma.text], pragma);
    return kernel ? fromKernel(embeddedKernelHover(analysis, region, offset, kernel)) : null;
  }
  return null;
}

function scriptHover(analysis: Analysis, document: TextDocument, offset: number, index: TapsetIndex): Hover | null {
  const name = nameAt(analysis, offset);
  const markdown = (value: string, r: Span): Hover => ({ contents: { kind: MarkupKind.Markdown, value }, range: toRange(document, r) });
  if (name?.kind === 'probePoint') {
    const probes = index.probes.get(name.text);
    return probes ? markdown(libraryProbeDoc(probes), name.point) : null;
  }
  const builtin = (doc: BuiltinDoc | undefined, r: Span) => (doc ? markdown(`${['```systemtap', doc.signature, '```'].join('\n')}\n\n${doc.doc}`, r) : null);
  if (name?.kind === 'macro') return builtin(AT_OPERATOR_DOCS.get(`@${name.word.text}`), { start: name.word.start - 1, end: name.word.end });
  // Variables (where declared or used) and script functions: the types stap's pass 2 would infer.
  if (name?.kind === 'call') {
    const local = analysis.script.items.find((i): i is FunctionDecl => i.kind === 'function' && i.name.text === name.word.text);
    if (local) return markdown([scriptFunctionDoc(local), inferredTypeDoc(analysis, document, name.word.start)?.doc].filter(Boolean).join('\n\n'), name.word);
    // A library or print function's doc needs no types: the checks are not run for it (a hover right after start-up).
    const library = index.functions.get(name.word.text);
    return library ? markdown(libraryFunctionDoc(library), name.word) : builtin(PRINT_FUNCTIONS.get(name.word.text), name.word);
  }
  const word = name?.kind === 'variable' ? name.word : wordAt(analysis.text, offset);
  const inferred = word && inferredTypeDoc(analysis, document, word.start);
  return word && inferred?.kind === 'variable' ? markdown(inferred.doc, word) : null;
}
