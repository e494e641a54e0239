// stap compiles the pattern of each `=~` and `!~` in pass 2, with its own
// regex engine (stapRegex.ts), and refuses the script where one does not
// parse: "regex compilation error", at the pattern's literal. A match whose
// result nothing uses is elided before that, so it is not judged.

import { Expr, Script } from '../../syntax/ast';
import { Finding } from '../diagnostic';
import { keptBodies, perBody, walkUnguarded } from './keptCode';
import { stapRegexProblem } from './stapRegex';

/** The text between a literal's quotes, when the literal is one quoted string in the source (not a macro's, nor "a" "b" glued). */
function patternText(literal: Expr, text: string): string | undefined {
  const source = text.slice(literal.start, literal.end);
  if (source.length < 2 || source[0] !== '"' || source[source.length - 1] !== '"') return undefined;
  const inner = source.slice(1, -1);
  return /^(?:[^"\\]|\\[\s\S])*$/.test(inner) ? inner : undefined;
}

export function checkRegexLiterals(script: Script, text: string, reached: ReadonlySet<string>): Finding[] {
  return keptBodies(script, reached).flatMap((body) => regexProblemsIn(body, text));
}

const regexProblemsIn = perBody((body, text: string) => {
  const findings: Finding[] = [];
  walkUnguarded(body.root, (node, parent) => {
    const e = node as Expr;
    if (e.kind !== 'binary' || (e.text !== '=~' && e.text !== '!~') || parent?.kind === 'exprStatement') return;
    const literal = e.children[1];
    if (literal?.kind !== 'string') return;
    const pattern = patternText(literal, text);
    if (pattern === undefined) return;
    const problem = stapRegexProblem(pattern);
    if (!problem) return;
    const where = problem.position === undefined ? '' : ` (at position ${problem.position})`;
    findings.push({ start: literal.start, end: literal.end, severity: 'error', code: 'regex-invalid', message: `regex compilation error${where}: ${problem.message}` });
  });
  return findings;
});
