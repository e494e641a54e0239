// What a body may read of its probe, as stap's pass 2 decides without the
// kernel: `@entry(...)` only in `.return` probes (never in a function, nor in
// begin/end/timer/procfs, nor where a kernel function is probed on entry:
// stap leaves it unexpanded there and rejects it); no target variable in a
// function (stap gives them only to probes); in procfs probes, `$value` is
// write-only when the file is read (the probe fills it) and read-only when
// the file is written.

import { Expr, ProbeDecl, ProbePoint, Script } from '../../syntax/ast';
import { Finding } from '../diagnostic';
import { kernelProbePoint } from '../kernelProbes';
import { probeKind } from './probeKinds';
import { CodeNode, keptBodies, perBody, walkUnguarded } from './keptCode';

type ProcfsDirection = 'read' | 'write' | undefined;

function procfsDirection(probe: ProbeDecl): ProcfsDirection {
  const directions = new Set(probe.points.map((p) => p.components[1]?.name));
  const [only] = directions;
  return directions.size === 1 && (only === 'read' || only === 'write') ? only : undefined;
}

/** Whether `node` is the storage its parent writes: the left of an assignment, or the operand of `++`/`--`. */
function writeOf(node: CodeNode, parent: CodeNode | undefined): string | undefined {
  if (!parent) return undefined;
  const p = parent as Expr;
  if (p.kind === 'assign' && p.children[0] === node && p.children.length === 2) return p.text;
  if ((p.kind === 'unary' || p.kind === 'postfix') && (p.text === '++' || p.text === '--')) return p.text;
  return undefined;
}

/**
 * The first point of a probe that runs at a kernel function's entry
 * (`kernel.function("f")`, `.call`, `kprobe.function("f")`, ...: no
 * `.return`), where stap has no return to save an `@entry` value for. An
 * optional point may find nothing and leave the probe out: it is not counted.
 */
function functionEntryPoint(probe: ProbeDecl, text: string): ProbePoint | undefined {
  if (probe.alias) return undefined;
  return probe.points.find((p) => {
    if (p.optional || p.sufficient) return false;
    const k = kernelProbePoint(p, text);
    return k !== undefined && k.kind !== 'trace' && !k.isReturn;
  });
}

export function checkProbeContext(script: Script, text: string, reached: ReadonlySet<string>): Finding[] {
  return keptBodies(script, reached).flatMap((body) => contextProblemsIn(body, text));
}

const contextProblemsIn = perBody((body, text: string) => {
  const findings: Finding[] = [];
  const report = (e: Expr, code: Finding['code'], message: string) =>
    findings.push({ start: e.start, end: e.kind === 'atOperator' ? e.start + e.text.length : e.end, severity: 'error', code, message });
  const kind = body.probe ? probeKind(body.probe, text) : undefined;
  const onEntry = body.probe && !kind?.builtIn ? functionEntryPoint(body.probe, text) : undefined;
  // Only where stap's verdict needs no kernel: functions, stap's own probe
  // points, and @entry where a kernel function is probed on entry.
  if (body.probe && !kind?.builtIn && !onEntry) return findings;
  const noEntry = onEntry
    ? `${text.slice(onEntry.start, onEntry.end)} is probed on entry, where the value can be read as it is`
    : `${body.fn ? `function '${body.fn.name.text}'` : `a ${kind!.name} probe`} has no entry to save a value from`;
  const direction = kind?.procfs ? procfsDirection(body.probe!) : undefined;
  walkUnguarded(body.root, (node, parent) => {
    const e = node as Expr;
    if (e.kind === 'atOperator' && e.text === '@entry') report(e, 'entry-outside-return', `@entry is only valid in .return probes: ${noEntry}`);
    if (e.kind === 'target' && body.fn)
      report(e, 'target-unresolved', `unresolved target-symbol expression: '${e.text}': a function has no target variables; pass the value as an argument from the probe`);
    if (e.kind === 'target' && e.text === '$value' && direction) {
      const op = writeOf(node, parent);
      if (direction === 'read' && !op) report(e, 'procfs-value', `procfs $value variable cannot be read in a procfs read probe: the probe fills '$value' with what reading the file returns`);
      if (direction === 'write' && op) report(e, 'procfs-value', `procfs $value variable is read-only in a procfs write probe: '$value' holds what was written to the file`);
    }
  });
  return findings;
});
