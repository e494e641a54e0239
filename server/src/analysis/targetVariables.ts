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

import { Expr, Script, Statement } from '../syntax/ast';
import { quoted } from '../syntax/diagnostic';
import { KernelTypes } from '../kernel/kernelTypes';
import { Finding } from './diagnostic';
import { MissingMember, ProbeTarget, probeTargets, TargetTypes, targetName } from './kernelTargets';
import { suggestMember } from './memberSuggestions';
import { closestName } from './names';

export function checkTargetVariables(script: Script, text: string, kernel: KernelTypes): Finding[] {
  const checker = new Checker(text, kernel);
  for (const item of script.items) {
    if (item.kind === 'probe') {
      const contexts = probeTargets(item, text, kernel);
      for (const block of [item.body, item.epilogue]) if (block) checker.walk(block, contexts);
    } else if (item.kind === 'function' && item.body?.kind === 'block') checker.walk(item.body, undefined);
  }
  return checker.findings;
}

class Checker {
  readonly findings: Finding[] = [];
  private readonly reported = new Set<number>();
  private readonly types: TargetTypes;

  constructor(
    private readonly text: string,
    kernel: KernelTypes,
  ) {
    this.types = new TargetTypes(text, kernel);
  }

  /** Every node below `root` that is not guarded, with an explicit stack (trees nest deep). */
  walk(root: Statement | Expr, contexts: ProbeTarget[] | undefined): void {
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
  private unguarded(node: Statement | Expr, contexts: ProbeTarget[] | undefined): (Statement | Expr)[] {
    if ((node.kind !== 'if' && node.kind !== 'ternary') || node.children.length < 2) return node.children;
    const [condition, ...branches] = node.children;
    const guard = definedGuard(condition as Expr);
    if (!guard) return node.children;
    const [guarded, other] = guard.negated ? [branches[1], branches[0]] : [branches[0], branches[1]];
    const otherLive = !!guard.tested && !!other && contexts?.length !== undefined && contexts.length <= 1 && this.isUndefined(guard.tested, contexts?.[0]);
    return [condition, ...branches.filter((b) => b !== guarded && (b !== other || otherLive))];
  }

  /** Whether an expression is known to be undefined here (a missing parameter or member). */
  private isUndefined(expr: Expr, context: ProbeTarget | undefined): boolean {
    return this.types.typeOf(expr, context) === 'unknown';
  }

  private checkVariable(node: Expr, contexts: ProbeTarget[] | undefined): void {
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
  private checkMembers(node: Expr, contexts: ProbeTarget[] | undefined): void {
    const base = node.children[0];
    const usesContext = base?.kind !== 'atOperator' || base.text !== '@cast';
    for (const ctx of usesContext ? (contexts ?? []) : [undefined]) {
      const result = this.types.walkChain(node, ctx, (missing) => this.reportMember(node, missing));
      if (result === 'unknown') return; // reported once, for the first context that lacks it
    }
  }

  private reportMember(node: Expr, missing: MissingMember): void {
    const field = node.children[missing.index];
    if (!this.writtenHere(field)) return;
    const closest = suggestMember(missing.types, missing.ref, missing.name, missing.members)?.path.join('->');
    const last = missing.index === node.children.length - 1;
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
        `${missing.what} has no member ${quoted(field.text)} in this kernel's BTF${closest ? ` (did you mean '${closest}'?)` : ''}` +
        (canWrap ? `; for kernels that differ, ${chooseDefined} reads whichever is there` : ''),
      replacement: closest,
      fixes: canWrap ? [{ title: `Change to ${chooseDefined}`, start: node.start, end: field.end, text: chooseDefined }] : undefined,
    });
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
