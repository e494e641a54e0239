// Where the cursor stands, for completion, hover and signature help: in the C
// of a `%{ %}` region, in a comment or a string, in a probe point, at the top
// level between declarations, at the start of a statement, inside an
// expression, after `->` or `.`, after `@` or `$`. Read from the tokens of the
// item around the cursor rather than the tree: half-typed code has none worth
// the name, and one forward pass over those tokens answers every question.

import { Analysis } from '../analysis/analyze';
import { EmbeddedRegion } from '../embedded/regions';
import { Comment, KEYWORDS, Token } from '../syntax/lexer';
import { tokensAround } from './nameAt';

export type CursorContext = (
  | { kind: 'comment' | 'string' | 'member' | 'other' }
  /** In the C of a `%{ %}` region; `cText` is false in a C comment or string literal, or after `->`/`.`. */
  | { kind: 'embeddedC'; region: EmbeddedRegion; cText: boolean }
  /** Between declarations, where only `probe`, `function`, `global`, `private`, `@define`, `%{` and `%(` may start. */
  | { kind: 'topLevel' }
  /** Right after `private`: `function` or `global`. */
  | { kind: 'afterPrivate' }
  /** After `:` in a function header: a type. */
  | { kind: 'type' }
  /**
   * Where a probe point is written: `probe |`, `probe a, |`, `probe x = |`.
   * `typed` is the dotted text written so far (`syscall.op`); `chain`, when a
   * component with an argument came before (`process("ls").fu|`), is that
   * component's name (`process`).
   */
  | { kind: 'probePoint'; typed: string; chain?: string }
  /** At the start of a statement in a body: statement keywords and expressions. */
  | { kind: 'statement' }
  /** Inside an expression: values only. */
  | { kind: 'expression' }
  /** After `@` in code: the `@` operators and macros. */
  | { kind: 'atName' }
  /** After `$` in code: target variables. */
  | { kind: 'dollar' }
  /** In the condition of `%( ... %?`. */
  | { kind: 'ppCondition' }
) & {
  /** Where the text an item replaces starts: the word before the cursor, with its `@`, `$` or `%`, or the dotted probe point. */
  start: number;
};

/** The `%{ %}` region whose text (delimiters included) encloses this position between characters, if any. */
export function embeddedRegionAt(analysis: Analysis, offset: number): EmbeddedRegion | undefined {
  // Regions from a library macro carry the macro use's offsets: the text there is script.
  return analysis.regions.find((r) => offset > r.code.start && offset < r.code.end && !r.code.expanded);
}

const isWordChar = (c: string | undefined) => !!c && /[A-Za-z0-9_]/.test(c);

export function cursorContext(analysis: Analysis, offset: number): CursorContext {
  const text = analysis.text;
  let wordStart = offset;
  while (wordStart > 0 && isWordChar(text[wordStart - 1])) wordStart--;

  const region = embeddedRegionAt(analysis, offset);
  if (region) return { kind: 'embeddedC', region, cText: cTextAt(text, region, wordStart), start: wordStart };
  if (inComment(analysis.script.comments, offset)) return { kind: 'comment', start: offset };
  if (/[0-9]/.test(text[wordStart] ?? '') && wordStart < offset) return { kind: 'other', start: offset };

  const tokens = tokensAround(analysis, offset);
  if (tokens.some((t) => t.kind === 'string' && inString(text, t, offset))) return { kind: 'string', start: offset };

  // `@name`, `$name`, `$$name`, `%{`: the sigil is part of what is replaced.
  let start = wordStart;
  if (text[start - 1] === '$') start -= text[start - 2] === '$' ? 2 : 1;
  else if (text[start - 1] === '@' || (text[start - 1] === '%' && wordStart === offset)) start--;
  const sigil = start < wordStart ? text[start] : '';

  const scan = scanTo(tokens, start);
  const base = classify(text, scan, start, offset);
  if (!sigil) return base;
  if (base.kind === 'topLevel') return sigil === '$' ? { kind: 'other', start } : base;
  if (base.kind !== 'statement' && base.kind !== 'expression') return { kind: 'other', start };
  if (sigil === '@') return { kind: 'atName', start };
  if (sigil === '$') return { kind: 'dollar', start };
  return { kind: 'other', start };
}

/** What the tokens before the cursor leave open. */
interface Scan {
  /** The top-level construct the cursor is in when no bracket is open. */
  top: 'between' | 'probeHeader' | 'functionHeader' | 'global' | 'private' | 'define';
  /** Open brackets, innermost last; `control` marks the `(` of `if`, `while`, `for`, `foreach`, `catch`. */
  open: { bracket: Bracket; control: boolean }[];
  openCount: Record<Bracket, number>;
  inPpCondition: boolean;
  /** The last token before the cursor's word, and whether it closed a control header. */
  prev: Token | undefined;
  prevClosedControl: boolean;
  /** Tokens since the last `probe`, `,`, `=` or `+=` of a probe header. */
  pointTokens: Token[];
}

type Bracket = '{' | '(' | '[';

const CONTROL = new Set(['if', 'while', 'for', 'foreach', 'catch']);

function scanTo(tokens: Token[], end: number): Scan {
  const scan: Scan = { top: 'between', open: [], openCount: { '{': 0, '(': 0, '[': 0 }, inPpCondition: false, prev: undefined, prevClosedControl: false, pointTokens: [] };
  let defineDepth = 0; // `%(` ... `%)` nesting inside an `@define` body
  for (const t of tokens) {
    if (t.end > end || t.kind === 'eof') break;
    const closedControl = step(scan, t);
    scan.prevClosedControl = closedControl;
    if (scan.top === 'define' && t.kind === 'pp') {
      if (t.text === '%(') defineDepth++;
      else if (t.text === '%)' && --defineDepth === 0) scan.top = 'between';
      scan.inPpCondition = false;
    }
    scan.prev = t;
  }
  return scan;
}

/** Takes one token into the scan; true when it closed the parenthesis of a control header. */
function step(scan: Scan, t: Token): boolean {
  const { open } = scan;
  const atTop = open.length === 0;
  if (t.kind === 'pp') {
    if (t.text === '%(') scan.inPpCondition = true;
    else if (t.text === '%?') scan.inPpCondition = false;
    return false;
  }
  if (scan.top === 'probeHeader' && (atTop || open[0].bracket !== '{')) {
    if (atTop && t.kind === 'operator' && (t.text === ',' || t.text === '=' || t.text === '+=')) scan.pointTokens = [];
    else if (!(t.kind === 'operator' && t.text === '{')) scan.pointTokens.push(t);
  }
  // `function` and `probe` are also probe point components: `kernel.function("f")`.
  if (t.kind === 'identifier' && atTop && scan.top !== 'define' && scan.top !== 'probeHeader') {
    if (t.text === 'probe') {
      scan.top = 'probeHeader';
      scan.pointTokens = [];
    } else if (t.text === 'function') scan.top = 'functionHeader';
    else if (t.text === 'global') scan.top = 'global';
    else if (t.text === 'private') scan.top = 'private';
    return false;
  }
  if (t.kind === 'at' && t.text === '@define' && atTop) {
    scan.top = 'define';
    return false;
  }
  if (t.kind === 'embedded' && atTop && scan.top !== 'define') {
    // A top-level `%{ %}`, or the embedded-C body that ends a function.
    scan.top = 'between';
    return false;
  }
  if (t.kind !== 'operator') return false;
  switch (t.text) {
    case '{':
    case '(':
    case '[': {
      const before = scan.prev;
      open.push({ bracket: t.text, control: t.text === '(' && !!before && before.kind === 'identifier' && CONTROL.has(before.text) });
      scan.openCount[t.text]++;
      return false;
    }
    case '}':
    case ')':
    case ']': {
      const opening = t.text === '}' ? '{' : t.text === ')' ? '(' : '[';
      // Unbalanced code: close up to the matching bracket, or nothing if there is none.
      // Each frame is popped once, so this stays linear however deep the nesting.
      if (scan.openCount[opening] === 0) return false;
      let closed;
      do {
        closed = open.pop()!;
        scan.openCount[closed.bracket]--;
      } while (closed.bracket !== opening);
      if (open.length === 0 && t.text === '}' && scan.top !== 'define') scan.top = 'between';
      return closed.control;
    }
  }
  return false;
}

const isOperandEnd = (t: Token) =>
  (t.kind === 'identifier' && (!KEYWORDS.has(t.text) || t.text === 'next' || t.text === 'break' || t.text === 'continue')) ||
  t.kind === 'number' ||
  t.kind === 'string' ||
  t.kind === 'dollar' ||
  t.kind === 'at' ||
  t.kind === 'embedded' ||
  (t.kind === 'operator' && (t.text === ')' || t.text === ']' || t.text === '++' || t.text === '--'));

const STATEMENT_BOUNDARY = new Set(['{', '}', ';']);

function classify(text: string, scan: Scan, start: number, offset: number): CursorContext {
  const { prev, open } = scan;
  if (scan.inPpCondition) return { kind: 'ppCondition', start };
  if (scan.top === 'define') return { kind: 'other', start };
  const innermost = open[open.length - 1];
  const inBody = open.length > 0 && open[0].bracket === '{';

  if (!inBody) {
    if (scan.top === 'probeHeader') {
      // `probe x if (cond)`: the condition is an expression.
      if (innermost) return innermost.control && open.length === 1 ? { kind: 'expression', start } : { kind: 'other', start };
      return probePointContext(text, scan.pointTokens, start, offset);
    }
    const afterColon = prev?.kind === 'operator' && prev.text === ':';
    if (scan.top === 'functionHeader') return afterColon ? { kind: 'type', start } : { kind: 'other', start };
    if (innermost) return { kind: 'other', start };
    if (scan.top === 'private') return prev?.kind === 'identifier' && prev.text === 'private' ? { kind: 'afterPrivate', start } : { kind: 'other', start };
    if (scan.top === 'global') {
      if (!prev || (prev.kind === 'identifier' && prev.text === 'global') || (prev.kind === 'operator' && prev.text !== ']')) return { kind: 'other', start };
      // `global a` and a new line: the next declaration.
      return text.slice(prev.end, start).includes('\n') ? { kind: 'topLevel', start } : { kind: 'other', start };
    }
    return { kind: 'topLevel', start };
  }

  // Inside a body.
  if (!prev) return { kind: 'statement', start };
  if (prev.kind === 'operator' && (prev.text === '->' || (prev.text === '.' && prev.end === start))) return { kind: 'member', start };
  if (innermost.bracket !== '{') return isOperandEnd(prev) ? { kind: 'other', start } : { kind: 'expression', start };
  if (prev.kind === 'pp' || (prev.kind === 'operator' && STATEMENT_BOUNDARY.has(prev.text))) return { kind: 'statement', start };
  if (prev.kind === 'identifier' && (prev.text === 'else' || prev.text === 'try')) return { kind: 'statement', start };
  if (prev.kind === 'identifier' && CONTROL.has(prev.text)) return { kind: 'other', start };
  if (scan.prevClosedControl) return { kind: 'statement', start };
  // stap needs no `;` between statements: a word after a complete operand starts the next one.
  if (isOperandEnd(prev)) return { kind: 'statement', start };
  return { kind: 'expression', start };
}

/** In a probe header outside any bracket: where a point is being written, or after one. */
function probePointContext(text: string, pointTokens: Token[], start: number, offset: number): CursorContext {
  // The point written so far: identifiers, numbers, `.`, `*`, and `(...)` arguments, with no space between.
  let pointStart = start;
  let chain: string | undefined;
  for (let i = pointTokens.length - 1; i >= 0; i--) {
    const t = pointTokens[i];
    if (t.end !== pointStart) return { kind: 'other', start };
    if (t.kind === 'operator' && t.text === ')') {
      // Step back over the argument to its `(` and the component named before it.
      let depth = 0;
      let j = i;
      for (; j >= 0; j--) {
        const u = pointTokens[j];
        if (u.kind === 'operator' && u.text === ')') depth++;
        else if (u.kind === 'operator' && u.text === '(' && --depth === 0) break;
      }
      if (j <= 0 || pointTokens[j - 1].kind !== 'identifier') return { kind: 'other', start };
      if (chain === undefined) chain = pointTokens[j - 1].text;
      pointStart = pointTokens[j - 1].start;
      i = j - 1;
      continue;
    }
    if (t.kind === 'identifier' || t.kind === 'number' || (t.kind === 'operator' && (t.text === '.' || t.text === '*'))) {
      pointStart = t.start;
      continue;
    }
    return { kind: 'other', start };
  }
  if (chain !== undefined) {
    // `process("ls").fu|`: only what follows that component is replaced.
    const dot = text.lastIndexOf('.', offset - 1);
    const typedStart = dot >= pointStart ? dot + 1 : start;
    return { kind: 'probePoint', typed: text.slice(typedStart, offset), chain, start: typedStart };
  }
  return { kind: 'probePoint', typed: text.slice(pointStart, offset), start: pointStart };
}

function inComment(comments: Comment[], offset: number): boolean {
  // Binary search: comments are in text order.
  let lo = 0;
  let hi = comments.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (comments[mid].end < offset) lo = mid + 1;
    else hi = mid;
  }
  const c = comments[lo];
  if (!c || offset <= c.start) return false;
  const closedBlock = c.text.startsWith('/*') && c.text.length >= 4 && c.text.endsWith('*/');
  // A line comment runs to the end of its line; a closed block comment ends before its `*/` does.
  return closedBlock ? offset < c.end : offset <= c.end;
}

function inString(text: string, t: Token, offset: number): boolean {
  if (offset <= t.start || offset > t.end) return false;
  if (offset < t.end) return true;
  const closed = t.end - t.start >= 2 && text[t.end - 1] === '"' && text[t.end - 2] !== '\\';
  return !closed;
}

/** In a region's C, whether `offset` is in code: not in a comment or a literal, not after `->` or `.`. */
function cTextAt(text: string, region: EmbeddedRegion, offset: number): boolean {
  const { codeStart } = region.code;
  if (offset < codeStart) return false;
  let i = codeStart;
  while (i < offset) {
    const c = text[i];
    const c2 = text[i + 1];
    if (c === '/' && c2 === '/') {
      const end = text.indexOf('\n', i);
      if (end < 0 || end >= offset) return false;
      i = end + 1;
    } else if (c === '/' && c2 === '*') {
      const end = text.indexOf('*/', i + 2);
      if (end < 0 || end + 2 > offset) return false;
      i = end + 2;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      if (j >= offset) return false;
      i = j + 1;
    } else i++;
  }
  const before = text.slice(Math.max(codeStart, offset - 2), offset);
  return !(before === '->' || before.endsWith('.'));
}
