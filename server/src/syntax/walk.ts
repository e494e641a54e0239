// Walks every statement and expression of a script's own code: probe bodies
// (and epilogues), script-language function bodies, global initializers.
// Trees can be far deeper than the stack (`1 + 1 + ... + 1` nests one level per
// term), so every walk here uses an explicit stack, never recursion.

import { Expr, Script, Statement } from './ast';

type CodeNode = Statement | Expr;

/**
 * Calls `visit` on `root` and everything below it, parents first, children in
 * order; a `false` return skips the node's children. `depth` is 0 for `root`.
 */
export function walkTree(root: CodeNode, visit: (node: CodeNode, depth: number) => boolean | void): void {
  const nodes: CodeNode[] = [root];
  const depths: number[] = [0];
  while (nodes.length > 0) {
    const node = nodes.pop()!;
    const depth = depths.pop()!;
    if (visit(node, depth) === false) continue;
    for (let i = node.children.length - 1; i >= 0; i--) {
      nodes.push(node.children[i]);
      depths.push(depth + 1);
    }
  }
}

/** Calls `visit` on each node, parents first; a `false` return skips the node's children. */
export function walkCode(script: Script, visit: (node: CodeNode) => boolean | void): void {
  for (const item of script.items) {
    if (item.kind === 'probe') [item.body, item.epilogue].forEach((b) => b && walkTree(b, visit));
    if (item.kind === 'function' && item.body?.kind === 'block') walkTree(item.body, visit);
    if (item.kind === 'global') for (const v of item.vars) if (v.init) walkTree(v.init, visit);
  }
}
