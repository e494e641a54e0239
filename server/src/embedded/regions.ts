// Finds every `%{ ... %}` region of a script and the context it sits in: top
// level C, the body of an embedded-C function, or a `%{ expr %}` expression.

import { EmbeddedCode, Expr, FunctionDecl, Script, Statement } from '../syntax/ast';
import { BodyFacts, unmoved } from '../syntax/bodyFacts';
import { flatBody, walkTree } from '../syntax/walk';

export type RegionContext = { kind: 'topLevel' } | { kind: 'functionBody'; fn: FunctionDecl } | { kind: 'expression'; fn?: FunctionDecl };

export interface EmbeddedRegion {
  code: EmbeddedCode;
  context: RegionContext;
}

/** `remember`: keep what each body holds for the next analysis of the same tree (the editor's); a one-time check walks each body once and need not. */
export function findEmbeddedRegions(script: Script, remember = false): EmbeddedRegion[] {
  const regions: EmbeddedRegion[] = [];
  const visit = (root: Statement | undefined, fn: FunctionDecl | undefined) => {
    if (!root) return;
    for (const code of embeddedIn(root, remember)) regions.push({ code, context: { kind: 'expression', fn } });
  };
  for (const item of script.items) {
    if (item.kind === 'embedded') regions.push({ code: item, context: { kind: 'topLevel' } });
    else if (item.kind === 'function') {
      if (item.body?.kind === 'embedded') regions.push({ code: item.body, context: { kind: 'functionBody', fn: item } });
      else visit(item.body, item);
    } else if (item.kind === 'probe') {
      visit(item.body, undefined);
      visit(item.epilogue, undefined);
    }
  }
  return regions.sort((a, b) => a.code.start - b.code.start);
}

const NONE: readonly EmbeddedCode[] = [];

/** Where each body's `%{ %}` expressions stand in its preorder layout (flatBody): found once per body (bodyFacts.ts). */
const embeddedAt = new BodyFacts<Int32Array>(unmoved);

function embeddedIn(root: Statement, remember: boolean): readonly EmbeddedCode[] {
  const known = embeddedAt.get(root);
  if (known) return known.length ? Array.from(known, (i) => (flatBody(root).nodes[i] as Expr).embedded!) : NONE;
  if (!remember) {
    const found: EmbeddedCode[] = [];
    walkTree(root, (node) => {
      if (!isEmbedded(node)) return true;
      found.push(node.embedded!);
      return false;
    });
    return found;
  }
  const { nodes } = flatBody(root);
  const at: number[] = [];
  for (let i = 0; i < nodes.length; i++) if (isEmbedded(nodes[i])) at.push(i);
  embeddedAt.set(root, Int32Array.from(at));
  return at.length ? at.map((i) => (nodes[i] as Expr).embedded!) : NONE;
}

const isEmbedded = (node: Statement | Expr): node is Expr => node.kind === 'embeddedExpr' && 'embedded' in node && !!node.embedded;
