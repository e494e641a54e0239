// The conversions of a printf-family format string, as stap reads them:
// each `%...` takes one argument (and one more per `*` width or precision),
// `%%` takes none.

import { ValueType } from './types';

// `%m` and `%M` print memory at an address: they take a number, as `%p` does.
const LONG_CONVERSIONS = new Set(['d', 'i', 'o', 'u', 'x', 'X', 'p', 'c', 'b', 'm', 'M']);
const STRING_CONVERSIONS = new Set(['s']);

// Every printf of every body is read again on each pass of each analysis, and
// scripts repeat a handful of formats: each is read once.
const MEMO_SIZE = 2000;
const memo = new Map<string, readonly ValueType[] | undefined>();

/** The argument types a literal format asks for, in order; undefined when it is not one stap would accept as read here. */
export function formatArguments(literal: string): readonly ValueType[] | undefined {
  if (memo.has(literal)) return memo.get(literal);
  const wanted = readFormat(literal);
  if (memo.size >= MEMO_SIZE) memo.delete(memo.keys().next().value!);
  memo.set(literal, wanted);
  return wanted;
}

function readFormat(literal: string): ValueType[] | undefined {
  const m = /^"((?:[^"\\]|\\.)*)"$/s.exec(literal);
  if (!m) return undefined;
  const format = m[1];
  const wanted: ValueType[] = [];
  const directive = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?(?:hh|h|ll|l|L|j|z|t)?(.)?/gs;
  for (let d = directive.exec(format); d; d = directive.exec(format)) {
    const conversion = d[4];
    if (conversion === '%' && !d[1] && !d[2] && d[3] === undefined) continue;
    if (d[2] === '*') wanted.push('long');
    if (d[3] === '*') wanted.push('long');
    if (conversion && LONG_CONVERSIONS.has(conversion)) wanted.push('long');
    else if (conversion && STRING_CONVERSIONS.has(conversion)) wanted.push('string');
    else return undefined; // a conversion stap rejects on its own terms, or one this reading does not know
  }
  return wanted;
}
