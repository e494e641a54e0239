// Parsing again after an edit: only the declarations the edit touches are
// parsed, the others are kept (those after the edit moved by its length).
// The result is the tree a whole parse would give; wherever that is not
// certain (errors, %( %) conditionals, @define, a boundary that is not a line
// break) the whole text is parsed instead.

import { EmbeddedCode, Expr, GlobalVar, Name, ProbePoint, Script, Statement, TopLevel } from './ast';
import { BodyFacts, moveBodyFacts, unmoved } from './bodyFacts';
import { Comment } from './lexer';
import { parse, ParseOptions } from './parser';

/** A parse kept for the next edit: the text, the options it was parsed with and its tree. */
export interface ParsedText {
  text: string;
  options: ParseOptions;
  script: Script;
  /**
   * The caller gives this parse up for the new one, and reads nothing of it
   * afterwards: the declarations after the edit are then moved where they
   * are, not copied. Typing in a large script otherwise copies half of it at
   * every keystroke, and the copies are most of what the collector has to do.
   */
  disposable?: boolean;
}

/**
 * The tree of `text`, reusing `previous` where the edit between them leaves
 * declarations untouched. Always equal to `parse(text, options)`.
 */
export function reparse(previous: ParsedText | undefined, text: string, options: ParseOptions): Script {
  return (previous && incrementalParse(previous, text, options)) ?? parse(text, options);
}

/** The tree of `text` from `previous`, or undefined where only a whole parse can say (exported for its tests). */
export function incrementalParse(previous: ParsedText, text: string, options: ParseOptions): Script | undefined {
  const old = previous.script;
  if (!sameOptions(previous.options, options) || !reusable(old) || old.items.length === 0) return undefined;
  const before = previous.text;
  const prefix = commonPrefix(before, text);
  const suffix = commonSuffix(before, text, prefix);
  // A conditional may span declarations, and one whose condition holds leaves no inactive range to tell of it.
  if (hasConditional(before) || conditionalTyped(text, prefix, suffix)) return undefined;
  const changeEnd = before.length - suffix; // in the old text
  const delta = text.length - before.length;
  if (prefix === before.length && delta === 0) return old;

  const items = old.items;
  // The region parsed again runs from the start of the last declaration that
  // starts before the edit (one more before it, whose end the parser may
  // have decided by looking at the next token) ...
  let first = lastStartingBefore(items, prefix);
  if (first > 0) first--;
  while (first > 0 && items[first].kind === 'embedded') first--; // a one-token declaration is no lookahead buffer
  const regionStart = first < 0 ? 0 : items[first].start;
  // ... to the start of the first declaration after it, which must begin a line.
  let after = first < 0 ? 0 : first;
  while (after < items.length && items[after].start <= changeEnd) after++;
  const regionEnd = after < items.length ? items[after].start + delta : text.length;
  if (after < items.length && text.charCodeAt(regionEnd - 1) !== 10 /* \n */) return undefined;
  if (regionEnd < regionStart) return undefined;

  const region = parse(text.slice(regionStart, regionEnd), options);
  // A region of comments and spaces only (a declaration deleted) is empty, and fine; an error, a conditional or a macro is not.
  if (region.errors.length > 0 || region.macros.length > 0 || region.inactive.length > 0 || region.empty === 'preprocessed') return undefined;
  // Read before the declarations after the edit are moved (in place, when the tree is given up).
  const oldRegionEnd = after < items.length ? items[after].start : before.length;
  const kept = items.slice(0, Math.max(first, 0));
  const moved = items.slice(after);
  let newItems: TopLevel[];
  try {
    // The region's declarations are new: nothing else has them.
    const move = previous.disposable ? movedInPlace : shifted;
    newItems = [...kept, ...region.items.map((i) => movedInPlace(i, regionStart)), ...(delta === 0 ? moved : moved.map((i) => move(i, delta)))];
  } catch (e) {
    // Nested deeper than the stack: the whole parse copes with that (a tree
    // left half moved is one its owner gave up).
    if (e instanceof RangeError) return undefined;
    throw e;
  }
  if (newItems.length === 0) return undefined; // an empty script has findings of its own: the whole parse gives them
  // `$N`/`@N`: the highest over the three parts. Pasted-in arguments leave no `$N` in the tree to count.
  let scriptArgs = region.scriptArgs;
  if (options.scriptArgs) {
    if (region.scriptArgs < old.scriptArgs) return undefined;
  } else if (region.scriptArgs < old.scriptArgs) {
    // The old highest may have been in what the edit replaced: look again. (Otherwise none kept can be higher than the region's.)
    for (const item of kept) scriptArgs = Math.max(scriptArgs, highestScriptArg(item));
    for (const item of moved) scriptArgs = Math.max(scriptArgs, highestScriptArg(item));
  }

  const comments: Comment[] = [];
  for (const c of old.comments) if (c.end <= regionStart) comments.push(c);
  for (const c of region.comments) comments.push({ text: c.text, start: c.start + regionStart, end: c.end + regionStart });
  for (const c of old.comments) {
    if (c.start < oldRegionEnd) continue;
    if (delta !== 0 && previous.disposable) {
      c.start += delta;
      c.end += delta;
    }
    comments.push(delta === 0 || previous.disposable ? c : { text: c.text, start: c.start + delta, end: c.end + delta });
  }

  return {
    kind: 'script',
    start: 0,
    end: text.length,
    items: newItems,
    comments,
    scriptArgs,
    macros: [],
    inactive: [],
    errors: [],
    empty: undefined,
  };
}

/** `%(`, `%?`, `%:`, `%)` anywhere, comments and strings included: a file with any is parsed whole. */
const CONDITIONAL = /%[(?:)]/;

/** The last text asked about, and its answer: each text is asked about as the new text, then as the old one at the next edit. */
let lastAsked: { text: string; conditional: boolean } | undefined;

function hasConditional(text: string): boolean {
  if (lastAsked?.text !== text) lastAsked = { text, conditional: CONDITIONAL.test(text) };
  return lastAsked.conditional;
}

/** Whether the edit made a conditional, in a text whose version before the edit had none: one would stand where the text changed. */
function conditionalTyped(text: string, prefix: number, suffix: number): boolean {
  const conditional = CONDITIONAL.test(text.slice(Math.max(0, prefix - 1), text.length - suffix + 1));
  lastAsked = { text, conditional };
  return conditional;
}

/** A tree whose declarations stand alone: no errors, no conditionals or macros of its own, not empty. */
function reusable(script: Script): boolean {
  return script.errors.length === 0 && script.macros.length === 0 && script.inactive.length === 0 && !script.empty;
}

function sameOptions(a: ParseOptions, b: ParseOptions): boolean {
  return (
    a.libraryMacros === b.libraryMacros &&
    a.reportUnknownOperators === b.reportUnknownOperators &&
    a.maxNesting === b.maxNesting &&
    a.scriptArgsSource === b.scriptArgsSource &&
    sameList(a.scriptArgs, b.scriptArgs) &&
    (a.target === b.target || JSON.stringify(a.target) === JSON.stringify(b.target))
  );
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((x, i) => x === b[i]);
}

/** Compared a block at a time first: comparing substrings is far faster than a character at a time, and each is a small allocation. */
const BLOCK = 2048;

/** The highest `$N`/`@N` in a declaration: computed once for it, and handed on to its moved copies. */
const highestArgOf = new BodyFacts<number>(unmoved);

/** 3 for `$3` or `@3`, else 0. */
function argumentNumber(text: string): number {
  const m = /^[$@](\d+)$/.exec(text);
  return m ? Number(m[1]) : 0;
}

function highestScriptArg(item: TopLevel): number {
  let highest = highestArgOf.get(item);
  if (highest !== undefined) return highest;
  highest = 0;
  const roots: (Statement | Expr | undefined)[] = [];
  if (item.kind === 'probe') {
    for (const p of [...item.points, ...(item.alias?.points ?? [])]) {
      for (const c of p.components) {
        roots.push(c.arg);
        highest = Math.max(highest, argumentNumber(c.name)); // `probe $1.call`
      }
      roots.push(p.condition);
    }
    roots.push(item.body, item.epilogue);
  } else if (item.kind === 'function') {
    roots.push(item.priority);
    if (item.body?.kind === 'block') roots.push(item.body);
  } else if (item.kind === 'global') {
    for (const v of item.vars) roots.push(v.arraySize, v.init);
  }
  const stack = roots.filter((r): r is Statement | Expr => !!r);
  while (stack.length) {
    const n = stack.pop()!;
    if (n.kind === 'scriptArg') highest = Math.max(highest, argumentNumber((n as Expr).text));
    for (let i = 0; i < n.children.length; i++) stack.push(n.children[i]);
  }
  highestArgOf.set(item, highest);
  return highest;
}

function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i + BLOCK <= n && a.slice(i, i + BLOCK) === b.slice(i, i + BLOCK)) i += BLOCK;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

/** The length of the common end of `a` and `b`, not reaching into their first `prefix` characters. */
function commonSuffix(a: string, b: string, prefix: number): number {
  const n = Math.min(a.length, b.length) - prefix;
  let i = 0;
  while (i + BLOCK <= n && a.slice(a.length - i - BLOCK, a.length - i) === b.slice(b.length - i - BLOCK, b.length - i)) i += BLOCK;
  while (i < n && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}

/** The index of the last declaration starting before `offset`, -1 when none does. */
function lastStartingBefore(items: readonly TopLevel[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start < offset) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

// Moving a declaration copies it node by node, each copy made by spreading
// the original: it keeps the original's shape (V8's hidden class), so code
// that reads the new tree runs as fast as on a freshly parsed one.

/** A copy of a declaration moved by `d` characters: every offset in it, nested nodes included. */
function shifted(item: TopLevel, d: number): TopLevel {
  const copy = shiftedCopy(item, d);
  moveBodyFacts(item, copy, d, []);
  return copy;
}

function shiftedCopy(item: TopLevel, d: number): TopLevel {
  switch (item.kind) {
    case 'embedded':
      return shiftedEmbedded(item, d);
    case 'global':
      return { kind: 'global', start: item.start + d, end: item.end + d, vars: item.vars.map((v) => shiftedGlobalVar(v, d)), isPrivate: item.isPrivate };
    case 'function':
      return {
        kind: 'function',
        start: item.start + d,
        end: item.end + d,
        name: shiftedName(item.name, d),
        returnType: item.returnType && shiftedName(item.returnType, d),
        params: item.params.map((p) => (p.type ? { ...p, start: p.start + d, end: p.end + d, type: shiftedName(p.type, d) } : shiftedName(p, d))),
        paramsEnd: item.paramsEnd + d,
        priority: item.priority && shiftedCode(item.priority, d),
        body: item.body && (item.body.kind === 'embedded' ? shiftedEmbedded(item.body, d) : shiftedBody(item.body, d)),
        isPrivate: item.isPrivate,
      };
    case 'probe':
      return {
        kind: 'probe',
        start: item.start + d,
        end: item.end + d,
        points: item.points.map((p) => shiftedPoint(p, d)),
        alias: item.alias && { op: item.alias.op, points: item.alias.points.map((p) => shiftedPoint(p, d)) },
        body: item.body && shiftedBody(item.body, d),
        epilogue: item.epilogue && shiftedBody(item.epilogue, d),
      };
  }
}

function shiftedName<T extends Name>(name: T, d: number): T {
  return { ...name, start: name.start + d, end: name.end + d };
}

function shiftedEmbedded(e: EmbeddedCode, d: number): EmbeddedCode {
  const copy: EmbeddedCode = { kind: 'embedded', start: e.start + d, end: e.end + d, codeStart: e.codeStart + d, codeEnd: e.codeEnd + d, code: e.code, expanded: e.expanded };
  moveBodyFacts(e, copy, d, []);
  return copy;
}

function shiftedGlobalVar(v: GlobalVar, d: number): GlobalVar {
  const copy = { ...v, start: v.start + d, end: v.end + d };
  if (v.arraySize) copy.arraySize = shiftedCode(v.arraySize, d);
  if (v.init) copy.init = shiftedCode(v.init, d);
  return copy;
}

function shiftedPoint(p: ProbePoint, d: number): ProbePoint {
  const copy: ProbePoint = {
    kind: 'probePoint',
    start: p.start + d,
    end: p.end + d,
    components: p.components.map((c) => (c.arg ? { ...c, start: c.start + d, end: c.end + d, arg: shiftedCode(c.arg, d) } : { ...c, start: c.start + d, end: c.end + d })),
    optional: p.optional,
    sufficient: p.sufficient,
    condition: p.condition && shiftedBody(p.condition, d),
  };
  moveBodyFacts(p, copy, d, []);
  return copy;
}

/** A body moved by `d`: what the checks learnt of the original is carried over to the copy (bodyFacts.ts). */
function shiftedBody<T extends Statement | Expr>(root: T, d: number): T {
  const nodes: (Statement | Expr)[] = [];
  const copy = shiftedCode(root, d, nodes);
  moveBodyFacts(root, copy, d, nodes);
  return copy;
}

/**
 * Statements and expressions, the bulk of a tree: built as the parser builds
 * them (the same properties in the same order), not spread, which V8 does
 * slowly for objects of this many shapes. `preorder`, when given, receives
 * the copies parents first, children in order.
 */
function shiftedCode<T extends Statement | Expr>(node: T, d: number, preorder?: (Statement | Expr)[]): T {
  const at = preorder ? preorder.push(node) - 1 : -1;
  const children = node.children;
  let moved = children;
  if (children.length) {
    moved = new Array(children.length);
    for (let i = 0; i < children.length; i++) moved[i] = shiftedCode(children[i], d, preorder);
  }
  let copy: T;
  if (!('text' in node)) copy = { kind: node.kind, start: node.start + d, end: node.end + d, children: moved } as T;
  else {
    const e = node as Expr;
    if (e.embedded) copy = { kind: e.kind, text: e.text, start: e.start + d, end: e.end + d, children: moved, embedded: shiftedEmbedded(e.embedded, d) } as T;
    else copy = { kind: e.kind, text: e.text, start: e.start + d, end: e.end + d, children: moved } as T;
  }
  if (preorder) preorder[at] = copy;
  return copy;
}

// Moving where they are: the same walk as the copies above, for a tree no one
// else holds (ParsedText.disposable) or one just parsed. Every node is
// reached once: a tree shares no node between two places (held by a test).

/** `item` itself, every offset in it moved by `d`, and what the checks learnt of it with them. */
function movedInPlace(item: TopLevel, d: number): TopLevel {
  if (item.kind === 'embedded') {
    moveEmbedded(item, d);
    return item;
  }
  moveRange(item, d);
  switch (item.kind) {
    case 'global':
      for (const v of item.vars) {
        moveRange(v, d);
        if (v.arraySize) moveCode(v.arraySize, d);
        if (v.init) moveCode(v.init, d);
      }
      break;
    case 'function':
      moveRange(item.name, d);
      if (item.returnType) moveRange(item.returnType, d);
      for (const p of item.params) {
        moveRange(p, d);
        if (p.type) moveRange(p.type, d);
      }
      item.paramsEnd += d;
      if (item.priority) moveCode(item.priority, d);
      if (item.body?.kind === 'embedded') moveEmbedded(item.body, d);
      else if (item.body) moveBody(item.body, d);
      break;
    case 'probe':
      for (const p of item.points) movePoint(p, d);
      for (const p of item.alias?.points ?? []) movePoint(p, d);
      if (item.body) moveBody(item.body, d);
      if (item.epilogue) moveBody(item.epilogue, d);
      break;
  }
  moveBodyFacts(item, item, d, undefined);
  return item;
}

function moveRange(range: { start: number; end: number }, d: number): void {
  range.start += d;
  range.end += d;
}

function moveEmbedded(e: EmbeddedCode, d: number): void {
  moveRange(e, d);
  e.codeStart += d;
  e.codeEnd += d;
  moveBodyFacts(e, e, d, undefined);
}

function movePoint(p: ProbePoint, d: number): void {
  moveRange(p, d);
  for (const c of p.components) {
    moveRange(c, d);
    if (c.arg) moveCode(c.arg, d);
  }
  if (p.condition) moveBody(p.condition, d);
  moveBodyFacts(p, p, d, undefined);
}

function moveBody(root: Statement | Expr, d: number): void {
  moveCode(root, d);
  moveBodyFacts(root, root, d, undefined);
}

function moveCode(node: Statement | Expr, d: number): void {
  node.start += d;
  node.end += d;
  const embedded = (node as Expr).embedded;
  if (embedded) moveEmbedded(embedded, d);
  const children = node.children;
  for (let i = 0; i < children.length; i++) moveCode(children[i], d);
}
