// stap refuses a `foreach` whose body changes the array it walks: an element
// assigned, incremented, aggregated or deleted, the array deleted, or a call
// of a function whose own body writes that array (stap 4.8 looks one call
// deep, not through the calls that function makes).

import { Expr, FunctionDecl, ProbeDecl, Script, Statement } from '../../syntax/ast';
import { BodyFacts, unmoved } from '../../syntax/bodyFacts';
import { flatBody, walkBody, walkTree } from '../../syntax/walk';
import { Finding } from '../diagnostic';
import { VariableSymbol } from './types';

type Node = Statement | Expr;

/** The array a write names: `a`, `a[k]`; undefined when the left side is anything else. */
function writtenArray(target: Expr | undefined): Expr | undefined {
  if (!target) return undefined;
  const base = target.kind === 'index' ? target.children[0] : target;
  return base?.kind === 'identifier' ? base : undefined;
}

/** Each write of a variable in a body, in the order of the text: assignments, `++`/`--`, `<<<`, `delete`. */
function writes(root: Statement): Expr[] {
  const found: Expr[] = [];
  walkBody(root, (node: Node) => {
    let target: Expr | undefined;
    if (node.kind === 'assign' && node.children.length === 2) target = writtenArray(node.children[0] as Expr);
    else if ((node.kind === 'unary' || node.kind === 'postfix') && ((node as Expr).text === '++' || (node as Expr).text === '--')) target = writtenArray(node.children[0] as Expr);
    else if (node.kind === 'delete') target = writtenArray(node.children[0] as Expr);
    if (target) found.push(target);
  });
  return found.sort((a, b) => a.start - b.start);
}

/** The names a body writes, kept with it (bodyFacts.ts). */
const writtenNamesIn = new BodyFacts<ReadonlySet<string>>(unmoved);

function writtenNames(root: Statement): ReadonlySet<string> {
  return writtenNamesIn.of(root, () => new Set(writes(root).map((w) => w.text)));
}

/** Whether a body has a `foreach` at all, kept with it: most have none, and are not walked again. */
const hasForeachIn = new BodyFacts<boolean>(unmoved);

function hasForeach(root: Statement): boolean {
  return hasForeachIn.of(root, () => flatBody(root).nodes.some((n) => n.kind === 'foreach'));
}

/**
 * The loops in the probes and in the functions stap keeps (`reached`) that
 * write the global array they walk; one finding per loop, at its first write.
 */
export function checkForeachMutation(script: Script, globals: ReadonlyMap<string, VariableSymbol>, reached: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const functions = script.items.filter((i): i is FunctionDecl => i.kind === 'function' && i.body?.kind === 'block');
  // The globals each function's own body writes (its parameters shadow them).
  const writtenBy = new Map<string, Set<string>>();
  for (const fn of functions) {
    if (writtenBy.has(fn.name.text)) continue;
    const params = new Set(fn.params.map((p) => p.text));
    writtenBy.set(fn.name.text, new Set([...writtenNames(fn.body as Statement)].filter((n) => globals.has(n) && !params.has(n))));
  }
  const check = (root: Statement, shadowed: ReadonlySet<string>) => {
    if (!hasForeach(root)) return;
    walkBody(root, (node: Node) => {
      if (node.kind !== 'foreach') return true;
      const kids = node.children as Expr[];
      const keyAt = kids[0].kind === 'assign' ? 1 : 0;
      const array = writtenArray(kids[keyAt + 1]);
      const body = kids[kids.length - 1] as unknown as Statement;
      if (!array || !globals.has(array.text) || shadowed.has(array.text) || !body) return true;
      const name = array.text;
      let first: Finding | undefined;
      const consider = (f: Finding) => {
        if (!first || f.start < first.start) first = f;
      };
      for (const w of writes(body)) {
        if (w.text === name) {
          consider({ start: w.start, end: w.end, severity: 'error', code: 'foreach-modified', message: `variable '${name}' modified during 'foreach' iteration` });
          break;
        }
      }
      walkTree(body, (n: Node) => {
        if (n.kind === 'call' && writtenBy.get((n as Expr).text)?.has(name)) {
          const call = n as Expr;
          consider({
            start: call.start,
            end: call.start + call.text.length,
            severity: 'error',
            code: 'foreach-modified',
            message: `function call modifies var '${name}' during 'foreach' iteration: '${call.text}' writes '${name}'`,
          });
        }
      });
      if (first) findings.push(first);
      return true;
    });
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
