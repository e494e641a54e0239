// References, highlights and rename for the script's own functions and
// globals, within the file (stap has no multi-file scripts apart from tapsets).

import { DocumentHighlight, DocumentHighlightKind, Location, Range, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { Expr } from '../syntax/ast';
import { OffsetRange } from '../syntax/diagnostic';
import { KEYWORDS } from '../syntax/lexer';
import { walkCode } from '../syntax/walk';
import { nameAt } from './nameAt';
import { toLocation, toRange } from './lspRanges';

interface Occurrences {
  name: string;
  declarations: OffsetRange[];
  uses: OffsetRange[];
}

/** Every place the function or global under the cursor is declared or used in this file. */
function occurrencesAt(analysis: Analysis, offset: number): Occurrences | undefined {
  const items = analysis.script.items;
  // On a declaration itself.
  for (const item of items) {
    if (item.kind === 'function' && offset >= item.name.start && offset <= item.name.end) return collect(analysis, item.name.text, 'call');
    if (item.kind === 'global') {
      const v = item.vars.find((g) => offset >= g.start && offset <= g.start + g.text.length);
      if (v) return collect(analysis, v.text, 'identifier');
    }
  }
  const name = nameAt(analysis, offset);
  if (name?.kind === 'call') return collect(analysis, name.word.text, 'call');
  if (name?.kind === 'variable') return collect(analysis, name.word.text, 'identifier');
  return undefined;
}

function collect(analysis: Analysis, name: string, kind: 'call' | 'identifier'): Occurrences | undefined {
  const text = analysis.text;
  const written = (start: number) => text.startsWith(name, start) && !/\w/.test(text[start + name.length] ?? '');
  const declarations: OffsetRange[] = [];
  for (const item of analysis.script.items) {
    if (kind === 'call' && item.kind === 'function' && item.name.text === name && written(item.name.start)) declarations.push(item.name);
    if (kind === 'identifier' && item.kind === 'global') {
      for (const v of item.vars) if (v.text === name && written(v.start)) declarations.push({ start: v.start, end: v.start + name.length });
    }
  }
  // Locals share names freely; only a declared global or function has references worth listing.
  if (declarations.length === 0) return undefined;
  const uses: OffsetRange[] = [];
  walkCode(analysis.script, (node) => {
    if (node.kind === kind && (node as Expr).text === name && written(node.start)) uses.push({ start: node.start, end: node.start + name.length });
  });
  return { name, declarations, uses };
}

export function references(analysis: Analysis, document: TextDocument, offset: number, includeDeclaration: boolean): Location[] {
  const found = occurrencesAt(analysis, offset);
  if (!found) return [];
  return [...(includeDeclaration ? found.declarations : []), ...found.uses].sort((a, b) => a.start - b.start).map((r) => toLocation(document, r));
}

export function highlights(analysis: Analysis, document: TextDocument, offset: number): DocumentHighlight[] {
  const found = occurrencesAt(analysis, offset);
  if (!found) return [];
  return [
    ...found.declarations.map((r) => ({ range: toRange(document, r), kind: DocumentHighlightKind.Write })),
    ...found.uses.map((r) => ({ range: toRange(document, r), kind: DocumentHighlightKind.Read })),
  ];
}

/** The range to rename, or null where renaming is not ours to do (library names, locals, keywords). */
export function prepareRename(analysis: Analysis, document: TextDocument, offset: number): Range | null {
  const found = occurrencesAt(analysis, offset);
  const here = found && [...found.declarations, ...found.uses].find((r) => offset >= r.start && offset <= r.end);
  return here ? toRange(document, here) : null;
}

/** Why a new name cannot be used, if it cannot. */
export function invalidName(newName: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(newName)) return `'${newName}' is not a SystemTap identifier`;
  if (KEYWORDS.has(newName)) return `'${newName}' is a keyword`;
  return undefined;
}

export function rename(analysis: Analysis, document: TextDocument, offset: number, newName: string): WorkspaceEdit | null {
  if (invalidName(newName)) return null;
  const found = occurrencesAt(analysis, offset);
  if (!found) return null;
  const edits = [...found.declarations, ...found.uses].map((r) => TextEdit.replace(toRange(document, r), newName));
  return { changes: { [document.uri]: edits } };
}
