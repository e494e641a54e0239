// Array arity, as stap's symbol resolution fixes it before any type: each
// use of a global says how many indexes it has (none for a scalar), and the
// first use sets it. Uses are read in stap's order: a file's functions, then
// its probes.

import { Expr, FunctionDecl, ProbeDecl, Script, Statement, withoutSortMark } from '../../syntax/ast';
import { BodyFacts, unmoved } from '../../syntax/bodyFacts';
import { flatBody } from '../../syntax/walk';
import { Finding } from '../diagnostic';
import { VariableSymbol } from './types';

/**
 * What a body says of arities, in stap's order: each use of a name (a
 * scalar, an array with its number of indexes), by the name and its place in
 * the body's layout (walk.ts). It depends on the body alone: kept with it.
 */
interface ArityUses {
  names: string[];
  arities: number[];
  at: number[];
}

const arityUsesIn = new BodyFacts<ArityUses>(unmoved);

function arityUses(root: Statement): ArityUses {
  return arityUsesIn.of(root, () => findArityUses(root));
}

function findArityUses(root: Statement): ArityUses {
  const { nodes, ends } = flatBody(root);
  const uses: ArityUses = { names: [], arities: [], at: [] };
  // Identifiers and slices judged as a whole, by their place in the layout.
  const handled = new Set<number>();
  /** The place of the `k`th child of the node at `i`. */
  const childAt = (i: number, k: number) => {
    let j = i + 1;
    for (; k > 0; k--) j = ends[j];
    return j;
  };
  const use = (at: number, arity: number) => {
    const id = nodes[at] as Expr;
    uses.names.push(id.kind === 'identifier' ? withoutSortMark(id.text) : '');
    uses.arities.push(arity);
    uses.at.push(at);
  };
  const array = (at: number, arity: number) => {
    const a = nodes[at] as Expr;
    if (a.kind === 'index') {
      // A slice `arr[k, *]` walks the array it slices.
      handled.add(at);
      if (a.children[0].kind === 'identifier') {
        handled.add(at + 1);
        use(at + 1, a.children.length - 1);
      }
      return;
    }
    if (a.kind === 'identifier') {
      handled.add(at);
      use(at, arity);
    }
  };
  /** Whether to go into the children of the node at `i`. */
  const visit = (i: number): boolean => {
    const node = nodes[i];
    const e = node as Expr;
    if (handled.has(i)) {
      // Already judged as a whole: its children (slice keys) are ordinary values.
      if (e.kind === 'identifier') return false;
      if (e.kind === 'index') return true;
    }
    switch (node.kind) {
      case 'index':
        if (e.children[0].kind === 'identifier') array(i, e.children.length - 1);
        return true;
      case 'in':
        array(childAt(i, 1), e.children[0].kind === 'tuple' ? e.children[0].children.length : 1);
        return true;
      case 'foreach': {
        const kids = node.children as Expr[];
        const keyAt = kids[0].kind === 'assign' ? 1 : 0;
        const keys = kids[keyAt].kind === 'tuple' ? kids[keyAt].children.length : 1;
        array(childAt(i, keyAt + 1), keys);
        return true;
      }
      case 'delete':
        if (node.children[0]?.kind === 'identifier') handled.add(i + 1);
        return true;
      case 'member':
        for (let k = 1; k < e.children.length; k++) if (e.children[k].kind === 'identifier') handled.add(childAt(i, k));
        return true;
      case 'identifier':
        if (e.text !== '*') use(i, 0);
        return true;
    }
    return true;
  };
  for (let i = 0; i < nodes.length;) i = visit(i) ? i + 1 : ends[i];
  return uses;
}

export function checkArity(script: Script, globals: ReadonlyMap<string, VariableSymbol>): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<number>();
  const locals = new Map<string, VariableSymbol>();
  const use = (name: string, start: number, arity: number, shadowed: ReadonlySet<string>) => {
    let v = shadowed.has(name) ? undefined : globals.get(name);
    const end = start + name.length;
    if (!v) {
      // A local has an arity too: stap reports one used both ways here, and one used only as an array elsewhere ("missing global declaration").
      v = locals.get(name);
      if (!v) locals.set(name, (v = { name, kind: 'local', declared: { start, end }, value: {}, indexes: [] }));
    }
    if (v.arity === undefined) {
      if (arity === 0 && v.declaredArray) return; // `global a[100]`: an array; stap judges the scalar use elsewhere
      v.arity = arity;
      v.aritySite = { start, end };
      return;
    }
    if (v.arity === arity || reported.has(start)) return;
    reported.add(start);
    findings.push({
      start,
      end,
      severity: 'error',
      code: 'array-arity',
      message: `inconsistent arity (${v.arity} vs ${arity}): ${quoted(name)} is ${describe(v.arity)} elsewhere, ${describe(arity)} here`,
      related: [{ ...v.aritySite!, message: `arity ${v.arity} first inferred here` }],
    });
  };
  const visit = (root: Statement, shadowed: ReadonlySet<string>) => {
    locals.clear(); // each body its own locals
    const { names, arities, at } = arityUses(root);
    const { nodes } = flatBody(root);
    for (let k = 0; k < names.length; k++) use(names[k], nodes[at[k]].start, arities[k], shadowed);
  };
  const none = new Set<string>();
  for (const item of script.items) {
    if (item.kind === 'function' && item.body?.kind === 'block') visit(item.body, new Set((item as FunctionDecl).params.map((p) => p.text)));
  }
  for (const item of script.items) {
    if (item.kind !== 'probe') continue;
    const probe = item as ProbeDecl;
    if (probe.body) visit(probe.body, none);
    if (probe.epilogue) visit(probe.epilogue, none);
  }
  return findings;
}

const quoted = (s: string) => `'${s}'`;
const describe = (arity: number) => (arity === 0 ? 'a scalar' : `an array of ${arity} ${arity === 1 ? 'index' : 'indexes'}`);
