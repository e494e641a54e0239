// Walks every statement and expression of a script's own code: probe bodies
// (and epilogues), script-language function bodies, global initializers.

import { Expr, Script, Statement } from './ast';

/** Calls `visit` on each node, parents first; a `false` return skips the node's children. */
export function walkCode(script: Script, visit: (node: Statement | Expr) => boolean | void): void {
  const walk = (node: Statement | Expr) => {
    if (visit(node) === false) return;
    for (const c of node.children) walk(c);
  };
  for (const item of script.items) {
    if (item.kind === 'probe') [item.body, item.epilogue].forEach((b) => b && walk(b));
    if (item.kind === 'function' && item.body?.kind === 'block') walk(item.body);
    if (item.kind === 'global') for (const v of item.vars) if (v.init) walk(v.init);
  }
}
