// Inlay hints with the types stap's pass 2 infers: after the first place a
// global or local is named (`count: long`), after an untyped parameter, and
// after a function's parameter list for its return type. Nothing where the
// script wrote the type, nor where the type is not known (yet): a hint must
// never guess.

import { InlayHint, InlayHintKind, MarkupKind, Position, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { Analysis } from '../analysis/analyze';
import { FunctionSymbol, Slot, VariableSymbol } from '../analysis/semantic/types';
import { FunctionDecl } from '../syntax/ast';

/** The setting that turns the hints on, and its default (package.json's). */
export const INLAY_HINT_SETTING = 'inlayHints.inferredTypes';
export const DEFAULT_INLAY_HINT_SETTINGS = { [INLAY_HINT_SETTING]: false };

/** `systemtap.inlayHints` as the client sends it: on only when it says so. */
export function inferredTypeHintsOn(section: unknown): boolean {
  return typeof section === 'object' && section !== null && (section as Record<string, unknown>).inferredTypes === true;
}

/** A variable's type as a hint writes it; undefined when any part is unknown. */
function typeText(v: VariableSymbol): string | undefined {
  if (!v.value.type) return undefined;
  if (!v.arity) return v.value.type;
  const keys = Array.from({ length: v.arity }, (_, i) => v.indexes[i]?.type);
  if (keys.some((k) => !k)) return undefined;
  return `${v.value.type}[${keys.join(', ')}]`;
}

/** The hints of each analysis, computed once: scrolling asks again for each screen of the same version. */
const computed = new WeakMap<Analysis, InlayHint[]>();

export function inlayHints(analysis: Analysis, document: TextDocument, range?: Range): InlayHint[] {
  let all = computed.get(analysis);
  if (!all) computed.set(analysis, (all = allHints(analysis, document)));
  if (!range) return all;
  const before = (a: Position, b: Position) => a.line < b.line || (a.line === b.line && a.character < b.character);
  return all.filter((h) => !before(h.position, range.start) && !before(range.end, h.position));
}

function allHints(analysis: Analysis, document: TextDocument): InlayHint[] {
  const semantics = analysis.semantics;
  if (!semantics) return [];
  const text = analysis.text;
  const hints: InlayHint[] = [];
  const line = (offset: number) => document.positionAt(offset).line + 1;
  const tooltip = (what: string, slot: Slot) => ({
    kind: MarkupKind.Markdown,
    value: slot.site ? `${what}: type inferred on line ${line(slot.site.start)}` : `${what}: inferred type`,
  });
  const add = (offset: number, label: string, what: string, slot: Slot) => {
    hints.push({ position: document.positionAt(offset), label: `: ${label}`, kind: InlayHintKind.Type, paddingLeft: false, paddingRight: false, tooltip: tooltip(what, slot) });
  };
  // Only where the name is written here: a macro's expansion carries the range of the macro use.
  const writtenAt = (start: number, name: string) => text.startsWith(name, start) && !/[\w$]/.test(text[start + name.length] ?? '');

  const seen = new Set<VariableSymbol>();
  const functions = new Set<FunctionSymbol>();
  for (const symbol of semantics.references.values()) {
    if ('returns' in symbol) {
      functions.add(symbol);
      continue;
    }
    // Parameters are hinted with their function's declaration below.
    if (symbol.kind === 'param' || seen.has(symbol)) continue;
    seen.add(symbol);
    const type = typeText(symbol);
    if (!type || !writtenAt(symbol.declared.start, symbol.name)) continue;
    add(globalHintOffset(analysis, symbol) ?? symbol.declared.start + symbol.name.length, type, `${symbol.kind} ${symbol.name}`, symbol.value);
  }

  for (const fn of semantics.functions) functions.add(fn);
  const declarations = new Map<number, FunctionDecl>();
  for (const item of analysis.script.items) if (item.kind === 'function') declarations.set(item.name.start, item);
  for (const fn of functions) {
    if (fn.library || !fn.declared) continue;
    const decl = declarations.get(fn.declared.start);
    if (!decl || !writtenAt(decl.name.start, decl.name.text)) continue;
    decl.params.forEach((p, i) => {
      const param = fn.params[i];
      if (p.type || !param?.value.type || !writtenAt(p.start, p.text)) return;
      add(p.start + p.text.length, param.value.type, `parameter ${p.text}`, param.value);
    });
    // The `)` must be there: a half-typed header has no place for the hint.
    if (!decl.returnType && fn.returns.type && text[decl.paramsEnd] === ')') add(decl.paramsEnd + 1, fn.returns.type, `function ${fn.name}`, fn.returns);
  }
  return hints.sort((a, b) => a.position.line - b.position.line || a.position.character - b.position.character);
}

/** A global array declared with a size (`global a[100]`): the hint goes after the size. */
function globalHintOffset(analysis: Analysis, v: VariableSymbol): number | undefined {
  if (v.kind !== 'global') return undefined;
  for (const item of analysis.script.items) {
    if (item.kind !== 'global' || item.start > v.declared.start || item.end < v.declared.start) continue;
    const declared = item.vars.find((g) => g.start === v.declared.start);
    if (!declared?.isArray && !declared?.arraySize) return undefined;
    const close = analysis.text.indexOf(']', declared.start);
    return close >= 0 && close < item.end ? close + 1 : undefined;
  }
  return undefined;
}
