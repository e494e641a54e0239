// What a probe's body can reach of the kernel: the parameters of the probed
// function (or a tracepoint's arguments) as `$name`, `$return` in `.return`
// probes, and the types that `->member` and `[i]` lead to from them and from
// `@cast(x, "type"[, "module"])` and `@entry(...)`. Shared by the
// target-variable checks and by completion and hover, which ask the same
// questions of the text being typed.

import { Expr, ProbeDecl } from '../syntax/ast';
import { KernelMember, KernelParam, KernelTypes, TypeRef } from '../kernel/kernelTypes';
import { kernelProbePoints } from './kernelProbes';

/** What one point of a probe gives its body. */
export interface ProbeTarget {
  /** The kernel's data, or the module's for `module("m").function(...)`. */
  types: KernelTypes;
  kind: 'function' | 'trace';
  /** `tcp_sendmsg` or `tracepoint sched_switch`, for messages. */
  label: string;
  /** `int tcp_sendmsg(struct sock *sk, ...)`, `sched_switch(bool preempt, ...)`. */
  prototype: string;
  /** By name, in order: what `$name` may be. */
  params: Map<string, KernelParam>;
  /** `$return`'s type in a `.return` probe of a function; undefined elsewhere. */
  returnRef?: TypeRef;
}

/** A value's type (with the data to look further in), 'unknown' when a variable or member is missing, undefined when the data cannot tell. */
export type Typed = { ref: TypeRef; types: KernelTypes } | 'unknown' | undefined;

/** Suffixes after `.function("f")` that keep the function's parameters in reach. */
const PLAIN_SUFFIXES = new Set(['return', 'call', 'exported']);

/**
 * What each point of a probe gives its body; undefined when one of the points
 * is not a single function (or tracepoint) that BTF describes, so that what
 * the body may use is not known.
 */
export function probeTargets(probe: ProbeDecl, text: string, kernel: KernelTypes): ProbeTarget[] | undefined {
  const points = kernelProbePoints(probe, text);
  const all = probe.alias ? probe.alias.points : probe.points;
  if (points.length === 0 || points.length !== all.length) return undefined;
  const targets: ProbeTarget[] = [];
  for (const kp of points) {
    if (!kp.name || kp.suffixes.some((s) => !PLAIN_SUFFIXES.has(s))) return undefined;
    if (kp.kind === 'function') {
      const types = kp.module !== undefined ? kernel.moduleTypes(kp.module) : kernel;
      const fn = types?.function(kp.name);
      if (!types || !fn) return undefined;
      targets.push({
        types,
        kind: 'function',
        label: fn.name,
        prototype: fn.prototype,
        params: new Map(fn.params.map((p) => [p.name, p])),
        returnRef: kp.isReturn ? fn.returnRef : undefined,
      });
    } else if (kp.kind === 'trace' && kp.module === undefined) {
      const tp = kernel.tracepoint(kp.name);
      if (!tp || tp.args.some((a) => !a.name)) return undefined;
      targets.push({
        types: kernel,
        kind: 'trace',
        label: `tracepoint ${tp.name}`,
        prototype: `${tp.name}(${tp.args.map((a) => kernel.typeText(a.ref, a.name)).join(', ')})`,
        params: new Map(tp.args.map((a) => [a.name, a])),
      });
    } else return undefined;
  }
  return targets;
}

/** `$skb` -> `skb`, `$skb$$` -> `skb` (pretty-printed); undefined for `$$parms` and the like. */
export function targetName(text: string): string | undefined {
  const m = /^\$([A-Za-z_]\w*)\$*$/.exec(text);
  return m ? m[1] : undefined;
}

/**
 * The type `$variable` and then each step reach: a member name, or '[]' for
 * an index. For completion after `$skb->dev->`: the members of what is
 * returned. Undefined when the data cannot tell (or a step is missing).
 */
export function chainType(target: ProbeTarget, variable: string, steps: readonly string[]): { ref: TypeRef; types: KernelTypes } | undefined {
  const name = variable.replace(/^\$/, '');
  const start = name === 'return' ? target.returnRef : target.params.get(name)?.ref;
  return start ? stepsFrom({ ref: start, types: target.types }, steps) : undefined;
}

/** The type reached from a type by member names and '[]' steps (`@cast(p, "sk_buff")->dev->`). */
export function stepsFrom(start: { ref: TypeRef; types: KernelTypes }, steps: readonly string[]): { ref: TypeRef; types: KernelTypes } | undefined {
  let current: { ref: TypeRef; types: KernelTypes } | undefined = start;
  for (const step of steps) {
    if (!current) return undefined;
    const { ref, types }: { ref: TypeRef; types: KernelTypes } = current;
    if (step === '[]') {
      const element: TypeRef | undefined = types.elementOf(ref);
      current = element ? { ref: element, types } : undefined;
    } else {
      const member = types.member(ref, step.replace(/\$+$/, ''));
      current = member ? { ref: member.ref, types } : undefined;
    }
  }
  return current;
}

/** Where a member chain stops: the step that names a member the type lacks. */
export interface MissingMember {
  /** The member step's index in the chain's children. */
  index: number;
  /** The member's name (`usage` for `->usage$$`). */
  name: string;
  /** What lacks it: `'struct task_struct'`, or for an anonymous struct the chain that reaches it. */
  what: string;
  types: KernelTypes;
  ref: TypeRef;
  members: KernelMember[];
}

/** Types of expressions in a script's text: target variables, member chains, @cast, @entry. */
export class TargetTypes {
  constructor(
    private readonly text: string,
    private readonly kernel: KernelTypes,
  ) {}

  /** The type of a value (in a probe of `target`, for `$` variables). */
  typeOf(expr: Expr | undefined, target: ProbeTarget | undefined): Typed {
    if (!expr) return undefined;
    switch (expr.kind) {
      case 'target': {
        const name = targetName(expr.text);
        if (!target || name === undefined || expr.text.endsWith('$')) return undefined;
        if (name === 'return') return target.returnRef ? { ref: target.returnRef, types: target.types } : undefined;
        const param = target.params.get(name);
        return param ? { ref: param.ref, types: target.types } : 'unknown';
      }
      case 'member':
        return this.walkChain(expr, target);
      case 'paren':
        return this.typeOf(expr.children[0], target);
      case 'atOperator':
        if (expr.text === '@entry') return this.typeOf(expr.children[0], target);
        if (expr.text === '@cast') return this.castType(expr);
        return undefined;
      default:
        return undefined;
    }
  }

  /**
   * Follows a member chain (`$p->a->b[i]`) from its base; `onMissing` hears
   * of the member that is not there. The answer is the type reached,
   * 'unknown' when a member (or the base variable) is missing, undefined
   * when the data cannot tell.
   */
  walkChain(node: Expr, target: ProbeTarget | undefined, onMissing?: (missing: MissingMember) => void): Typed {
    let current = this.typeOf(node.children[0], target);
    for (let i = 1; i < node.children.length; i++) {
      if (current === undefined || current === 'unknown') return current;
      const step = node.children[i];
      const { ref, types } = current;
      if (!this.isField(step)) {
        const element = types.elementOf(ref);
        current = element ? { ref: element, types } : undefined;
        continue;
      }
      const aggregate = types.aggregateOf(ref);
      const members = types.members(ref);
      if (!aggregate || !members) return undefined;
      // `->usage$$`: pretty-printed, the member is `usage`.
      const name = step.text.replace(/\$+$/, '');
      const member = members.find((m) => m.name === name);
      if (member) {
        current = { ref: member.ref, types };
        continue;
      }
      // An anonymous struct is named by the chain that reaches it.
      const what = aggregate.name ? `'${aggregate.text}'` : `'${this.text.slice(node.start, node.children[i - 1].end)}' (${aggregate.text})`;
      onMissing?.({ index: i, name, what, types, ref, members });
      return 'unknown';
    }
    return current;
  }

  /** `@cast(x, "sk_buff")`, `@cast(x, "struct sk_buff", "kernel")`, `@cast(x, "T", "module")`. */
  castType(expr: Expr): Typed {
    const [, typeArg, moduleArg] = expr.children;
    const typeName = stringValue(typeArg);
    const module = moduleArg ? stringValue(moduleArg) : 'kernel';
    if (typeName === undefined || module === undefined) return undefined;
    return castTarget(this.kernel, typeName, module);
  }

  /** A `->name` step of a member node (not an `[index]`): an identifier right after `->`. */
  isField(step: Expr): boolean {
    if (step.kind !== 'identifier') return false;
    let i = step.start - 1;
    while (i > 0 && /\s/.test(this.text[i])) i--;
    return this.text[i] === '>' && this.text[i - 1] === '-';
  }
}

/** The type `@cast(x, "typeName", "module")` gives: in the kernel's data, or the module's. */
export function castTarget(kernel: KernelTypes, typeName: string, module = 'kernel'): { ref: TypeRef; types: KernelTypes } | undefined {
  // `kernel<linux/sched.h>` compiles the type from headers: the kernel's all the same.
  const types = module === 'kernel' || module.startsWith('kernel<') ? kernel : kernel.moduleTypes(module);
  const ref = types?.typeNamed(typeName);
  return types && ref ? { ref, types } : undefined;
}

/** A plain string literal's value. */
function stringValue(expr: Expr | undefined): string | undefined {
  return expr?.kind === 'string' && /^"[^"\\]*"$/.test(expr.text) ? expr.text.slice(1, -1) : undefined;
}
