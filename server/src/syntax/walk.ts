// Walks every statement and expression of a script's own code: probe bodies
// (and epilogues), script-language function bodies, global initializers.
// Trees can be far deeper than the stack (`1 + 1 + ... + 1` nests one level per
// term), so every walk here uses an explicit stack, never recursion.

import { Expr, Script, Statement } from './ast';
import { BodyFacts } from './bodyFacts';

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

/**
 * A body in preorder: `nodes[i]` at `depths[i]`, its parent at `parents[i]`
 * (-1 for the root), and its subtree ending before `ends[i]`. Trees are never
 * changed after the parse, and a declaration an edit leaves alone is the same
 * object in the next tree: each check of each analysis walks the same bodies,
 * so they are laid out once, and walked as arrays.
 */
export interface FlatBody {
  nodes: CodeNode[];
  parents: Int32Array;
  depths: Int32Array;
  ends: Int32Array;
}

// A copy moved by an edit has the same shape: only its nodes are its own (a body moved where it is keeps them).
const flatBodies = new BodyFacts<FlatBody>((flat, _d, nodes) => (nodes ? { nodes: nodes as CodeNode[], parents: flat.parents, depths: flat.depths, ends: flat.ends } : flat));

/** The body under `root`, laid out once per root: for the bodies of declarations, not for passing subtrees (each would keep a copy). */
export function flatBody(root: CodeNode): FlatBody {
  const cached = flatBodies.get(root);
  if (cached) return cached;
  const nodes: CodeNode[] = [];
  const parentList: number[] = [];
  const depthList: number[] = [];
  const stack: CodeNode[] = [root];
  const stackParents: number[] = [-1];
  const stackDepths: number[] = [0];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const at = nodes.length;
    nodes.push(node);
    parentList.push(stackParents.pop()!);
    const depth = stackDepths.pop()!;
    depthList.push(depth);
    for (let i = node.children.length - 1; i >= 0; i--) {
      stack.push(node.children[i]);
      stackParents.push(at);
      stackDepths.push(depth + 1);
    }
  }
  // A subtree ends where the next node at its depth or above begins.
  const ends = new Int32Array(nodes.length);
  const open: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    while (open.length > 0 && depthList[open[open.length - 1]] >= depthList[i]) ends[open.pop()!] = i;
    open.push(i);
  }
  for (const i of open) ends[i] = nodes.length;
  return flatBodies.set(root, { nodes, parents: Int32Array.from(parentList), depths: Int32Array.from(depthList), ends });
}

/** `walkTree` over the body of a declaration (a probe's or function's body, an epilogue): the same visits, in the same order. */
export function walkBody(root: CodeNode, visit: (node: CodeNode, depth: number) => boolean | void): void {
  const { nodes, depths, ends } = flatBody(root);
  for (let i = 0; i < nodes.length;) i = visit(nodes[i], depths[i]) === false ? ends[i] : i + 1;
}

/** Calls `visit` on each node, parents first; a `false` return skips the node's children. */
export function walkCode(script: Script, visit: (node: CodeNode) => boolean | void): void {
  for (const item of script.items) {
    if (item.kind === 'probe') [item.body, item.epilogue].forEach((b) => b && walkBody(b, visit));
    if (item.kind === 'function' && item.body?.kind === 'block') walkBody(item.body, visit);
    if (item.kind === 'global') for (const v of item.vars) if (v.init) walkTree(v.init, visit);
  }
}
