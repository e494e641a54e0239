// stap refuses a `foreach` whose body changes the array it walks: an element
// assigned, incremented, aggregated or deleted, the array deleted, or a call
// of a function whose own body writes that array (stap 4.8 looks one call
// deep, not through the calls that function makes).

import { Expr, FunctionDecl, ProbeDecl, Script, Statement } from '../../syntax/ast';
import { BodyFacts, unmoved } from '../../syntax/bodyFacts';
import { flatBody } from '../../syntax/walk';
import { Finding } from '../diagnostic';
import { VariableSymbol } from './types';

type Node = Statement | Expr;

/** The array a write names: `a`, `a[k]`; undefined when the left side is anything else. */
function writtenArray(target: Expr | undefined): Expr | undefined {
  if (!target) return undefined;
  const base = target.kind === 'index' ? target.children[0] : target;
  return base?.kind === 'identifier' ? base : undefined;
}

/** The variable a node writes, if it is a write: assignments, `++`/`--`, `<<<`, `delete`. */
function writeTarget(node: Node): Expr | undefined {
  if (node.kind === 'assign' && node.children.length === 2) return writtenArray(node.children[0] as Expr);
  if ((node.kind === 'unary' || node.kind === 'postfix') && ((node as Expr).text === '++' || (node as Expr).text === '--')) return writtenArray(node.children[0] as Expr);
  if (node.kind === 'delete') return writtenArray(node.children[0] as Expr);
  return undefined;
}

/** The names a body writes, kept with it (bodyFacts.ts). */
const writtenNamesIn = new BodyFacts<ReadonlySet<string>>(unmoved);

function writtenNames(root: Statement): ReadonlySet<string> {
  return writtenNamesIn.of(root, () => {
    const names = new Set<string>();
    for (const node of flatBody(root).nodes) {
      const target = writeTarget(node);
      if (target) names.add(target.text);
    }
    return names;
  });
}

/** A `foreach` of a body, by positions in the body's layout (flatBody): what the check needs of it, whatever the globals are. */
interface Loop {
  /** The array it walks, by name, when it is a plain name (`a`, `a[k, *]`). */
  array: string;
  /** The first write of that name in the loop's body, if any. */
  firstWrite?: number;
  /** The calls in the loop's body, in order, and their names. */
  calls: readonly number[];
}

/** Each body's loops, found once (bodyFacts.ts): most bodies have none, and are not walked again. */
const loopsIn = new BodyFacts<readonly Loop[]>(unmoved);

function loopsOf(root: Statement): readonly Loop[] {
  return loopsIn.of(root, () => {
    const { nodes, ends } = flatBody(root);
    const loops: Loop[] = [];
    for (let i = 0; i < nodes.length; i++) {
      const node = nodes[i];
      if (node.kind !== 'foreach') continue;
      const kids = node.children as Expr[];
      const keyAt = kids[0].kind === 'assign' ? 1 : 0;
      const array = writtenArray(kids[keyAt + 1]);
      if (!array || kids.length < keyAt + 3) continue; // no body
      // The loop's body is its last child: the last subtree of the loop's range.
      let bodyAt = i + 1;
      while (ends[bodyAt] < ends[i]) bodyAt = ends[bodyAt];
      let firstWrite: number | undefined;
      const calls: number[] = [];
      for (let k = bodyAt; k < ends[bodyAt]; k++) {
        if (nodes[k].kind === 'call') calls.push(k);
        const target = writeTarget(nodes[k]);
        // The first in the text. The target is the write's first child (next in the layout), or that child's first child (`a[k]`).
        if (target?.text === array.text && (firstWrite === undefined || target.start < nodes[firstWrite].start)) firstWrite = nodes[k + 1] === target ? k + 1 : k + 2;
      }
      loops.push({ array: array.text, firstWrite, calls });
    }
    return loops;
  });
}

/**
 * The loops in the probes and in the functions stap keeps (`reached`) that
 * write the global array they walk; one finding per loop, at its first write.
 */
export function checkForeachMutation(script: Script, globals: ReadonlyMap<string, VariableSymbol>, reached: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const functions = script.items.filter((i): i is FunctionDecl => i.kind === 'function' && i.body?.kind === 'block');
  const firstNamed = new Map<string, FunctionDecl>();
  for (const fn of functions) if (!firstNamed.has(fn.name.text)) firstNamed.set(fn.name.text, fn);
  // The globals each function's own body writes (its parameters shadow them): found for the functions loops call.
  const writtenBy = new Map<string, ReadonlySet<string> | undefined>();
  const writes = (name: string): ReadonlySet<string> | undefined => {
    if (writtenBy.has(name)) return writtenBy.get(name);
    const fn = firstNamed.get(name);
    const params = fn && new Set(fn.params.map((p) => p.text));
    const written = fn && new Set([...writtenNames(fn.body as Statement)].filter((n) => globals.has(n) && !params!.has(n)));
    writtenBy.set(name, written);
    return written;
  };
  const check = (root: Statement, shadowed: ReadonlySet<string>) => {
    const loops = loopsOf(root);
    if (!loops.length) return;
    const { nodes } = flatBody(root);
    for (const loop of loops) {
      const name = loop.array;
      if (!globals.has(name) || shadowed.has(name)) continue;
      let first: Finding | undefined;
      const consider = (f: Finding) => {
        if (!first || f.start < first.start) first = f;
      };
      if (loop.firstWrite !== undefined) {
        const w = nodes[loop.firstWrite];
        consider({ start: w.start, end: w.end, severity: 'error', code: 'foreach-modified', message: `variable '${name}' modified during 'foreach' iteration` });
      }
      for (const k of loop.calls) {
        const call = nodes[k] as Expr;
        if (!writes(call.text)?.has(name)) continue;
        consider({
          start: call.start,
          end: call.start + call.text.length,
          severity: 'error',
          code: 'foreach-modified',
          message: `function call modifies var '${name}' during 'foreach' iteration: '${call.text}' writes '${name}'`,
        });
      }
      if (first) findings.push(first);
    }
  };
  const none = new Set<string>();
  for (const fn of functions) if (reached.has(fn.name.text)) check(fn.body as Statement, new Set(fn.params.map((p) => p.text)));
  for (const item of script.items) {
    if (item.kind !== 'probe') continue;
    const probe = item as ProbeDecl;
    if (probe.body) check(probe.body, none);
    if (probe.epilogue) check(probe.epilogue, none);
  }
  return findings;
}
