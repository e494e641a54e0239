// Where a half-typed declaration gives way to the next one. A declaration
// being typed (`probe syscall.`, an unclosed `%{`, `@define m %( ...`) can
// take in everything after it; the lexer, the preprocessor and the parser
// then resume at the next line that starts with a declaration, so that what
// follows keeps its symbols. They do so only where the input is in error
// already, and keep stap's first error: the verdict stays stap's.

import { Token } from './lexer';

/**
 * How many tokens recovery may read a second time, all recoveries in a file
 * together. Resuming at the next declaration reads again what the cut one
 * took in: once or twice in a file being edited, but a file made of
 * declarations that each take in the rest (`$p->` on every line, the next
 * `probe` read as a member name) would be read once for each. Four times the
 * file, and at least 100,000 tokens (a few tens of milliseconds), lets a file
 * with a few half-typed declarations recover from all of them.
 */
export function rereadBudget(tokens: number): number {
  return Math.max(4 * tokens, 100_000);
}

/** The keywords that start a declaration at the top level. */
export const DECLARATION_KEYWORDS: ReadonlySet<string> = new Set(['probe', 'function', 'global', 'private']);

/**
 * Token `i` is a declaration keyword written first on its line; with
 * `directives`, `@define` and `%{` count too (they are valid inside a block,
 * so the parser does not count them).
 */
export function startsDeclarationLine(text: string, tokens: readonly Token[], i: number, directives: boolean): boolean {
  const t = tokens[i];
  if (t.macroOrigin) return false;
  const declaration = t.kind === 'identifier' ? DECLARATION_KEYWORDS.has(t.text) : directives && ((t.kind === 'at' && t.text === '@define') || t.kind === 'embedded');
  if (!declaration) return false;
  if (i === 0) return /^\s*$/.test(text.slice(0, t.start));
  const prev = tokens[i - 1];
  return prev.end <= t.start && text.slice(prev.end, t.start).includes('\n');
}

const DECLARATION_LINE = /^[ \t]*(?:(?:probe|function|global|private)(?=\s)|@define\b|%\{)/gm;

/** The offset of the line break before the first line after `from` that starts a declaration, `@define` or `%{`; -1 when none does. */
export function declarationLineAfter(text: string, from: number): number {
  DECLARATION_LINE.lastIndex = from;
  for (let m = DECLARATION_LINE.exec(text); m; m = DECLARATION_LINE.exec(text)) {
    if (m.index > from) return m.index - 1;
    DECLARATION_LINE.lastIndex = m.index + 1; // a match at `from` itself is the line being cut
  }
  return -1;
}
