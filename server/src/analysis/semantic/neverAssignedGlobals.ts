// stap's pass-2 warning for a global that code reads and nothing assigns
// (elaborate.cxx, semantic_pass_opt2): "never-assigned global variable 'x'",
// at the global's declaration. As in stap, the code that counts is what
// probes keep: their bodies, their conditions, and the functions they reach
// (through the script's aliases too). A write is `=`, `<<<`, a compound
// assignment, `++`/`--`, `delete`, a `foreach` key, a `catch` variable, and a
// sorted `foreach` over the array (stap counts the sort as a write). A global
// with an initializer is never said, nor one `stap -G NAME=VALUE` sets;
// neither is one nothing reads, which stap drops without a word. Reads under
// an `@defined` guard count, as in stap.
// An alias's reads count where a probe names it as written; where unsure
// whether a body runs, its writes count and its reads do not. A probe whose
// every point is optional and finds nothing is dropped with its body: neither
// its writes nor its reads count.

import { Expr, FunctionDecl, GlobalVar, ProbeDecl, ProbePoint, Script, Statement, withoutSortMark } from '../../syntax/ast';
import { BodyFacts, unmoved } from '../../syntax/bodyFacts';
import { flatBody } from '../../syntax/walk';
import { Finding } from '../diagnostic';
import { CodeNode } from './keptCode';
import { VariableSymbol } from './types';

interface Root {
  node: CodeNode;
  /** A function's parameters, which hide globals of the same names. */
  hidden?: ReadonlySet<string>;
}

/** `dropped` gives the optional points that find nothing; it is asked only when a probe has no other. */
export function checkNeverAssignedGlobals(
  script: Script,
  text: string,
  globals: ReadonlyMap<string, VariableSymbol>,
  setOutside?: ReadonlySet<string>,
  dropped?: () => ReadonlySet<ProbePoint>,
): Finding[] {
  const declared = uninitializedGlobals(script);
  for (const name of setOutside ?? []) declared.delete(name);
  if (!declared.size) return [];
  const isDropped = (p: ProbeDecl) => !p.alias && !!dropped && p.points.length > 0 && p.points.every((pt) => (pt.optional || pt.sufficient) && dropped().has(pt));
  const probes = script.items.filter((i): i is ProbeDecl => i.kind === 'probe' && !isDropped(i));
  const functions = script.items.filter((i): i is FunctionDecl => i.kind === 'function' && i.body?.kind === 'block');
  const used = usedPointNames(probes);
  const isUsed = (alias: ProbeDecl) => alias.points.some((p) => used.has(pointName(p)));
  // What stap keeps for sure: the probes' bodies and conditions, the aliases they name as written, and the functions all these reach.
  // Another alias's body may run (where a glob or a longer point reaches it): its writes count, its reads are not sure.
  const kept = probes.filter((p) => !p.alias || isUsed(p)).flatMap(probeRoots);
  const others = probes.filter((p) => !!p.alias && !isUsed(p)).flatMap(probeRoots);
  const uses: Uses = { globals: declared, text, written: new Set(), reads: new Map() };
  walkReached(kept, functions, uses, true);
  walkReached(others, functions, uses, false);
  const { written, reads } = uses;
  const findings: Finding[] = [];
  for (const [name, read] of reads) {
    if (written.has(name)) continue;
    const decl = declared.get(name)!;
    findings.push({
      start: decl.start,
      end: decl.end,
      severity: 'warning',
      code: 'global-never-assigned',
      message: `never-assigned global variable '${name}': nothing assigns it, so ${emptyValue(globals.get(name))} (give it an initializer, or a value with stap -G ${name}=VALUE)`,
      related: [{ start: read.start, end: read.end, message: `'${name}' is read here` }],
    });
  }
  return findings.sort((a, b) => a.start - b.start);
}

/** The script's globals without an initializer, by name, at their first declaration. */
function uninitializedGlobals(script: Script): Map<string, GlobalVar> {
  const out = new Map<string, GlobalVar>();
  const initialized = new Set<string>();
  for (const item of script.items) {
    if (item.kind !== 'global') continue;
    for (const v of item.vars) {
      if (v.init) initialized.add(v.text);
      if (!out.has(v.text)) out.set(v.text, v);
    }
  }
  for (const name of initialized) out.delete(name);
  return out;
}

/** A point's components as written, without their parameters: `syscall.open`. */
function pointName(p: ProbePoint): string {
  return p.components.map((c) => c.name).join('.');
}

/** The points the probes (not the aliases) name, as written. */
function usedPointNames(probes: readonly ProbeDecl[]): Set<string> {
  return new Set(probes.filter((p) => !p.alias).flatMap((p) => p.points.map(pointName)));
}

function probeRoots(p: ProbeDecl): Root[] {
  const roots: Root[] = [];
  if (p.body) roots.push({ node: p.body });
  if (p.epilogue) roots.push({ node: p.epilogue });
  for (const point of p.points) if (point.condition) roots.push({ node: point.condition });
  return roots;
}

interface Uses {
  globals: ReadonlyMap<string, GlobalVar>;
  text: string;
  written: Set<string>;
  /** The first read of each global. */
  reads: Map<string, Expr>;
  /** The functions walked already, and whether their reads were counted. */
  walked?: Map<FunctionDecl, boolean>;
}

/** The roots, then the bodies of the script's functions they call, directly or not: each walked once for its calls and its uses. */
function walkReached(roots: Root[], functions: readonly FunctionDecl[], uses: Uses, countReads: boolean): void {
  const byName = new Map<string, FunctionDecl[]>();
  for (const f of functions) {
    const list = byName.get(f.name.text);
    if (list) list.push(f);
    else byName.set(f.name.text, [f]);
  }
  const walked = (uses.walked ??= new Map());
  const queue = [...roots];
  for (let i = 0; i < queue.length; i++) {
    const root = queue[i];
    collectUses(root, uses, countReads, (name) => {
      for (const f of byName.get(name) ?? []) {
        if (walked.has(f)) continue;
        walked.set(f, countReads);
        queue.push({ node: f.body as Statement, hidden: new Set(f.params.map((p) => p.text)) });
      }
    });
  }
}

/** A foreach key keeps its sort mark in its text (`k-`). */
function nameOf(e: Expr): string {
  return withoutSortMark(e.text);
}

/** The globals a body writes and reads, as stap's varuse visitor counts them, and the names it calls. */
function collectUses(root: Root, uses: Uses, countReads: boolean, called: (name: string) => void): void {
  const { globals, written, reads } = uses;
  const summary = usesIn(root, uses.text);
  for (const name of summary.calls) called(name);
  for (const name of summary.written) if (globals.has(name)) written.add(name);
  if (!countReads) return;
  const { nodes } = flatBody(root.node);
  for (const [name, at] of summary.firstReads) if (globals.has(name) && !reads.has(name)) reads.set(name, nodes[at] as Expr);
}

/**
 * What one body writes and reads of the names that are not its function's
 * parameters, in the order it walks them, and whom it calls: found once per
 * body (bodyFacts.ts), whatever the script's globals are. Reads are by the
 * position of the node in the body's layout (flatBody).
 */
interface BodyUses {
  calls: readonly string[];
  written: ReadonlySet<string>;
  firstReads: ReadonlyMap<string, number>;
}

const usesInBody = new BodyFacts<BodyUses>(unmoved);

function usesIn(root: Root, text: string): BodyUses {
  return usesInBody.of(root.node, () => findUses(root, text));
}

function findUses(root: Root, text: string): BodyUses {
  const calls: string[] = [];
  const written = new Set<string>();
  const firstReads = new Map<string, number>();
  /** Identifiers that are only written (`x = ...`, `foreach (x in ...)`): not reads. */
  const writeOnly = new Set<Expr>();
  const isVariable = (e: Expr | undefined): e is Expr => !!e && e.kind === 'identifier' && !root.hidden?.has(nameOf(e));
  const write = (e: Expr | undefined, pure: boolean) => {
    const base = storageOf(e);
    if (!isVariable(base)) return;
    written.add(nameOf(base));
    if (pure) writeOnly.add(base);
  };
  const { nodes } = flatBody(root.node);
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i];
    const e = node as Expr;
    switch (node.kind) {
      case 'call':
        calls.push(e.text);
        break;
      case 'assign':
        write(e.children[0], e.text === '=' || e.text === '<<<');
        break;
      case 'unary':
      case 'postfix':
        if (e.text === '++' || e.text === '--') write(e.children[0], false);
        break;
      case 'delete':
        write(node.children[0] as Expr, false);
        break;
      case 'foreach': {
        const kids = node.children as Expr[];
        const keyAt = kids[0]?.kind === 'assign' ? 1 : 0;
        const keys = kids[keyAt]?.kind === 'tuple' ? kids[keyAt].children : [kids[keyAt]];
        for (const k of keys) write(k, true);
        const array = kids[keyAt + 1];
        const value = keyAt ? kids[0].children[0] : undefined;
        const sorted = [...keys, value].some((k) => !!k && nameOf(k) !== k.text) || (!!array && sortMarkAt(text, array.end));
        // `foreach (k in a-)`, `in a @sum+`: the parser keeps that mark only in the text after the array.
        if (sorted) write(array, false);
        break;
      }
      case 'try':
        if (node.children.length === 3) write(node.children[1] as Expr, true);
        break;
      case 'identifier':
        if (isVariable(e) && !writeOnly.has(e) && !firstReads.has(nameOf(e))) firstReads.set(nameOf(e), i);
        break;
    }
  }
  return { calls, written, firstReads };
}

/** The variable an lvalue stores into: `x`, the array of `x[k]`, through parentheses. */
function storageOf(e: Expr | undefined): Expr | undefined {
  while (e && e.kind === 'paren') e = e.children[0];
  if (e?.kind === 'index') e = e.children[0];
  return e;
}

const SORT_MARK = /\s*(?:@\w+\s*)?[+-]/y;

function sortMarkAt(text: string, offset: number): boolean {
  SORT_MARK.lastIndex = offset;
  return SORT_MARK.test(text);
}

function emptyValue(v: VariableSymbol | undefined): string {
  if (v?.arity) return 'it is always empty';
  if (v?.value.type === 'stats') return 'it never holds a value';
  return 'it is always 0 or ""';
}
