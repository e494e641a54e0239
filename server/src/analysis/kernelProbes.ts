// The probe points that name something of the kernel: `kernel.function("f")`
// (and `.return`, `.call`, ...), `module("m").function("f")`,
// `kprobe.function("f")`, `kprobe.module("m").function("f")`,
// `kernel.trace("t")`. What the kernel checks (and completion and hover)
// need to know of each: what it names, where the name is written, whether
// the name is a plain one that can be looked up.

import { ProbeDecl, ProbePoint } from '../syntax/ast';

export interface KernelProbePoint {
  point: ProbePoint;
  /** function: kernel.function / module().function (DWARF-style, target variables); kprobe: kprobe.function; trace: kernel.trace. */
  kind: 'function' | 'kprobe' | 'trace';
  /** What the string names, as written: `tcp_sendmsg`, `tcp_*`, `ip_output@net/ipv4/ip_output.c:12`. */
  pattern: string;
  /** Offsets of the pattern in the text (inside the quotes). */
  start: number;
  end: number;
  /** `module("ext4")`: the module; undefined for the kernel itself. */
  module?: string;
  /** The components after the function: `return`, `call`, `inline`, ... */
  suffixes: string[];
  isReturn: boolean;
  /**
   * The function (or tracepoint) name when the pattern is one plain name:
   * no wildcard (`*`, `?`, `[...]`), no `@file` or `:line` or `+offset`.
   */
  name?: string;
}

/** The points a probe's body runs at: an alias definition's own points, else the probe's. */
export function pointsOf(probe: ProbeDecl): ProbePoint[] {
  return probe.alias ? probe.alias.points : probe.points;
}

/** A string literal written as such in the text, unquoted; undefined for anything else (a macro, `$1`, escapes, adjacent literals). */
function literal(text: string, arg: { kind: string; text: string; start: number; end: number } | undefined): { value: string; start: number; end: number } | undefined {
  if (arg?.kind !== 'string' || !/^"[^"\\]*"$/.test(arg.text) || text.slice(arg.start, arg.end) !== arg.text) return undefined;
  return { value: arg.text.slice(1, -1), start: arg.start + 1, end: arg.end - 1 };
}

/** The point as a kernel probe point, or undefined when it is none. */
export function kernelProbePoint(point: ProbePoint, text: string): KernelProbePoint | undefined {
  const c = point.components;
  let i = 0;
  let kind: KernelProbePoint['kind'];
  let module: string | undefined;
  if (c[0]?.name === 'kernel' && !c[0].arg) {
    if (c[1]?.name === 'trace') kind = 'trace';
    else if (c[1]?.name === 'function') kind = 'function';
    else return undefined;
    i = 1;
  } else if (c[0]?.name === 'module' && c[1]?.name === 'function') {
    kind = 'function';
    module = literal(text, c[0].arg)?.value;
    if (module === undefined) return undefined;
    i = 1;
  } else if (c[0]?.name === 'kprobe' && !c[0].arg) {
    kind = 'kprobe';
    i = 1;
    if (c[1]?.name === 'module') {
      module = literal(text, c[1].arg)?.value;
      if (module === undefined) return undefined;
      i = 2;
    }
    if (c[i]?.name !== 'function') return undefined;
  } else return undefined;
  const arg = literal(text, c[i].arg);
  if (!arg) return undefined;
  const suffixes = c.slice(i + 1).map((s) => s.name);
  const plain = /^[A-Za-z_]\w*$/.test(arg.value) && (!module || /^[\w-]+$/.test(module));
  return {
    point,
    kind,
    pattern: arg.value,
    start: arg.start,
    end: arg.end,
    module,
    suffixes,
    isReturn: suffixes.includes('return'),
    name: plain ? arg.value : undefined,
  };
}

/** The kernel probe points of a probe (its alias's points for an alias definition). */
export function kernelProbePoints(probe: ProbeDecl, text: string): KernelProbePoint[] {
  return pointsOf(probe).flatMap((p) => kernelProbePoint(p, text) ?? []);
}
