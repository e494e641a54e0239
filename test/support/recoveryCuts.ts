// Half-typed declarations made from real scripts, to measure how well the
// parser recovers. Each cut ends one declaration at a point inside it (mid
// probe point, mid call, unclosed brace or string ...), as if it were being
// typed, and keeps the declarations after it. Those must keep their outline
// entries and their hovers as they have them in the whole script. `npm run
// bench` prints the figure over the installed examples; a unit test holds it
// on a sample.

import { DocumentSymbol } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, Analysis } from '../../server/src/analysis/analyze';
import { EMPTY_INDEX, TapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { hover } from '../../server/src/features/hover';
import { documentSymbols } from '../../server/src/features/symbols';
import { Expr, Script, Statement, TopLevel } from '../../server/src/syntax/ast';
import { MacroDefinition } from '../../server/src/syntax/preprocessor';
import { walkCode } from '../../server/src/syntax/walk';

/** Where a declaration is cut, with what it then reads as. */
export const CUT_KINDS = {
  'probe point after .': 'probe syscall.',
  'probe point in string': 'probe kernel.function("',
  'probe point after (': 'probe timer.s(',
  'keyword only': 'probe',
  'call after (': 'println(execname(',
  'expression after operator': 'x = a +',
  'unclosed brace': 'probe begin { x = 1',
  'unclosed string': 's = "ab',
  'unclosed paren': 'if (x > 1',
  'unclosed embedded C': '%{ int x',
  'function parameters': 'function f(',
  'global initializer': 'global x =',
  '@define body': '@define m %( x',
} as const;
export type CutKind = keyof typeof CUT_KINDS;

export interface Cut {
  kind: CutKind;
  /** The declaration ends here... */
  at: number;
  /** ...and the script goes on at this line. */
  restStart: number;
  /** The script with the cut: text up to `at`, a line break, text from `restStart`. */
  text: string;
  /** A function being cut: calls to it may well hover differently. */
  functionName?: string;
  /** A macro being cut: what uses it changes with it. */
  macroName?: string;
}

/** A declaration that may come after a cut: its outline entries and the hovers in it. */
interface Unit {
  start: number;
  end: number;
  /** The function it declares. */
  functionName?: string;
  label: string;
  symbols: SymbolAt[];
  hovers: { offset: number; name: string; contents: string }[];
}

interface SymbolAt {
  name: string;
  kind: number;
  detail?: string;
  start: number;
  end: number;
}

export interface CutResult {
  cut: Cut;
  /** Declarations after the cut, but those not counted (see `dependent` and `asC`). */
  total: number;
  /**
   * Declarations after the cut not counted: those that use the macro being
   * cut (they change with it), and those a cut `%{` takes in up to a later
   * `%}` (stap too reads them as C: they are gone until the `%}` is typed).
   */
  dependent: number;
  asC: number;
  kept: number;
  /** What was lost, one line each. */
  lost: string[];
}

export interface Measured {
  text: string;
  analysis: Analysis;
  units: Unit[];
}

export type Analyzer = (text: string) => Analysis;

export function analyzer(libraryMacros?: ReadonlyMap<string, MacroDefinition>): Analyzer {
  return (text) => analyze(text, { syntaxOnly: true, guru: true, libraryMacros });
}

const documentOf = (text: string) => TextDocument.create('file:///cut.stp', 'systemtap', 1, text);

function symbolsAt(analysis: Analysis, document: TextDocument): SymbolAt[] {
  return documentSymbols(analysis, document).map((s: DocumentSymbol) => ({
    name: s.name,
    kind: s.kind,
    detail: s.detail,
    start: document.offsetAt(s.range.start),
    end: document.offsetAt(s.range.end),
  }));
}

const hoverText = (analysis: Analysis, document: TextDocument, offset: number, index: TapsetIndex): string | undefined => {
  const h = hover(analysis, document, offset, index);
  return h ? JSON.stringify(h.contents) : undefined;
};

/** The declarations of a whole script, with the outline entries and hovers they have. */
export function measure(text: string, analyzeText: Analyzer, index: TapsetIndex = EMPTY_INDEX): Measured {
  const analysis = analyzeText(text);
  const document = documentOf(text);
  const symbols = symbolsAt(analysis, document);
  const units: Unit[] = [];
  const inside = (start: number, end: number) => symbols.filter((s) => s.start >= start && s.start < end);
  for (const item of analysis.script.items) {
    if (item.kind === 'embedded') continue;
    const hovers: Unit['hovers'] = [];
    const offsets: { offset: number; name: string }[] = [];
    if (item.kind === 'probe') for (const p of item.points) offsets.push({ offset: p.start, name: '' });
    walkItem(analysis.script, item, (node) => {
      if (node.kind === 'call' && writtenAt(text, node.start, (node as Expr).text)) offsets.push({ offset: node.start, name: (node as Expr).text });
    });
    for (const o of offsets) {
      const contents = hoverText(analysis, document, o.offset, index);
      if (contents) hovers.push({ ...o, contents });
    }
    const own = inside(item.start, item.end);
    if (own.length === 0 && hovers.length === 0) continue;
    units.push({ start: item.start, end: item.end, functionName: item.kind === 'function' ? item.name.text : undefined, label: own[0]?.name ?? item.kind, symbols: own, hovers });
  }
  for (const m of analysis.script.macros) {
    if (m.file) continue;
    units.push({ start: m.start, end: m.end, label: `@${m.name}`, symbols: inside(m.start, m.end), hovers: [] });
  }
  units.sort((a, b) => a.start - b.start);
  return { text, analysis, units };
}

const writtenAt = (text: string, offset: number, word: string) => text.startsWith(word, offset);

function walkItem(script: Script, item: TopLevel, visit: (node: Statement | Expr) => void): void {
  walkCode({ ...script, items: [item] }, (node) => {
    visit(node);
  });
}

/** The first node of an item (in text order) that `pick` takes, and what it gives. */
function first<T>(script: Script, item: TopLevel, pick: (node: Statement | Expr) => T | undefined): T | undefined {
  let found: T | undefined;
  walkItem(script, item, (node) => {
    if (found === undefined) found = pick(node);
  });
  return found;
}

/** Offset just after `what` when it comes next in the text after `from`, past blanks only. */
function after(text: string, from: number, what: string): number | undefined {
  let i = from;
  while (i < text.length && /\s/.test(text[i])) i++;
  return text.startsWith(what, i) ? i + what.length : undefined;
}

/**
 * Cuts of every kind, in the declarations of a script that other declarations
 * follow: at most `perKind` of each kind, spread over the script.
 */
export function cutsOf(measured: Measured, perKind = 4): Cut[] {
  const { text, analysis, units } = measured;
  const script = analysis.script;
  const lineAfter = (offset: number) => {
    const newline = text.indexOf('\n', offset);
    return newline < 0 ? text.length : newline + 1;
  };
  const followed = (restStart: number) => units.some((u) => u.start >= restStart);
  const candidates = new Map<CutKind, Cut[]>();
  const add = (kind: CutKind, at: number | undefined, end: number, names: Pick<Cut, 'functionName' | 'macroName'> = {}) => {
    if (at === undefined) return;
    const restStart = lineAfter(end);
    if (!followed(restStart) || at >= restStart) return;
    const list = candidates.get(kind) ?? [];
    list.push({ kind, at, restStart, text: text.slice(0, at) + '\n' + text.slice(restStart), ...names });
    candidates.set(kind, list);
  };

  for (const item of script.items) {
    // Declarations a macro wrote are not where their range says.
    const keyword = /^(?:private\s+)?(probe|function|global)\b/.exec(text.slice(item.start, item.start + 40));
    if (item.kind === 'embedded') {
      if (!item.expanded && text.startsWith('%{', item.start)) add('unclosed embedded C', item.codeStart + Math.floor(item.code.length / 2), item.end);
      continue;
    }
    if (!keyword || keyword[1] !== item.kind) continue;
    const functionName = item.kind === 'function' ? item.name.text : undefined;
    const cut = (kind: CutKind, at: number | undefined) => add(kind, at, item.end, { functionName });
    cut('keyword only', item.start + keyword[0].length);
    if (item.kind === 'probe') {
      const components = item.points[0].components;
      if (components.length >= 2) cut('probe point after .', after(text, components[0].end, '.'));
      const withArg = item.points.flatMap((p) => p.components).filter((c) => c.arg && text.startsWith(c.name, c.start));
      const withString = withArg.find((c) => c.arg!.kind === 'string' && text[c.arg!.start] === '"');
      if (withString) cut('probe point in string', withString.arg!.start + 1);
      if (withArg.length) cut('probe point after (', after(text, withArg[0].start + withArg[0].name.length, '('));
    }
    if (item.kind === 'function') {
      cut('function parameters', after(text, item.name.end, '(') ?? (item.returnType ? after(text, item.returnType.end, '(') : undefined));
      if (item.body?.kind === 'embedded' && !item.body.expanded) cut('unclosed embedded C', item.body.codeStart + Math.floor(item.body.code.length / 2));
    }
    if (item.kind === 'global') {
      const v = item.vars.find((x) => x.init);
      if (v) cut('global initializer', after(text, v.start + v.text.length, '='));
    }
    const body = item.kind === 'probe' ? item.body : item.kind === 'function' && item.body?.kind === 'block' ? item.body : undefined;
    if (body && text[body.start] === '{') cut('unclosed brace', body.children.length ? body.children[0].end : body.start + 1);
    cut(
      'call after (',
      first(script, item, (n) => (n.kind === 'call' && writtenAt(text, n.start, (n as Expr).text) ? after(text, n.start + (n as Expr).text.length, '(') : undefined)),
    );
    cut(
      'expression after operator',
      first(script, item, (n) => {
        if ((n.kind !== 'binary' && n.kind !== 'assign') || n.children.length !== 2) return undefined;
        const [left, right] = n.children;
        const op = text.indexOf((n as Expr).text, left.end);
        return op >= 0 && op + (n as Expr).text.length <= right.start ? op + (n as Expr).text.length : undefined;
      }),
    );
    cut(
      'unclosed string',
      first(script, item, (n) => (n.kind === 'string' && text[n.start] === '"' && text[n.end - 1] === '"' ? n.start + 1 + Math.floor((n.end - n.start - 2) / 2) : undefined)),
    );
    cut(
      'unclosed paren',
      first(script, item, (n) => ((n.kind === 'if' || n.kind === 'while') && text.startsWith(n.kind, n.start) && after(text, n.children[0].end, ')') ? n.children[0].end : undefined)),
    );
  }
  for (const m of script.macros) {
    if (m.file) continue;
    const open = text.indexOf('%(', m.nameEnd);
    if (open >= 0 && open < m.end) add('@define body', open + 2 + Math.floor((m.end - 2 - (open + 2)) / 2), m.end, { macroName: m.name });
  }

  const cuts: Cut[] = [];
  for (const list of candidates.values()) {
    if (list.length <= perKind) cuts.push(...list);
    else for (let i = 0; i < perKind; i++) cuts.push(list[Math.floor((i * (list.length - 1)) / (perKind - 1))]);
  }
  return cuts;
}

/** What the declarations after a cut keep of their outline entries and hovers. */
export function measureCut(whole: Measured, cut: Cut, analyzeText: Analyzer, index: TapsetIndex = EMPTY_INDEX): CutResult {
  const analysis = analyzeText(cut.text);
  const document = documentOf(cut.text);
  const symbols = symbolsAt(analysis, document);
  const shift = cut.at + 1 - cut.restStart;
  const uses = cut.macroName ? new RegExp(`@${cut.macroName}(?![A-Za-z0-9_])`) : undefined;
  const following = whole.units.filter((u) => u.start >= cut.restStart);
  const independent = following.filter((u) => !uses?.test(whole.text.slice(u.start, u.end)));
  const closed = cut.kind === 'unclosed embedded C' ? cut.text.indexOf('%}', cut.at) : -1;
  const after = closed < 0 ? independent : independent.filter((u) => u.start + shift > closed);
  // Calls to a function the cut takes away hover differently, rightly.
  const gone = new Set([cut.functionName, ...independent.filter((u) => !after.includes(u)).map((u) => u.functionName)]);
  const lost: string[] = [];
  let kept = 0;
  for (const unit of after) {
    const missing = unit.symbols.filter((s) => !symbols.some((t) => t.name === s.name && t.kind === s.kind && t.detail === s.detail && t.start === s.start + shift && t.end === s.end + shift));
    const changed = unit.hovers.filter((h) => !gone.has(h.name) && hoverText(analysis, document, h.offset + shift, index) !== h.contents);
    if (missing.length === 0 && changed.length === 0) kept++;
    else
      lost.push(
        `${unit.label}: ${missing.length ? 'outline' : ''}${missing.length && changed.length ? ' and ' : ''}${changed.length ? `hover on ${changed.map((h) => h.name || 'probe point').join(', ')}` : ''}`,
      );
  }
  return { cut, total: after.length, dependent: following.length - independent.length, asC: independent.length - after.length, kept, lost };
}

/** 1-based line of an offset, for reports. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

export interface RecoveryFigures {
  files: number;
  cuts: number;
  byKind: Map<CutKind, { cuts: number; total: number; kept: number }>;
  total: number;
  kept: number;
  /** Declarations not counted (see CutResult). */
  dependent: number;
  asC: number;
  /** `FILE:LINE [kind] what was lost`, for every cut that lost something. */
  losses: string[];
}

/** Every cut of every script, measured. */
export function measureRecovery(files: { name: string; text: string }[], analyzeText: Analyzer, index: TapsetIndex = EMPTY_INDEX, perKind = 4): RecoveryFigures {
  const figures: RecoveryFigures = { files: files.length, cuts: 0, byKind: new Map(), total: 0, kept: 0, dependent: 0, asC: 0, losses: [] };
  for (const kind of Object.keys(CUT_KINDS) as CutKind[]) figures.byKind.set(kind, { cuts: 0, total: 0, kept: 0 });
  for (const file of files) {
    const whole = measure(file.text, analyzeText, index);
    for (const cut of cutsOf(whole, perKind)) {
      const r = measureCut(whole, cut, analyzeText, index);
      const k = figures.byKind.get(cut.kind)!;
      k.cuts++;
      k.total += r.total;
      k.kept += r.kept;
      figures.cuts++;
      figures.total += r.total;
      figures.kept += r.kept;
      figures.dependent += r.dependent;
      figures.asC += r.asC;
      if (r.lost.length) figures.losses.push(`${file.name}:${lineOf(file.text, cut.at)} [${cut.kind}] lost ${r.lost.length}: ${r.lost.slice(0, 3).join('; ')}${r.lost.length > 3 ? '; ...' : ''}`);
    }
  }
  return figures;
}
