// Go to Definition: a function call to its declaration, a global variable to
// its `global` line, an `@macro` use to its `@define` (in this file, or in the
// tapset library's .stpm files).

import { Location } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { Analysis } from '../analysis/analyze';
import { Expr, Statement } from '../syntax/ast';
import { OffsetRange } from '../syntax/diagnostic';
import { MacroDefinition } from '../syntax/preprocessor';

export function definition(
  analysis: Analysis,
  document: TextDocument,
  offset: number,
  libraryMacros: ReadonlyMap<string, MacroDefinition>,
  /** Reads a library file, for positions in it. */
  readFile: (file: string) => string | undefined,
): Location[] {
  const here = (r: OffsetRange): Location => ({ uri: document.uri, range: { start: document.positionAt(r.start), end: document.positionAt(r.end) } });
  const word = wordAt(analysis.text, offset);
  if (!word || insideComment(analysis, offset)) return [];

  if (word.macro) {
    const local = analysis.script.macros.find((m) => !m.file && m.name === word.text && m.start <= offset);
    const macro = local ?? analysis.script.macros.find((m) => !m.file && m.name === word.text) ?? libraryMacros.get(word.text);
    if (!macro) return [];
    if (!macro.file) return [here({ start: macro.nameStart, end: macro.nameEnd })];
    const text = readFile(macro.file);
    if (text === undefined) return [];
    const library = TextDocument.create(URI.file(macro.file).toString(), 'systemtap', 0, text);
    return [{ uri: library.uri, range: { start: library.positionAt(macro.nameStart), end: library.positionAt(macro.nameEnd) } }];
  }

  const node = nameNodeAt(analysis, offset, word);
  if (!node) return [];
  const items = analysis.script.items;
  if (node.kind === 'call') {
    return items.filter((i) => i.kind === 'function' && i.name.text === word.text).map((f) => here((f as { name: OffsetRange }).name));
  }
  for (const item of items) {
    if (item.kind !== 'global') continue;
    const v = item.vars.find((g) => g.text === word.text);
    if (v) return [here(v)];
  }
  return [];
}

interface Word extends OffsetRange {
  text: string;
  /** Written `@text`. */
  macro: boolean;
}

function wordAt(text: string, offset: number): Word | undefined {
  const isWord = (c: string | undefined) => !!c && /[A-Za-z0-9_]/.test(c);
  let start = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && isWord(text[end])) end++;
  if (start === end || /[0-9]/.test(text[start])) return undefined;
  return { start, end, text: text.slice(start, end), macro: text[start - 1] === '@' };
}

function insideComment(analysis: Analysis, offset: number): boolean {
  return analysis.script.comments.some((c) => offset >= c.start && offset < c.end);
}

/** The call or variable node written at this word in the script (not in C, not in a string). */
function nameNodeAt(analysis: Analysis, offset: number, word: Word): Expr | undefined {
  let found: Expr | undefined;
  const visit = (node: Statement | Expr) => {
    if (found || offset < node.start || offset > node.end) return;
    if ((node.kind === 'call' || node.kind === 'identifier') && node.start === word.start && (node as Expr).text === word.text) {
      found = node as Expr;
      return;
    }
    for (const c of node.children) visit(c);
  };
  for (const item of analysis.script.items) {
    if (item.kind === 'probe') [item.body, item.epilogue].forEach((b) => b && visit(b));
    if (item.kind === 'function' && item.body?.kind === 'block') visit(item.body);
    if (item.kind === 'global') for (const v of item.vars) if (v.init) visit(v.init);
  }
  return found;
}
