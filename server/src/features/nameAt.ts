// What name the cursor is on, in the script's own code: a call, a variable,
// an `@macro`, or a probe point. Comments, strings and embedded C are none.

import { Analysis } from '../analysis/analyze';
import { Expr, ProbePoint } from '../syntax/ast';
import { OffsetRange } from '../syntax/diagnostic';
import { lex, Token } from '../syntax/lexer';
import { walkCode } from '../syntax/walk';

export interface Word extends OffsetRange {
  text: string;
  /** Written `@text`. */
  macro: boolean;
}

export type NameAt = { kind: 'call' | 'variable'; word: Word } | { kind: 'macro'; word: Word } | { kind: 'probePoint'; point: ProbePoint; text: string };

/**
 * The tokens of the top-level item around `offset` (from its start to the
 * next item's), in document offsets. Items start on token boundaries, so these
 * are the tokens a lex of the whole text has there, at a fraction of the cost
 * in a large file.
 */
export function tokensAround(analysis: Analysis, offset: number): Token[] {
  const items = analysis.script.items;
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (items[mid].start <= offset) lo = mid + 1;
    else hi = mid;
  }
  const from = lo > 0 ? items[lo - 1].start : 0;
  const to = lo < items.length ? items[lo].start : analysis.text.length;
  return lex(analysis.text.slice(from, to)).tokens.map((t) => ({ ...t, start: t.start + from, end: t.end + from }));
}

export function nameAt(analysis: Analysis, offset: number): NameAt | undefined {
  if (analysis.script.comments.some((c) => offset >= c.start && offset < c.end)) return undefined;
  for (const item of analysis.script.items) {
    if (item.kind !== 'probe') continue;
    for (const point of [...item.points, ...(item.alias?.points ?? [])]) {
      if (offset >= point.start && offset <= point.end) return { kind: 'probePoint', point, text: analysis.text.slice(point.start, point.end).replace(/\s+/g, '') };
    }
  }
  const word = wordAt(analysis.text, offset);
  if (!word) return undefined;
  if (word.macro) return { kind: 'macro', word };
  const node = nameNodeAt(analysis, offset, word);
  if (!node) return undefined;
  return { kind: node.kind === 'call' ? 'call' : 'variable', word };
}

export function wordAt(text: string, offset: number): Word | undefined {
  const isWord = (c: string | undefined) => !!c && /[A-Za-z0-9_]/.test(c);
  let start = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  let end = offset;
  while (end < text.length && isWord(text[end])) end++;
  if (start === end || /[0-9]/.test(text[start])) return undefined;
  return { start, end, text: text.slice(start, end), macro: text[start - 1] === '@' };
}

/** The call or variable node written at this word in the script (not in C, not in a string). */
function nameNodeAt(analysis: Analysis, offset: number, word: Word): Expr | undefined {
  let found: Expr | undefined;
  walkCode(analysis.script, (node) => {
    if (found || offset < node.start || offset > node.end) return false;
    if ((node.kind === 'call' || node.kind === 'identifier') && node.start === word.start && (node as Expr).text === word.text) found = node as Expr;
    return true;
  });
  return found;
}
