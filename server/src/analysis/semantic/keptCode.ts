// The code stap's pass 2 keeps and checks: the functions some probe reaches
// (in the order of their names, as stap visits them), then the probes' bodies
// in the file's order. Walks skip what an `@defined` guards: stap drops a
// missing target there without a word.

import { Expr, FunctionDecl, ProbeDecl, Script, Statement } from '../../syntax/ast';
import { walkTree } from '../../syntax/walk';

export type CodeNode = Statement | Expr;

export interface KeptBody {
  root: Statement;
  fn?: FunctionDecl;
  probe?: ProbeDecl;
}

export function keptBodies(script: Script, reached: ReadonlySet<string>): KeptBody[] {
  const seen = new Set<string>();
  const functions = script.items
    .filter((i): i is FunctionDecl => i.kind === 'function' && i.body?.kind === 'block' && reached.has(i.name.text))
    .filter((f) => !seen.has(`${f.name.text}/${f.params.length}`) && !!seen.add(`${f.name.text}/${f.params.length}`))
    .sort((a, b) => (a.name.text < b.name.text ? -1 : a.name.text > b.name.text ? 1 : 0));
  const bodies: KeptBody[] = functions.map((fn) => ({ root: fn.body as Statement, fn }));
  for (const item of script.items) {
    if (item.kind !== 'probe') continue;
    if (item.body) bodies.push({ root: item.body, probe: item });
    if (item.epilogue) bodies.push({ root: item.epilogue, probe: item });
  }
  return bodies;
}

function mentionsDefined(e: CodeNode): boolean {
  let found = false;
  walkTree(e, (n) => {
    if (n.kind === 'atOperator' && (n as Expr).text === '@defined') found = true;
    return !found;
  });
  return found;
}

/** Walks a body, parents first, leaving out `@defined(...)` and the `if`s and `?:`s whose condition tests one. */
export function walkUnguarded(root: Statement, visit: (node: CodeNode, parent: CodeNode | undefined) => void): void {
  // An explicit stack of (node, parent): trees can be deeper than the call stack.
  const nodes: CodeNode[] = [root];
  const parents: (CodeNode | undefined)[] = [undefined];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const parent = parents.pop();
    if (node.kind === 'atOperator' && (node as Expr).text === '@defined') continue;
    if ((node.kind === 'if' || node.kind === 'ternary') && node.children[0] && mentionsDefined(node.children[0])) continue;
    visit(node, parent);
    for (let i = node.children.length - 1; i >= 0; i--) {
      nodes.push(node.children[i]);
      parents.push(node);
    }
  }
}
