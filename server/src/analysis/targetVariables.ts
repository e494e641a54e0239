// Target variables and their members against the kernel's BTF:
//  - `target-variable-unknown`: `$name` in a kernel.function (or kernel.trace)
//    probe that is not a parameter (argument) of what is probed. BTF knows
//    parameters only; a local variable may still resolve with debuginfo, so
//    this is information, not an error.
//  - `target-member-unknown`: `$p->state` where the struct has no `state`
//    (on this kernel task_struct has `__state`); also `@cast(p, "sk_buff")->x`.
// Never said inside `@defined(...)` or `@choose_defined(...)`, nor in the
// branch an `@defined` test guards: that is how scripts handle members that
// differ between kernels. Untaken `%( %)` branches have no tree to check.
// A probe is checked only when every point it has is a single function (or
// tracepoint) that BTF describes; anything else is not known well enough.

import { Expr, ProbeDecl, Script, Statement } from '../syntax/ast';
import { quoted } from '../syntax/diagnostic';
import { KernelParam, KernelTypes, TypeRef } from '../kernel/kernelTypes';
import { Finding } from './diagnostic';
import { kernelProbePoints } from './kernelProbes';
import { suggestMember } from './memberSuggestions';
import { closestName } from './names';

/** What one point of a probe gives its body. */
interface ProbeContext {
  types: KernelTypes;
  /** `tcp_sendmsg` or `tracepoint sched_switch`, and its prototype, for messages. */
  label: string;
  prototype: string;
  params: Map<string, KernelParam>;
  /** `$return`'s type in a `.return` probe; undefined elsewhere. */
  returnRef?: TypeRef;
  kind: 'function' | 'trace';
}

/** Suffixes after `.function("f")` that keep the function's parameters in reach. */
const PLAIN_SUFFIXES = new Set(['return', 'call', 'exported']);

/** The contexts of a probe's points; undefined when one of them is not a function or tracepoint that BTF describes. */
function contextsOf(probe: ProbeDecl, text: string, kernel: KernelTypes): ProbeContext[] | undefined {
  const points = kernelProbePoints(probe, text);
  const all = probe.alias ? probe.alias.points : probe.points;
  if (points.length === 0 || points.length !== all.length) return undefined;
  const contexts: ProbeContext[] = [];
  for (const kp of points) {
    if (!kp.name || kp.suffixes.some((s) => !PLAIN_SUFFIXES.has(s))) return undefined;
    if (kp.kind === 'function') {
      const types = kp.module !== undefined ? kernel.moduleTypes(kp.module) : kernel;
      const fn = types?.function(kp.name);
      if (!types || !fn) return undefined;
      contexts.push({
        types,
        label: fn.name,
        prototype: fn.prototype,
        params: new Map(fn.params.map((p) => [p.name, p])),
        returnRef: kp.isReturn ? fn.returnRef : undefined,
        kind: 'function',
      });
    } else if (kp.kind === 'trace' && kp.module === undefined) {
      const tp = kernel.tracepoint(kp.name);
      if (!tp || tp.args.some((a) => !a.name)) return undefined;
      contexts.push({
        types: kernel,
        label: `tracepoint ${tp.name}`,
        prototype: `${tp.name}(${tp.args.map((a) => kernel.typeText(a.ref, a.name)).join(', ')})`,
        params: new Map(tp.args.map((a) => [a.name, a])),
        kind: 'trace',
      });
    } else return undefined;
  }
  return contexts;
}

/** A value's type, or why there is none. */
type Typed = { ref: TypeRef; types: KernelTypes } | 'unknown' | undefined;

export function checkTargetVariables(script: Script, text: string, kernel: KernelTypes): Finding[] {
  const checker = new Checker(text, kernel);
  for (const item of script.items) {
    if (item.kind === 'probe') {
      const contexts = contextsOf(item, text, kernel);
      for (const block of [item.body, item.epilogue]) if (block) checker.walk(block, contexts);
    } else if (item.kind === 'function' && item.body?.kind === 'block') checker.walk(item.body, undefined);
  }
  return checker.findings;
}

class Checker {
  readonly findings: Finding[] = [];
  private readonly reported = new Set<number>();

  constructor(
    private readonly text: string,
    private readonly kernel: KernelTypes,
  ) {}

  /** Every node below `root` that is not guarded, with an explicit stack (trees nest deep). */
  walk(root: Statement | Expr, contexts: ProbeContext[] | undefined): void {
    const stack: (Statement | Expr)[] = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node.kind === 'atOperator' && node.text === '@defined') continue;
      if (this.text.startsWith('@choose_defined', node.start)) continue;
      if (node.kind === 'target') this.checkVariable(node as Expr, contexts);
      else if (node.kind === 'member') this.checkMembers(node as Expr, contexts);
      const children = this.unguarded(node, contexts);
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }

  /**
   * The children to check. In `if (@defined(X)) A else B` (and `?:`), A is
   * guarded; B runs only where X is undefined, so it is checked only when X
   * is known to be undefined here. `!@defined(X)` the other way round; any
   * other test involving @defined guards both branches.
   */
  private unguarded(node: Statement | Expr, contexts: ProbeContext[] | undefined): (Statement | Expr)[] {
    if ((node.kind !== 'if' && node.kind !== 'ternary') || node.children.length < 2) return node.children;
    const [condition, ...branches] = node.children;
    const guard = definedGuard(condition as Expr);
    if (!guard) return node.children;
    const [guarded, other] = guard.negated ? [branches[1], branches[0]] : [branches[0], branches[1]];
    const otherLive = !!guard.tested && !!other && contexts?.length !== undefined && contexts.length <= 1 && this.isUndefined(guard.tested, contexts?.[0]);
    return [condition, ...branches.filter((b) => b !== guarded && (b !== other || otherLive))];
  }

  /** Whether an expression is known to be undefined here (a missing parameter or member). */
  private isUndefined(expr: Expr, context: ProbeContext | undefined): boolean {
    return this.typeOf(expr, context) === 'unknown';
  }

  private checkVariable(node: Expr, contexts: ProbeContext[] | undefined): void {
    if (!contexts || !this.writtenHere(node)) return;
    const name = targetName(node.text);
    if (name === undefined) return;
    for (const ctx of contexts) {
      if (name === 'return') {
        if (ctx.kind === 'function' && !ctx.returnRef)
          this.report({
            start: node.start,
            end: node.start + node.text.length,
            severity: 'warning',
            code: 'target-variable-unknown',
            message: `'$return' is the return value of a .return probe; ${ctx.label} is probed on entry here`,
          });
        if (!ctx.returnRef) return;
        continue;
      }
      if (ctx.params.has(name)) continue;
      const closest = closestName(name, ctx.params.keys());
      const what = ctx.kind === 'trace' ? 'an argument of' : 'a parameter of';
      this.report({
        start: node.start,
        end: node.start + 1 + name.length,
        severity: 'information',
        code: 'target-variable-unknown',
        message:
          `${quoted('$' + name)} is not ${what} ${ctx.label}: ${ctx.prototype}${closest ? ` (did you mean '$${closest}'?)` : ''}. ` +
          `The kernel's BTF knows parameters only: a local variable may still resolve with debuginfo (stap -p2 tells)`,
        replacement: closest ? `$${closest}` : undefined,
      });
      return;
    }
  }

  /** `$p->a->b[i]`, `@cast(x, "T")->a`, `@entry($p)->a`: each member must exist in the type reached. */
  private checkMembers(node: Expr, contexts: ProbeContext[] | undefined): void {
    const base = node.children[0];
    const usesContext = base?.kind !== 'atOperator' || base.text !== '@cast';
    for (const ctx of usesContext ? (contexts ?? []) : [undefined]) {
      const result = this.walkChain(node, ctx, true);
      if (result === 'unknown') return; // reported once, for the first context that lacks it
    }
  }

  /**
   * Follows a member chain from its base. With `report`, a missing member is
   * reported; either way the answer is the type reached, 'unknown' when a
   * member (or the base variable) is missing, undefined when the types are
   * not known well enough to tell.
   */
  private walkChain(node: Expr, ctx: ProbeContext | undefined, report: boolean): Typed {
    let current = this.typeOf(node.children[0], ctx);
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
      const what = aggregate.name ? quoted(aggregate.text) : `${quoted(this.text.slice(node.start, node.children[i - 1].end))} (${aggregate.text})`;
      if (report && this.writtenHere(step)) this.reportMember(node, i, what, suggestMember(types, ref, name, members)?.path.join('->'));
      return 'unknown';
    }
    return current;
  }

  private reportMember(node: Expr, index: number, aggregate: string, closest: string | undefined): void {
    const field = node.children[index];
    const last = index === node.children.length - 1;
    const original = this.text.slice(node.start, field.end);
    const renamed = this.text.slice(node.start, field.start) + (closest ?? '');
    const chooseDefined = `@choose_defined(${renamed}, ${original})`;
    // Only a chain written out in full, ending at the member, can be wrapped.
    const canWrap = closest !== undefined && last && this.text.slice(node.start, node.end) === original && !original.includes('\n');
    this.report({
      start: field.start,
      end: field.end,
      severity: 'warning',
      code: 'target-member-unknown',
      message:
        `${aggregate} has no member ${quoted(field.text)} in this kernel's BTF${closest ? ` (did you mean '${closest}'?)` : ''}` +
        (canWrap ? `; for kernels that differ, ${chooseDefined} reads whichever is there` : ''),
      replacement: closest,
      fixes: canWrap ? [{ title: `Change to ${chooseDefined}`, start: node.start, end: field.end, text: chooseDefined }] : undefined,
    });
  }

  /** The type of a value that members are taken of. */
  private typeOf(expr: Expr | undefined, ctx: ProbeContext | undefined): Typed {
    if (!expr) return undefined;
    switch (expr.kind) {
      case 'target': {
        const name = targetName(expr.text);
        if (!ctx || name === undefined || expr.text.endsWith('$')) return undefined;
        if (name === 'return') return ctx.returnRef ? { ref: ctx.returnRef, types: ctx.types } : undefined;
        const param = ctx.params.get(name);
        return param ? { ref: param.ref, types: ctx.types } : 'unknown';
      }
      case 'member':
        return this.walkChain(expr, ctx, false);
      case 'paren':
        return this.typeOf(expr.children[0], ctx);
      case 'atOperator':
        if (expr.text === '@entry') return this.typeOf(expr.children[0], ctx);
        if (expr.text === '@cast') return this.castType(expr);
        return undefined;
      default:
        return undefined;
    }
  }

  /** `@cast(x, "sk_buff")`, `@cast(x, "struct sk_buff", "kernel")`, `@cast(x, "T", "module")`. */
  private castType(expr: Expr): Typed {
    const [, typeArg, moduleArg] = expr.children;
    const typeName = stringValue(typeArg);
    const module = moduleArg ? stringValue(moduleArg) : 'kernel';
    if (typeName === undefined || module === undefined) return undefined;
    // `kernel<linux/sched.h>` compiles the type from headers: the kernel's all the same.
    const types = module === 'kernel' || module.startsWith('kernel<') ? this.kernel : this.kernel.moduleTypes(module);
    const ref = types?.typeNamed(typeName);
    return types && ref ? { ref, types } : undefined;
  }

  /** A `->name` step (not an `[index]`): an identifier right after `->`. */
  private isField(step: Expr): boolean {
    if (step.kind !== 'identifier') return false;
    let i = step.start - 1;
    while (i > 0 && /\s/.test(this.text[i])) i--;
    return this.text[i] === '>' && this.text[i - 1] === '-';
  }

  /** Written in this file as it reads, not produced by a macro's expansion. */
  private writtenHere(node: Expr): boolean {
    return this.text.startsWith(node.text, node.start);
  }

  private report(finding: Finding): void {
    if (this.reported.has(finding.start)) return;
    this.reported.add(finding.start);
    this.findings.push(finding);
  }
}

/** `$skb` -> `skb`, `$skb$$` -> `skb` (pretty-printed); undefined for `$$parms` and the like. */
function targetName(text: string): string | undefined {
  const m = /^\$([A-Za-z_]\w*)\$*$/.exec(text);
  return m ? m[1] : undefined;
}

/** A plain string literal's value. */
function stringValue(expr: Expr | undefined): string | undefined {
  return expr?.kind === 'string' && /^"[^"\\]*"$/.test(expr.text) ? expr.text.slice(1, -1) : undefined;
}

/**
 * What an `if` or `?:` test says about @defined: `@defined(X)` (perhaps in
 * parentheses) guards the then-branch and tests X; `!@defined(X)` guards the
 * else-branch; a test that involves @defined any other way guards both
 * (tested undefined). Undefined when the test does not involve @defined.
 */
function definedGuard(condition: Expr): { negated: boolean; tested?: Expr } | undefined {
  let c = condition;
  let negated = false;
  for (let i = 0; i < 64; i++) {
    if (c.kind === 'paren' && c.children.length === 1) c = c.children[0];
    else if (c.kind === 'unary' && c.text === '!' && c.children.length === 1) {
      negated = !negated;
      c = c.children[0];
    } else break;
  }
  if (c.kind === 'atOperator' && c.text === '@defined') return { negated, tested: c.children[0] };
  // `@defined(A) && @defined(B)` and other mixtures: both branches guarded.
  const stack: Expr[] = [condition];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (n.kind === 'atOperator' && n.text === '@defined') return { negated: false };
    stack.push(...n.children);
  }
  return undefined;
}
