// The code stap's pass 2 keeps and checks: the functions some probe reaches
// (in the order of their names, as stap visits them), then the probes' bodies
// in the file's order. Walks skip what an `@defined` guards: stap drops a
// missing target there without a word.

import { Expr, FunctionDecl, ProbeDecl, Script, Statement } from '../../syntax/ast';
import { BodyFacts, sameKey, unmoved } from '../../syntax/bodyFacts';
import { flatBody } from '../../syntax/walk';
import { Finding, movedFinding } from '../diagnostic';

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

/**
 * A check's findings in one body, computed once per body. They must depend on
 * the body and on `context` alone, since the tree does not change after the
 * parse and a declaration an edit leaves alone is the same object in the next
 * tree. Where the context may differ between analyses (the script's globals),
 * `keyOf` says what of it the findings depend on, compared element by element:
 * a body is checked again when that changed. The text needs no key: a body's
 * offsets are into the same text whenever the body is the same object. The
 * findings are shared between analyses: never change them.
 */
export function perBody<C>(check: (body: KeptBody, context: C) => Finding[], keyOf?: (context: C) => readonly unknown[]): (body: KeptBody, context: C) => readonly Finding[] {
  const found = new BodyFacts<{ key: readonly unknown[]; findings: readonly Finding[] }>((kept, d) =>
    kept.findings.length ? { key: kept.key, findings: kept.findings.map((f) => movedFinding(f, d)) } : kept,
  );
  const none: readonly unknown[] = [];
  return (body, context) => {
    const key = keyOf ? keyOf(context) : none;
    const known = found.get(body.root);
    if (known && sameKey(known.key, key)) return known.findings;
    return found.set(body.root, { key, findings: check(body, context) }).findings;
  };
}

/** What `walkUnguarded` visits of each body, as positions in its preorder layout (flatBody): found once per body. */
const unguardedBodies = new BodyFacts<{ kept: Int32Array; parents: Int32Array }>(unmoved);

function unguarded(root: Statement): { kept: Int32Array; parents: Int32Array } {
  const known = unguardedBodies.get(root);
  if (known) return known;
  const { nodes, parents, ends } = flatBody(root);
  const isDefined = (n: CodeNode) => n.kind === 'atOperator' && (n as Expr).text === '@defined';
  // The condition is the first child: in preorder, the node right after its parent.
  const conditionTestsDefined = (at: number) => {
    if (nodes[at].children.length === 0) return false;
    for (let i = at + 1; i < ends[at + 1]; i++) if (isDefined(nodes[i])) return true;
    return false;
  };
  const kept: number[] = [];
  for (let i = 0; i < nodes.length;) {
    const node = nodes[i];
    if (isDefined(node) || ((node.kind === 'if' || node.kind === 'ternary') && conditionTestsDefined(i))) {
      i = ends[i];
      continue;
    }
    kept.push(i);
    i++;
  }
  return unguardedBodies.set(root, { kept: Int32Array.from(kept), parents: Int32Array.from(kept, (i) => parents[i]) });
}

/** `walkUnguarded`, with each node's place in the body's layout (flatBody) instead of its parent. */
export function unguardedPlaces(root: Statement, visit: (node: CodeNode, at: number) => void): void {
  const { kept } = unguarded(root);
  const { nodes } = flatBody(root);
  for (let i = 0; i < kept.length; i++) visit(nodes[kept[i]], kept[i]);
}

/** Visits a body, parents first, leaving out `@defined(...)` and the `if`s and `?:`s whose condition tests one. */
export function walkUnguarded(root: Statement, visit: (node: CodeNode, parent: CodeNode | undefined) => void): void {
  const { kept, parents } = unguarded(root);
  const { nodes } = flatBody(root);
  for (let i = 0; i < kept.length; i++) visit(nodes[kept[i]], parents[i] < 0 ? undefined : nodes[parents[i]]);
}
