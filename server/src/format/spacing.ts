// The space between two tokens that stay on one line. The rules follow the installed tapsets
// and examples (scripts/formatStyle.ts): spaces around binary operators and after commas, a
// space between `if`/`while`/`for`/`foreach` and `(`, none between a function and `(`. Where
// a rule is not sure of its ground (probe points, function headers, globals), the original
// choice between "no space" and "a space" is kept, since stap reads `sys_*` and `sys_ *`
// differently there.

import { isKeyword, lex, Token } from '../syntax/lexer';

/** Where a token stands at the top level: the spacing rules of a probe point differ from an expression's. */
export type Context = 'code' | 'probeHeader' | 'functionHeader' | 'global';

const KEYWORD_PAREN = new Set(['if', 'while', 'for', 'foreach', 'catch', 'return', 'in', 'delete', 'limit', 'else']);
const CLOSERS = new Set([')', ']']);

/** True for a token after which a `-` or `[` is binary or an index: a value ends there. */
export function endsOperand(t: Token | undefined): boolean {
  if (!t) return false;
  switch (t.kind) {
    case 'identifier':
      return !isKeyword(t);
    case 'number':
    case 'string':
    case 'dollar':
    case 'at':
    case 'embedded':
      return true;
    case 'operator':
      return CLOSERS.has(t.text) || ((t.text === '++' || t.text === '--') && isPostfix(t));
    default:
      return false;
  }
}

/** The `++`/`--` tokens that follow their operand (`i++`), marked by the layout as it goes. */
const postfixTokens = new WeakSet<Token>();
export const markPostfix = (t: Token) => postfixTokens.add(t);
const isPostfix = (t: Token) => postfixTokens.has(t);

const WORD = /[A-Za-z0-9_$]/;

/** True when writing `a` and `b` side by side would lex into other tokens. */
export function mustSeparate(a: Token, b: Token): boolean {
  if (a.kind === 'embedded' || b.kind === 'embedded') return false;
  const last = a.text[a.text.length - 1] ?? '';
  const first = b.text[0] ?? '';
  if (WORD.test(last) && WORD.test(first)) return true;
  // Only an operator (or a pp mark) can run into its neighbour otherwise: `-` `-`, `/` `/`, `<` `<<`.
  if (a.kind !== 'operator' && a.kind !== 'pp' && b.kind !== 'operator' && b.kind !== 'pp' && a.kind !== 'invalid' && b.kind !== 'invalid') return false;
  // Operators are few: each pair is lexed once.
  const cacheable = (a.kind === 'operator' || a.kind === 'pp') && (b.kind === 'operator' || b.kind === 'pp');
  const key = cacheable ? `${a.text} ${b.text}` : '';
  const known = cacheable ? separated.get(key) : undefined;
  if (known !== undefined) return known;
  const joined = lex(a.text + b.text).tokens;
  const merges = joined.length !== 3 || joined[0].text !== a.text || joined[1].text !== b.text;
  if (cacheable) separated.set(key, merges);
  return merges;
}

const separated = new Map<string, boolean>();

const preserve = (gap: string) => (gap === '' ? '' : ' ');

/** `+`/`-` after a key or an array of `foreach` (`foreach (k- in a)`), the sort order. */
export function isSortMarker(t: Token, prev: Token | undefined, next: Token | undefined): boolean {
  return (t.text === '+' || t.text === '-') && endsOperand(prev) && !!next && (next.text === ')' || next.text === ',' || next.text === ']' || next.text === 'limit' || next.text === 'in');
}

/** The space between `prev` and `cur`, which stay on one line; `gap` is what separated them. */
export function spaceBetween(prev: Token, cur: Token, before: Token | undefined, next: Token | undefined, context: Context, gap: string): string {
  return mustSeparate(prev, cur) ? ' ' : chooseSpace(prev, cur, before, next, context, gap);
}

function chooseSpace(prev: Token, cur: Token, before: Token | undefined, next: Token | undefined, context: Context, gap: string): string {
  const p = prev.text;
  const c = cur.text;
  if (c === ',' || c === ';') return '';
  if (p === ',') return ' ';
  if (c === '{') return ' ';
  if (context !== 'code') {
    if (context !== 'functionHeader' && (c === '=' || c === '+=' || p === '=' || p === '+=')) return ' ';
    return preserve(gap);
  }
  if (cur.kind === 'pp' || prev.kind === 'pp') return ' ';
  if (cur.kind === 'embedded' || prev.kind === 'embedded') return ' ';
  if (p === '}' || c === '}' || p === '{') return preserve(gap);
  if (p === '(' || p === '[') return '';
  if (c === ')' || c === ']') return '';
  if (p === '->' || c === '->') return '';
  if (p === ';') return ' '; // inside `for (;;)`
  if (c === '(') {
    if (prev.kind === 'identifier' && KEYWORD_PAREN.has(p)) return ' ';
    if (endsOperand(prev)) return '';
  }
  if (c === '[' && endsOperand(prev)) return '';
  if ((c === '++' || c === '--') && isPostfix(cur)) return '';
  if (prev.kind === 'operator' && (p === '++' || p === '--') && !isPostfix(prev)) return '';
  if (isSortMarker(cur, prev, next)) return '';
  if (prev.kind === 'operator' && isUnary(prev, before)) return '';
  if (prev.kind === 'operator' || cur.kind === 'operator') return ' ';
  return ' ';
}

const UNARY = new Set(['!', '~', '-', '+', '&', '*']);

/** A prefix operator: `-x`, `!x`, `&$var`: nothing ends an operand before it. */
export function isUnary(t: Token, prev: Token | undefined): boolean {
  return t.kind === 'operator' && UNARY.has(t.text) && !endsOperand(prev);
}
