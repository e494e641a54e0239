// The formatter: the lexer's tokens and comments written out again, in the same order, with
// whitespace computed between them. Nothing else is written, so the meaning cannot change as
// long as the token sequence is the same; verify.ts checks that on every result. The parse
// tree gives only structure (structure.ts); spacing.ts chooses the space within a line.
//
// Line breaks: the original ones are kept (a run of blank lines becomes one blank line);
// breaks are added after `{` and `;`, around `}` and before each statement of a block, and a
// statement's `{` on a line of its own joins the line before. Indentation: one level per open
// brace and per body written without braces; a line that continues a statement keeps its
// place relative to the statement's first line.

import { Comment, lex, Token } from '../syntax/lexer';
import { parse } from '../syntax/parser';
import { OffsetRange } from '../syntax/diagnostic';
import { Script } from '../syntax/ast';
import { FormatOptions } from './options';
import { readStructure } from './structure';
import { Context, endsOperand, markPostfix, spaceBetween } from './spacing';
import { keepsMeaning } from './verify';
import { reindentEmbedded } from './embeddedIndent';

interface Item {
  start: number;
  end: number;
  text: string;
  token?: Token;
  comment?: Comment;
}

export interface FormatOutcome {
  text: string;
  /** Set when the result would have changed the token sequence: the text is then the original. */
  refused?: string;
}

const FRESH_KEYWORDS = new Set(['probe', 'function', 'global', 'private', 'if', 'while', 'for', 'foreach', 'return', 'delete', 'next', 'break', 'continue', 'try', 'else', 'catch']);
/** The deepest indentation written. */
const MAX_LEVELS = 40;
const TOP_STARTERS = new Set(['probe', 'function', 'global', 'private']);
const BLOCK_KEYWORDS = new Set(['if', 'while', 'for', 'foreach', 'catch']);

/**
 * `range`: only the items starting in it are formatted; everything else is kept as written.
 * `keepBroken`: declarations with syntax errors are kept as written (off only to learn the
 * indentation of a new line in a half-typed file).
 */
export function formatText(text: string, options: FormatOptions, range?: OffsetRange, keepBroken = true): FormatOutcome {
  const script = parse(text);
  const formatted = layout(text, options, range, keepBroken, script);
  if (formatted === text) return { text };
  const problem = keepsMeaning(text, formatted, script, options.embeddedC === 'reindent');
  return problem ? { text, refused: problem } : { text: formatted };
}

function layout(text: string, options: FormatOptions, range: OffsetRange | undefined, keepBroken: boolean, script: Script): string {
  const lexed = lex(text);
  const tokens = lexed.tokens.slice(0, -1);
  const items = mergeItems(tokens, lexed.comments, text);
  if (items.length === 0) return text;
  const { statementStarts, unbracedBodies } = readStructure(script);
  const verbatim = verbatimRanges(tokens, keepBroken ? script.errors : [], text.length);
  if (range) {
    verbatim.push({ start: 0, end: range.start }, { start: range.end, end: text.length + 1 });
  }
  const isVerbatim = inRanges(verbatim);
  const isInactive = inRanges(script.inactive.map((r) => ({ start: r.start, end: r.end })));
  const bodyLevels = nestingCounter(unbracedBodies);

  const unit = options.tabSize;
  const indentText = (col: number) => (options.insertSpaces ? ' '.repeat(col) : '\t'.repeat(Math.floor(col / unit)) + ' '.repeat(col % unit));
  const columnOf = (lineStart: number, offset: number) => {
    let col = 0;
    for (let k = lineStart; k < offset; k++) col = text.charCodeAt(k) === 9 ? col - (col % unit) + unit : col + 1;
    return col;
  };

  const out: string[] = [];
  let depth = 0;
  type Paren = { text: string; keyword: boolean };
  let parens: Paren[] = [];
  const conditionals: { depthAtQuery: number; parensAtQuery: Paren[]; depthAfterThen?: number; parensAfterThen?: Paren[] }[] = [];
  let context: Context = 'code';
  let prevTok: Token | undefined;
  let prevTokIndex = -1;
  let lastClosedKeywordParen: Token | undefined;
  let anchor = { orig: 0, now: 0 };
  let prevItem: Item | undefined;
  let prevVerbatim = false;
  /** Columns before the first character of the line being written. */
  let lineIndent = 0;
  const columnsOf = (ws: string) => {
    let col = 0;
    for (const ch of ws) col = ch === '\t' ? col - (col % unit) + unit : col + 1;
    return col;
  };

  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    const tok = item.token;
    const gap = text.slice(prevItem ? prevItem.end : 0, item.start);
    const verbatimHere = isVerbatim(item.start);

    // Brace and paren depth before this item (a `}` belongs to the outer level).
    if (tok) {
      if (tok.text === '}' && tok.kind === 'operator') depth = Math.max(0, depth - 1);
      if (tok.kind === 'pp') {
        if (tok.text === '%(') conditionals.push({ depthAtQuery: depth, parensAtQuery: parens });
        const open = conditionals[conditionals.length - 1];
        if (open && tok.text === '%?') {
          open.depthAtQuery = depth;
          open.parensAtQuery = parens.slice();
        } else if (open && tok.text === '%:') {
          open.depthAfterThen = depth;
          open.parensAfterThen = parens.slice();
          depth = open.depthAtQuery;
          parens = open.parensAtQuery.slice();
        } else if (open && tok.text === '%)') {
          // Branches that open a brace each (`%( ... %? probe a { %: probe b { %)`) count once.
          if (open.depthAfterThen !== undefined) depth = open.depthAfterThen;
          if (open.parensAfterThen) parens = open.parensAfterThen;
          conditionals.pop();
        }
      }
      if ((tok.text === '++' || tok.text === '--') && tok.kind === 'operator' && endsOperand(prevTok)) markPostfix(tok);
    }
    const topContext: Context = depth > 0 ? 'code' : context;
    const closesKeywordParen = prevTok?.text === ')' && lastClosedKeywordParen === prevTok;

    let sep: string;
    const newlines = countNewlines(gap);
    if (verbatimHere) {
      sep = gap;
    } else if (prevVerbatim && newlines === 0) {
      sep = gap;
    } else {
      let breaks = Math.min(newlines, 2);
      if (!prevItem)
        breaks = range ? newlines : 0; // blank lines at the top go, unless the range leaves them out
      else if (prevVerbatim || verbatimHere)
        breaks = newlines; // the lines of a region kept as written stay where they are
      else if (tok && wantsBreak(prevItem, tok)) breaks = Math.max(breaks, 1);
      else if (tok && breaks > 0 && !prevItem.comment && wantsJoin(tok)) breaks = 0;
      if (breaks === 0 && prevItem) {
        sep = sameLine(prevItem, item, gap, topContext, i);
      } else {
        const origCol = newlines > 0 ? columnOf(item.start - (gap.length - gap.lastIndexOf('\n') - 1), item.start) : undefined;
        const fresh = tok ? isFresh(tok, closesKeywordParen) : parens.length === 0;
        let col: number;
        if (fresh || !prevItem) {
          // Capped: a thousand levels deep would write a million tabs, and read no better.
          const level = Math.min(MAX_LEVELS, depth + bodyLevels(item.start)) + (tok && isInactive(item.start) && closesOrElse(closesKeywordParen) && tok.text !== '{' ? 1 : 0);
          // A `%(` line written at the margin stays there, as the tapsets write them.
          col = tok?.kind === 'pp' && origCol === 0 ? 0 : level * unit;
          anchor = { orig: origCol ?? col, now: col };
        } else {
          const least = anchor.now + unit;
          col = origCol === undefined ? least : Math.max(least, origCol + anchor.now - anchor.orig);
        }
        // After a region kept as written, its lines end as they were (trailing spaces too).
        sep = (prevVerbatim ? gap.slice(0, gap.lastIndexOf('\n') + 1) : '\n'.repeat(breaks)) + indentText(col);
      }
    }
    const newline = sep.lastIndexOf('\n');
    if (newline >= 0) lineIndent = columnsOf(sep.slice(newline + 1));
    else if (!prevItem) lineIndent = columnsOf(sep);
    const reindent = tok?.kind === 'embedded' && options.embeddedC === 'reindent' && !verbatimHere;
    const written = reindent ? reindentEmbedded(item.text, lineIndent, options) : item.text;
    out.push(sep, written);
    // A token that spans lines (`%{ %}`, `/* */`) leaves us on its last line.
    if (written.includes('\n')) lineIndent = columnsOf(/^[ \t]*/.exec(written.slice(written.lastIndexOf('\n') + 1))![0]);

    // State after this item.
    if (tok) {
      if (tok.kind === 'operator') {
        if (tok.text === '{') {
          depth++;
          if (depth === 1) context = 'code';
        } else if (tok.text === '}') {
          if (depth === 0) context = 'code';
        } else if (tok.text === '(' || tok.text === '[') {
          parens.push({ text: tok.text, keyword: tok.text === '(' && prevTok?.kind === 'identifier' && BLOCK_KEYWORDS.has(prevTok.text) });
        } else if (tok.text === ')' || tok.text === ']') {
          const closed = parens.pop();
          lastClosedKeywordParen = closed?.keyword ? tok : undefined;
        }
      } else if (depth === 0 && parens.length === 0 && !afterDot(prevTok)) {
        if (tok.kind === 'identifier' && tok.text === 'probe') context = 'probeHeader';
        else if (tok.kind === 'identifier' && tok.text === 'function') context = 'functionHeader';
        else if (tok.kind === 'identifier' && tok.text === 'global') context = 'global';
        else if (tok.kind === 'embedded') context = 'code';
      }
      prevTok = tok;
      prevTokIndex = i;
    }
    prevItem = item;
    prevVerbatim = verbatimHere;
  }
  const last = items[items.length - 1];
  // A `/*` left open runs to the end of the file: a newline after it would join the comment.
  const openComment = last.comment !== undefined && last.text.startsWith('/*') && (last.text.length < 4 || !last.text.endsWith('*/'));
  out.push(prevVerbatim || openComment ? text.slice(last.end) : '\n');
  return out.join('');

  function closesOrElse(closesKeywordParen: boolean): boolean {
    return closesKeywordParen || (prevTok?.kind === 'identifier' && prevTok.text === 'else');
  }

  /** A line that starts a statement or declaration (indented by depth), not one that continues one. */
  function isFresh(tok: Token, closesKeywordParen: boolean): boolean {
    if (!prevTok) return true;
    if (parens.length > 0) return false;
    if (tok.kind === 'pp' || tok.kind === 'embedded') return true;
    if (tok.kind === 'operator' && (tok.text === '{' || tok.text === '}')) return true;
    if (prevTok.kind === 'pp' || prevTok.kind === 'embedded') return true;
    if (prevTok.kind === 'operator' && (prevTok.text === '{' || prevTok.text === '}' || prevTok.text === ';')) return true;
    if (statementStarts.has(tok.start)) return true;
    if (tok.kind === 'identifier' && FRESH_KEYWORDS.has(tok.text) && !afterDot(prevTok)) return true;
    if (closesOrElse(closesKeywordParen)) return true;
    // Untaken branches have no tree: a value after a value starts a statement.
    return isInactive(tok.start) && endsOperand(prevTok) && startsOperand(tok);
  }

  function wantsBreak(prev: Item, tok: Token): boolean {
    if (prev.comment && !prev.text.startsWith('/*')) return true;
    const p = prevTok;
    if (!p) return false;
    const c = tok.text;
    const op = (t: Token, s: string) => t.kind === 'operator' && t.text === s;
    if (op(p, '{') && !op(tok, '}')) return true;
    if (op(tok, '}') && !op(p, '{')) return true;
    if (op(p, '}') && !(tok.kind === 'pp' || (tok.kind === 'identifier' && (c === 'else' || c === 'catch')) || c === ';' || c === ')' || c === ',' || c === ']')) return true;
    if (op(p, ';') && parens.length === 0) return true;
    if (statementStarts.has(tok.start) && p.kind !== 'pp' && !(p.kind === 'identifier' && p.text === 'else') && tok.kind !== 'pp') {
      // a statement of a block or a new declaration; not the body of `if (x) return`
      return !(p.text === ')' && lastClosedKeywordParen === p);
    }
    if (op(tok, '{') && depth === 0 && (context === 'probeHeader' || context === 'functionHeader') && options.declarationBraces === 'nextLine') return true;
    if (tok.kind === 'identifier' && depth === 0 && parens.length === 0 && TOP_STARTERS.has(c) && !(p.kind === 'identifier' && p.text === 'private') && !afterDot(p)) return p.kind !== 'pp';
    return false;
  }

  function wantsJoin(tok: Token): boolean {
    if (!(tok.kind === 'operator' && tok.text === '{') || !prevTok) return false;
    if (depth === 0) return (context === 'probeHeader' || context === 'functionHeader') && options.declarationBraces === 'sameLine';
    const p = prevTok;
    return (p.text === ')' && lastClosedKeywordParen === p) || (p.kind === 'identifier' && (p.text === 'else' || p.text === 'try'));
  }

  function sameLine(prev: Item, item: Item, gap: string, ctx: Context, i: number): string {
    if (item.comment) return gap === '' ? '' : gap.replace(/[^ \t]/g, '') || ' ';
    if (prev.comment || !prev.token || !item.token) return gap === '' ? '' : ' ';
    const before = prevTokIndex > 0 ? items[prevTokIndex - 1]?.token : undefined;
    let nextTok: Token | undefined;
    for (let k = i + 1; k < items.length && !nextTok; k++) nextTok = items[k].token;
    return spaceBetween(prev.token, item.token, before, nextTok, ctx, gap);
  }
}

/** `kernel.function`, `process.statement`: a probe point component, not a keyword. */
const afterDot = (t: Token | undefined) => t?.kind === 'operator' && t.text === '.';

function startsOperand(t: Token): boolean {
  if (t.kind === 'identifier') return !FRESH_KEYWORDS.has(t.text);
  return t.kind === 'dollar' || t.kind === 'at' || t.kind === 'number' || t.kind === 'string';
}

function countNewlines(s: string): number {
  let n = 0;
  for (let k = 0; k < s.length; k++) if (s.charCodeAt(k) === 10) n++;
  return n;
}

function mergeItems(tokens: Token[], comments: Comment[], text: string): Item[] {
  const items: Item[] = [];
  let c = 0;
  for (const t of tokens) {
    while (c < comments.length && comments[c].start < t.start) {
      const cm = comments[c++];
      items.push({ start: cm.start, end: cm.end, text: text.slice(cm.start, cm.end), comment: cm });
    }
    items.push({ start: t.start, end: t.end, text: t.text, token: t });
  }
  while (c < comments.length) {
    const cm = comments[c++];
    items.push({ start: cm.start, end: cm.end, text: text.slice(cm.start, cm.end), comment: cm });
  }
  return items;
}

/**
 * What is kept as written: `@define` ... `%)` (a macro body is pasted where it is used, so its
 * layout is its author's), and each declaration an error falls in, from the declaration
 * before the error to the next one that starts at depth 0 (never half a broken statement).
 */
function verbatimRanges(tokens: Token[], errors: { start: number; severity?: string }[], textEnd: number): OffsetRange[] {
  const ranges: OffsetRange[] = [];
  const starters: number[] = [];
  let depth = 0;
  const saved: number[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'at' && t.text === '@define') {
      let nesting = 0;
      let j = i + 1;
      for (; j < tokens.length; j++) {
        if (tokens[j].text === '%(' && tokens[j].kind === 'pp') nesting++;
        if (tokens[j].text === '%)' && tokens[j].kind === 'pp' && --nesting <= 0) break;
      }
      const end = j < tokens.length ? tokens[j].end : textEnd;
      ranges.push({ start: t.start, end });
      if (depth === 0) starters.push(t.start);
      while (i + 1 < tokens.length && tokens[i + 1].start < end) i++;
      continue;
    }
    if (t.kind === 'pp') {
      if (t.text === '%(') saved.push(depth);
      else if (t.text === '%:' && saved.length) depth = saved[saved.length - 1];
      else if (t.text === '%)') saved.pop();
      if (depth === 0) starters.push(t.start);
      continue;
    }
    if (t.kind === 'operator' && t.text === '{') depth++;
    else if (t.kind === 'operator' && t.text === '}') depth = Math.max(0, depth - 1);
    else if (depth === 0 && ((t.kind === 'identifier' && TOP_STARTERS.has(t.text) && tokens[i - 1]?.text !== 'private' && !afterDot(tokens[i - 1])) || t.kind === 'embedded')) starters.push(t.start);
  }
  for (const e of errors) {
    if (e.severity === 'warning') continue;
    let from = 0;
    let to = textEnd + 1;
    for (const s of starters) {
      if (s <= e.start) from = s;
      else {
        to = s;
        break;
      }
    }
    ranges.push({ start: from, end: to });
  }
  return ranges;
}

/** A test of "is this offset inside one of the ranges". */
function inRanges(ranges: OffsetRange[]): (offset: number) => boolean {
  const merged: OffsetRange[] = [];
  for (const r of ranges.filter((x) => x.end > x.start).sort((x, y) => x.start - y.start)) {
    const last = merged[merged.length - 1];
    if (last && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else merged.push({ start: r.start, end: r.end });
  }
  return (offset) => {
    let lo = 0;
    let hi = merged.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (merged[mid].start <= offset) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && offset < merged[lo - 1].end;
  };
}

/**
 * How many of the ranges hold the offset, asked with offsets that only grow. Bodies nest or
 * are apart, never overlap, so the open ones form a stack whose top ends first.
 */
function nestingCounter(ranges: OffsetRange[]): (offset: number) => number {
  const sorted = ranges.slice().sort((a, b) => a.start - b.start || b.end - a.end);
  let next = 0;
  const open: number[] = [];
  return (offset) => {
    while (open.length > 0 && open[open.length - 1] <= offset) open.pop();
    while (next < sorted.length && sorted[next].start <= offset) {
      const r = sorted[next++];
      while (open.length > 0 && open[open.length - 1] <= r.start) open.pop();
      if (r.end > offset) open.push(r.end);
    }
    return open.length;
  };
}
