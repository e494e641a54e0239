// The warnings stap's pass 2 prints as it trims a script (elaborate.cxx,
// semantic_pass_opt3 and the symbol checks): an assignment to a local that
// nothing reads is elided ("Eliding assignment to 'x'", at the operator),
// and a local read where nothing ever assigns it is "never-assigned". Given
// as hints, faded where the code goes away. Only `=` and `<<<` are pure
// writes; `+=`, `.=`, `++` and the like read the variable too. What the
// elisions make unread in turn, stap removes without a word.

import { Expr, Script, Statement, withoutSortMark } from '../../syntax/ast';
import { walkBody, walkTree } from '../../syntax/walk';
import { Finding } from '../diagnostic';
import { CodeNode, keptBodies, perBody } from './keptCode';
import { probeKind } from './probeKinds';
import { VariableSymbol } from './types';

interface Assignment {
  node: Expr;
  name: string;
}

export function checkElision(script: Script, text: string, reached: ReadonlySet<string>, globals: ReadonlyMap<string, VariableSymbol>, libraryGlobals?: ReadonlySet<string>): Finding[] {
  const context: ElisionContext = { text, globals, libraryGlobals, globalNames: [...globals.keys()].join(' ') };
  return keptBodies(script, reached).flatMap((body) => (body.probe?.alias || body.probe?.epilogue === body.root ? [] : elisionsIn(body, context)));
}

interface ElisionContext {
  text: string;
  globals: ReadonlyMap<string, VariableSymbol>;
  libraryGlobals?: ReadonlySet<string>;
  /** What a body's findings depend on besides the body: which names are globals. */
  globalNames: string;
}

const elisionsIn = perBody(
  (body, { text, globals, libraryGlobals }: ElisionContext) => {
    const findings: Finding[] = [];
    const isGlobal = (name: string) => globals.has(name) || !!libraryGlobals?.has(name);
    // A probe on an alias shares the alias's locals, which may assign what the probe reads: "never assigned" only where the points are stap's own.
    // Without the library's globals, a name read here may be one of them (`argv`): then nothing is said.
    const ownLocals = !!libraryGlobals && (!body.probe || probeKind(body.probe, text).builtIn);
    const roots: Statement[] = [body.root];
    if (body.probe?.epilogue) roots.push(body.probe.epilogue);
    const params = new Set(body.fn?.params.map((p) => p.text) ?? []);
    const reads = new Map<Expr, string>();
    const written = new Set<string>(params);
    const assignments: Assignment[] = [];
    let opaque = false;
    for (const root of roots)
      walkBody(root, (node) => {
        if (node.kind === 'embeddedExpr') opaque = true;
        return !opaque;
      });
    for (const root of roots)
      walkBody(root, (node) => {
        if (node.kind === 'foreach') {
          const kids = node.children as Expr[];
          const keyAt = kids[0]?.kind === 'assign' ? 1 : 0;
          if (keyAt && kids[0].children[0]) written.add(withoutSortMark(kids[0].children[0].text));
          const keys = kids[keyAt].kind === 'tuple' ? kids[keyAt].children : [kids[keyAt]];
          for (const k of keys) written.add(withoutSortMark(k.text));
          // The keys are names, not reads; the array and the limit are read; the body is walked as any statement.
          for (const c of kids.slice(keyAt + 1)) if (!isStatement(c)) walkReads(c, reads, written, assignments, isGlobal);
          return undefined;
        }
        if (node.kind === 'try' && node.children.length === 3) written.add((node.children[1] as Expr).text);
        if (node.kind === 'exprStatement' || node.kind === 'if' || node.kind === 'while' || node.kind === 'for' || node.kind === 'return' || node.kind === 'delete') {
          for (const c of node.children) if (!isStatement(c)) walkReads(c as Expr, reads, written, assignments, isGlobal);
          return node.children.some(isStatement) ? undefined : false;
        }
        return undefined;
      });
    // Embedded C may read anything through its STAP_ macros: nothing is said.
    if (opaque) return findings;
    const readNames = new Set(reads.values());
    const elided = assignments.filter((a) => !readNames.has(a.name));
    for (const a of elided.sort((x, y) => x.node.start - y.node.start)) {
      const at = text.indexOf(a.node.text, a.node.children[0].end);
      if (at < 0) continue;
      findings.push({
        start: at,
        end: at + a.node.text.length,
        severity: 'hint',
        code: 'elided-assignment',
        message: `Eliding assignment to '${a.name}': nothing reads '${a.name}' after it, so stap drops the assignment`,
        tags: ['unnecessary'],
      });
    }
    const reported = new Set<string>();
    for (const [read, name] of [...reads].sort((x, y) => x[0].start - y[0].start)) {
      if (!ownLocals || written.has(name) || reported.has(name) || isGlobal(name)) continue;
      reported.add(name);
      findings.push({
        start: read.start,
        end: read.end,
        severity: 'warning',
        code: 'local-never-assigned',
        message: `never-assigned local variable '${name}': nothing in this ${body.fn ? 'function' : 'probe'} assigns it, so it is always 0 or ""`,
      });
    }
    return findings;
  },
  ({ globalNames, libraryGlobals }) => [globalNames, libraryGlobals],
);

function isStatement(n: CodeNode): boolean {
  return ['block', 'empty', 'if', 'while', 'for', 'foreach', 'delete', 'next', 'break', 'continue', 'return', 'try', 'exprStatement'].includes(n.kind);
}

/** The reads and writes of locals in one expression. */
function walkReads(root: Expr, reads: Map<Expr, string>, written: Set<string>, assignments: Assignment[], isGlobal: (name: string) => boolean): void {
  walkTree(root, (node) => {
    const e = node as Expr;
    if (e.kind === 'assign' && e.children.length === 2) {
      const [left, right] = e.children;
      if (left.kind === 'identifier' && !isGlobal(left.text)) {
        written.add(left.text);
        if (e.text === '=' || e.text === '<<<') {
          assignments.push({ node: e, name: left.text });
          walkReads(right, reads, written, assignments, isGlobal);
          return false;
        }
      }
    }
    if ((e.kind === 'unary' || e.kind === 'postfix') && (e.text === '++' || e.text === '--') && e.children[0]?.kind === 'identifier') written.add(e.children[0].text);
    if (e.kind === 'identifier' && !isGlobal(e.text) && e.text !== '*') reads.set(e, e.text);
    // An array is a global, whatever its name; a member's names are the C type's, not variables.
    if (e.kind === 'index') {
      for (const k of e.children.slice(1)) walkReads(k, reads, written, assignments, isGlobal);
      return false;
    }
    if (e.kind === 'member') {
      if (e.children[0]) walkReads(e.children[0], reads, written, assignments, isGlobal);
      return false;
    }
    return true;
  });
}
