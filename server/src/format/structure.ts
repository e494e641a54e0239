// What the formatter takes from the parse tree: where statements of a block and top-level
// declarations start (one a line), and the bodies of `if`, `else`, `while`, `for` and
// `foreach` written without braces (indented one level more). Only the active code has a tree;
// the untaken `%( %)` branches get token-based guesses in layout.ts.

import { Script, Statement } from '../syntax/ast';
import { walkCode } from '../syntax/walk';

export interface Structure {
  /** Offsets where a statement of a block or a top-level declaration starts. */
  statementStarts: Set<number>;
  /** Ranges of bodies without braces, as [start, end) pairs. */
  unbracedBodies: { start: number; end: number }[];
}

const STATEMENT_KINDS = new Set(['block', 'empty', 'if', 'while', 'for', 'foreach', 'delete', 'next', 'break', 'continue', 'return', 'try', 'exprStatement']);
const isStatement = (n: { kind: string }): n is Statement => STATEMENT_KINDS.has(n.kind);

export function readStructure(script: Script): Structure {
  const statementStarts = new Set<number>();
  const unbracedBodies: { start: number; end: number }[] = [];
  for (const item of script.items) statementStarts.add(item.start);
  const body = (s: Statement | undefined) => {
    if (s && isStatement(s) && s.kind !== 'block' && s.end > s.start) unbracedBodies.push({ start: s.start, end: s.end });
  };
  walkCode(script, (node) => {
    if (!isStatement(node)) return false; // expressions hold no statements
    switch (node.kind) {
      case 'block':
        for (const c of node.children) statementStarts.add(c.start);
        break;
      case 'if': {
        body(node.children[1] as Statement | undefined);
        const otherwise = node.children[2] as Statement | undefined;
        // `else if` continues the chain on the same line: no extra level.
        if (otherwise && otherwise.kind !== 'if') body(otherwise);
        break;
      }
      case 'while':
      case 'for':
      case 'foreach':
        body(node.children[node.children.length - 1] as Statement | undefined);
        break;
    }
    return true;
  });
  return { statementStarts, unbracedBodies };
}
