// `c-member-unknown`: in embedded C, a member that the declared struct type
// lacks in the kernel's BTF: `struct sk_buff *skb = ...; skb->lenn`, or
// `((struct sock *)STAP_ARG_sk)->sk_stat`. Only variables declared with a
// struct, union or typedef type in the script's C (and the kernel's
// `current`) are followed; types the script's C defines itself are its own,
// not the kernel's, and a name declared with two types is left alone.

import { CFacts, CTypedVariable } from '../embedded/cFacts';
import { quoted } from '../syntax/diagnostic';
import { KernelTypes, TypeRef } from '../kernel/kernelTypes';
import { Finding } from './diagnostic';
import { suggestMember } from './memberSuggestions';

/** Kernel macros that stand for a variable of a known type. */
const KERNEL_VARIABLES: ReadonlyMap<string, CTypedVariable> = new Map([['current', { name: 'current', type: 'struct task_struct', pointers: 1 }]]);

/** Whether a type is one the script's C defines itself (not the kernel's). */
export function ownTypesOf(facts: readonly CFacts[]): (type: string) => boolean {
  const ownTypes = new Set(facts.flatMap((f) => f.definedTypes));
  return (type: string) => ownTypes.has(type) || ownTypes.has(type.replace(/^(?:struct|union) /, ''));
}

/** The kernel type of a variable in a region's C: declared there with one type, or a kernel macro such as `current`; not the script's own types. */
export function cVariableTypes(f: CFacts, isOwn: (type: string) => boolean): (name: string) => CTypedVariable | undefined {
  const variables = declaredVariables(f);
  return (name) => {
    const v = variables.get(name) ?? (variables.has(name) ? undefined : KERNEL_VARIABLES.get(name));
    return v && !isOwn(v.type) ? v : undefined;
  };
}

export function checkCMembers(facts: readonly CFacts[], kernel: KernelTypes): Finding[] {
  const isOwn = ownTypesOf(facts);
  const findings: Finding[] = [];
  const reported = new Set<number>();
  for (const f of facts) {
    if (f.region.code.expanded) continue; // a tapset macro's C is the tapset's business
    const variableType = cVariableTypes(f, isOwn);
    for (const access of f.memberAccesses) {
      const base = 'variable' in access.base ? variableType(access.base.variable) : access.base;
      if (!base || base.pointers > 1 || isOwn(base.type)) continue;
      let ref: TypeRef | undefined = kernel.typeNamed(base.type);
      for (const step of access.steps) {
        if (!ref) break;
        if (step.op === '[]') {
          ref = kernel.elementOf(ref);
          continue;
        }
        const aggregate = kernel.aggregateOf(ref);
        const members = kernel.members(ref);
        if (!aggregate || !members || (aggregate.name && isOwn(`${aggregate.kind} ${aggregate.name}`))) break;
        const member = members.find((m) => m.name === step.text);
        if (member) {
          ref = member.ref;
          continue;
        }
        const suggestion = suggestMember(kernel, ref, step.text, members);
        // `sk->sk_state`: the kernel's macro for `sk->__sk_common.skc_state`.
        if (suggestion?.macroAlias) break;
        const closest = suggestion?.path.join('.');
        if (!reported.has(step.start)) {
          reported.add(step.start);
          findings.push({
            start: step.start,
            end: step.end,
            severity: 'warning',
            code: 'c-member-unknown',
            message: `${quoted(aggregate.text)} has no member ${quoted(step.text)} in this kernel's BTF${closest ? ` (did you mean '${closest}'?)` : ''}`,
            replacement: closest,
          });
        }
        break;
      }
    }
  }
  return findings;
}

/** The region's struct-typed variables; a name declared with two different types maps to undefined. */
function declaredVariables(f: CFacts): Map<string, CTypedVariable | undefined> {
  const variables = new Map<string, CTypedVariable | undefined>();
  for (const v of f.typedVariables) {
    const known = variables.get(v.name);
    if (!variables.has(v.name)) variables.set(v.name, v);
    else if (known && (known.type !== v.type || known.pointers !== v.pointers)) variables.set(v.name, undefined);
  }
  return variables;
}
