// STAP_ARG_<name> must name a parameter of the enclosing function: otherwise
// stap fails only in pass 4, with a C compiler error about generated code.

import { CFacts } from '../embedded/cFacts';
import { quoted, shortened } from '../syntax/diagnostic';
import { Finding } from './diagnostic';
import { closestName } from './names';

export function checkStapArgs(facts: CFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const f of facts) {
    const ctx = f.region.context;
    const fn = ctx.kind === 'topLevel' ? undefined : ctx.fn;
    for (const use of f.stapArgs) {
      if (!fn) {
        findings.push({
          ...use,
          severity: 'error',
          code: 'stap-arg-outside-function',
          message: `${shortened(use.text)} is used outside a function: STAP_ARG_ names only exist in the body of an embedded-C function`,
        });
        continue;
      }
      if (fn.params.some((p) => p.text === use.name)) continue;
      const names = fn.params.map((p) => p.text);
      const near = closestName(use.name, names);
      findings.push({
        ...use,
        severity: 'error',
        code: 'stap-arg-unknown',
        message:
          `${quoted(use.name)} is not a parameter of function ${shortened(fn.name.text)}` +
          (names.length ? ` (parameters: ${names.join(', ')})` : ' (it has no parameters)') +
          (near ? `: did you mean STAP_ARG_${near}?` : ''),
        related: [{ message: `function ${shortened(fn.name.text)} is declared here`, start: fn.name.start, end: fn.name.end }],
      });
    }
  }
  return findings;
}

/** Parameters of embedded-C functions that the C never reads (faded, as unused code). */
export function checkUnusedParams(facts: CFacts[]): Finding[] {
  const findings: Finding[] = [];
  for (const f of facts) {
    if (f.region.context.kind !== 'functionBody' || f.region.code.expanded) continue;
    const fn = f.region.context.fn;
    for (const p of fn.params) {
      if (f.stapArgs.some((a) => a.name === p.text) || f.thisUses.some((t) => t.field === p.text)) continue;
      findings.push({
        start: p.start,
        end: p.end,
        severity: 'hint',
        code: 'param-unused',
        message: `parameter ${quoted(p.text)} of ${shortened(fn.name.text)} is never read: its C body has no STAP_ARG_${shortened(p.text)}`,
        tags: ['unnecessary'],
      });
    }
  }
  return findings;
}

/** `THIS->name` is the old spelling of STAP_ARG_name (and THIS->__retvalue of STAP_RETVALUE). */
export function checkDeprecatedThis(facts: CFacts[]): Finding[] {
  return facts.flatMap((f) =>
    f.thisUses.map((use): Finding => {
      const replacement = use.field === '__retvalue' ? 'STAP_RETVALUE' : `STAP_ARG_${use.field}`;
      return {
        start: use.start,
        end: use.end,
        severity: 'hint',
        code: 'deprecated-this',
        message: `${quoted(use.text)} is the pre-1.8 spelling of ${replacement}, only available with /* unmangled */`,
        tags: ['deprecated'],
        replacement,
      };
    }),
  );
}
