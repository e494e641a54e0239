// What of the kernel the cursor is on, for completion and hover: the string
// of a kernel probe point (`kernel.function("ip_o|`), the probe a body
// belongs to and what that probe gives it (`$skb`), and the type a member
// chain reaches, in the script and in the C of a `%{ %}` region.

import { Analysis } from '../analysis/analyze';
import { castTarget, chainType, ProbeTarget, probeTargets, stepsFrom } from '../analysis/kernelTargets';
import { kernelProbePoints } from '../analysis/kernelProbes';
import { CTypedVariable } from '../embedded/cFacts';
import { KernelTypes, TypeRef } from '../kernel/kernelTypes';
import { ProbeDecl } from '../syntax/ast';
import { chainBefore, MemberChain } from './memberChain';

/** At most this many names go over the wire; the list says it is incomplete and the editor asks again as the user types. */
export const KERNEL_NAME_LIMIT = 200;

/** The string of a kernel probe point: what it names, and where its text is. */
export interface ProbeString {
  /** A function of the kernel (or of `module`), a tracepoint, or the module's name itself. */
  names: 'function' | 'trace' | 'module';
  module?: string;
  /** The text inside the quotes (the closing one may be missing). */
  start: number;
  end: number;
}

// `kernel.function("`, `kprobe.function("`, `module("m").function("`, `kprobe.module("m").function("`, `kernel.trace("`.
const POINT_BEFORE = /(?:\b(kernel|kprobe)\s*\.\s*|\b(?:kprobe\s*\.\s*)?module\s*\(\s*"([\w-]+)"\s*\)\s*\.\s*)(function|trace)\s*\(\s*$/;
const MODULE_BEFORE = /\bmodule\s*\(\s*$/;

/** The probe point string around `offset`, when it names something of the kernel. */
export function probeStringAt(text: string, offset: number): ProbeString | undefined {
  let open = offset - 1;
  while (open >= 0 && text[open] !== '"' && text[open] !== '\n' && offset - open < 512) open--;
  if (text[open] !== '"') return undefined;
  let end = offset;
  while (end < text.length && /[^"\n\s)]/.test(text[end])) end++;
  const before = text.slice(Math.max(0, open - 200), open);
  if (MODULE_BEFORE.test(before)) return { names: 'module', start: open + 1, end };
  const m = POINT_BEFORE.exec(before);
  if (!m) return undefined;
  const [, root, module, component] = m;
  if (component === 'trace' && root !== 'kernel') return undefined;
  return { names: component === 'trace' ? 'trace' : 'function', module, start: open + 1, end };
}

/** The probe whose body (or header) holds `offset`. */
export function probeAt(analysis: Analysis, offset: number): ProbeDecl | undefined {
  for (const item of analysis.script.items) {
    if (item.kind === 'probe' && item.start <= offset && offset <= item.end) return item;
  }
  return undefined;
}

/** What the probe around `offset` gives its body, when every point of it is known to the kernel's data. */
export function targetsAt(analysis: Analysis, offset: number, kernel: KernelTypes): ProbeTarget[] | undefined {
  const probe = probeAt(analysis, offset);
  return probe && probeTargets(probe, analysis.text, kernel);
}

/** Whether the probe around `offset` runs only where its functions return (true), only elsewhere (false), or may (undefined). */
export function returnsAt(analysis: Analysis, offset: number): boolean | undefined {
  const probe = probeAt(analysis, offset);
  if (!probe) return undefined;
  const points = kernelProbePoints(probe, analysis.text);
  const all = probe.alias ? probe.alias.points : probe.points;
  if (points.length === 0 || points.length !== all.length) return undefined;
  if (points.every((p) => p.isReturn)) return true;
  return points.every((p) => !p.isReturn) ? false : undefined;
}

export interface Reached {
  ref: TypeRef;
  types: KernelTypes;
}

/** How a chain's plain name is typed: in C, a declared variable; in the script, nothing. */
export type VariableTypes = (name: string) => CTypedVariable | undefined;

/** The type a chain reaches, undefined when the data cannot tell. */
export function chainTarget(chain: MemberChain, kernel: KernelTypes, targets: ProbeTarget[] | undefined, variables?: VariableTypes): Reached | undefined {
  const { base, steps } = chain;
  switch (base.kind) {
    case 'target':
      for (const target of targets ?? []) {
        const reached = chainType(target, base.name, steps);
        if (reached) return reached;
      }
      return undefined;
    case 'cast': {
      const start = castTarget(kernel, base.typeName, base.module);
      return start && stepsFrom(start, steps);
    }
    case 'entry': {
      const start = chainTarget(base.inner, kernel, targets, variables);
      return start && stepsFrom(start, steps);
    }
    case 'variable': {
      const v = variables?.(base.name);
      const ref = v && v.pointers <= 1 ? kernel.typeNamed(v.type) : undefined;
      return ref && stepsFrom({ ref, types: kernel }, steps);
    }
  }
}

/** Where the `->` or `.` before the word at `wordStart` begins, undefined when there is none. */
export function memberOperatorBefore(text: string, wordStart: number): number | undefined {
  let i = wordStart;
  while (i > 0 && /[ \t]/.test(text[i - 1])) i--;
  if (text.slice(i - 2, i) === '->') return i - 2;
  if (text[i - 1] === '.' && text[i - 2] !== '.') return i - 1;
  return undefined;
}

/** The chain before the `->` or `.` that precedes the word at `wordStart`. */
export function chainBeforeWord(text: string, wordStart: number): MemberChain | undefined {
  const op = memberOperatorBefore(text, wordStart);
  return op === undefined ? undefined : chainBefore(text, op);
}
