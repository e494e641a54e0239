// stap's "Expecting lvalue for assignment": the left side of `=`, `+=`,
// `.=`, `<<<` and the other assignments must name storage. Only the kinds
// that never can are judged here (literals, calls, operators' results);
// variables, array elements, `$target`s, members and `@` operators are left
// to the type rules and to stap's later passes.

import { Expr, FunctionDecl, ProbeDecl, Script, Statement } from '../../syntax/ast';
import { walkBody } from '../../syntax/walk';
import { Finding } from '../diagnostic';
import { perBody } from './keptCode';

type Node = Statement | Expr;

const NEVER_STORAGE = new Set<Expr['kind']>(['number', 'string', 'call', 'binary', 'ternary', 'unary', 'postfix', 'assign', 'in']);

/** The expression inside any parentheses: stap reads `(x) = 1` as `x = 1`. */
function unparenthesized(e: Expr): Expr {
  while (e.kind === 'paren' && e.children.length === 1) e = e.children[0];
  return e;
}

/** Assignments to something that is not storage, in the probes and the functions stap keeps (`reached`), at their operators. */
export function checkLvalues(script: Script, text: string, reached: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const check = (root: Statement) => findings.push(...lvalueProblemsIn({ root }, text));
  for (const item of script.items) {
    if (item.kind === 'function' && item.body?.kind === 'block' && reached.has((item as FunctionDecl).name.text)) check(item.body);
    if (item.kind === 'probe') {
      const probe = item as ProbeDecl;
      if (probe.body) check(probe.body);
      if (probe.epilogue) check(probe.epilogue);
    }
  }
  return findings;
}

const lvalueProblemsIn = perBody(({ root }, text: string) => {
  const findings: Finding[] = [];
  walkBody(root, (node: Node) => {
    if (node.kind !== 'assign' || node.children.length !== 2) return true;
    const e = node as Expr;
    const [left, right] = e.children;
    if (!NEVER_STORAGE.has(unparenthesized(left).kind)) return true;
    // stap locates the error at the operator, between the two sides.
    const at = text.indexOf(e.text, left.end);
    if (at < 0 || at >= right.start) return true;
    findings.push({
      start: at,
      end: at + e.text.length,
      severity: 'error',
      code: 'lvalue-invalid',
      message: `Expecting lvalue for assignment: '${text.slice(left.start, left.end)}' is not a variable, an array element or a target variable, so '${e.text}' cannot store into it`,
    });
    return true;
  });
  return findings;
});
