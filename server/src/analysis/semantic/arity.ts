// Array arity, as stap's symbol resolution fixes it before any type: each
// use of a global says how many indexes it has (none for a scalar), and the
// first use sets it. Uses are read in stap's order: a file's functions, then
// its probes.

import { Expr, FunctionDecl, ProbeDecl, Script, Statement, withoutSortMark } from '../../syntax/ast';
import { OffsetRange } from '../../syntax/diagnostic';
import { walkBody } from '../../syntax/walk';
import { Finding } from '../diagnostic';
import { VariableSymbol } from './types';

type Node = Statement | Expr;

export function checkArity(script: Script, globals: ReadonlyMap<string, VariableSymbol>): Finding[] {
  const findings: Finding[] = [];
  const reported = new Set<number>();
  let locals = new Map<string, VariableSymbol>();
  const use = (id: Expr, arity: number, shadowed: ReadonlySet<string>) => {
    const name = id.kind === 'identifier' ? withoutSortMark(id.text) : '';
    let v = shadowed.has(name) ? undefined : globals.get(name);
    if (!v) {
      // A local has an arity too: stap reports one used both ways here, and one used only as an array elsewhere ("missing global declaration").
      v = locals.get(name);
      if (!v) locals.set(name, (v = { name, kind: 'local', declared: id, value: {}, indexes: [] }));
    }
    const at: OffsetRange = { start: id.start, end: id.start + name.length };
    if (v.arity === undefined) {
      if (arity === 0 && v.declaredArray) return; // `global a[100]`: an array; stap judges the scalar use elsewhere
      v.arity = arity;
      v.aritySite = at;
      return;
    }
    if (v.arity === arity || reported.has(at.start)) return;
    reported.add(at.start);
    findings.push({
      ...at,
      severity: 'error',
      code: 'array-arity',
      message: `inconsistent arity (${v.arity} vs ${arity}): ${quoted(name)} is ${describe(v.arity)} elsewhere, ${describe(arity)} here`,
      related: [{ ...v.aritySite!, message: `arity ${v.arity} first inferred here` }],
    });
  };
  const visit = (root: Statement, shadowed: ReadonlySet<string>) => {
    locals = new Map();
    const handled = new Set<Expr>();
    const array = (a: Expr, arity: number) => {
      if (a.kind === 'index') {
        // A slice `arr[k, *]` walks the array it slices.
        handled.add(a);
        const base = a.children[0];
        if (base.kind === 'identifier') {
          handled.add(base);
          use(base, a.children.length - 1, shadowed);
        }
        return;
      }
      if (a.kind === 'identifier') {
        handled.add(a);
        use(a, arity, shadowed);
      }
    };
    walkBody(root, (node: Node) => {
      const e = node as Expr;
      if (handled.has(e)) {
        // Already judged as a whole: its children (slice keys) are ordinary values.
        if (e.kind === 'identifier') return false;
        if (e.kind === 'index') return true;
      }
      switch (node.kind) {
        case 'index':
          if (e.children[0].kind === 'identifier') array(e, e.children.length - 1);
          return true;
        case 'in':
          array(e.children[1], e.children[0].kind === 'tuple' ? e.children[0].children.length : 1);
          return true;
        case 'foreach': {
          const kids = node.children as Expr[];
          const keyAt = kids[0].kind === 'assign' ? 1 : 0;
          const keys = kids[keyAt].kind === 'tuple' ? kids[keyAt].children.length : 1;
          array(kids[keyAt + 1], keys);
          return true;
        }
        case 'delete': {
          const target = node.children[0] as Expr;
          if (target?.kind === 'identifier') handled.add(target);
          return true;
        }
        case 'member':
          for (const c of e.children.slice(1)) if (c.kind === 'identifier') handled.add(c);
          return true;
        case 'identifier':
          if (e.text !== '*') use(e, 0, shadowed);
          return true;
      }
      return true;
    });
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
