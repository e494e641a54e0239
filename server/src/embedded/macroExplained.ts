// A C syntax error that a macro of the script's own C can explain is no
// error: `#define N(v) case v: return #v;` then `N(x)` as a statement parses
// as a call missing its `;` until the preprocessor runs, which it does
// before the C compiler, and which the C parser here does not. An error is
// kept only where no macro the script's C defines is used in the statement
// around it.

import { OffsetRange } from '../syntax/diagnostic';

const WORD = /[A-Za-z_]\w*/g;

/** From the statement boundary (`;`, `{`, `}`) before `from` to the one after `to`: where a macro use could have misled the parser. */
function statementAround(text: string, from: number, to: number): string {
  let start = from;
  while (start > 0 && !';{}'.includes(text[start - 1])) start--;
  let end = to;
  while (end < text.length && !';{}'.includes(text[end])) end++;
  return text.slice(start, end);
}

/** Whether a macro named in `macros` is used in the statement the error lies in. */
export function explainedByMacro(text: string, error: OffsetRange, macros: ReadonlySet<string>): boolean {
  if (macros.size === 0) return false;
  const around = statementAround(text, error.start, error.end);
  for (const m of around.matchAll(WORD)) if (macros.has(m[0])) return true;
  return false;
}
