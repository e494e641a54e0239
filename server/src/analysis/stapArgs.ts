// STAP_ARG_<name> must name a parameter of the enclosing function: otherwise
// stap fails only in pass 4, with a C compiler error about generated code.

import { CFacts } from '../embedded/cFacts';
import { Finding } from './diagnostic';

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
          message: `${use.text} is used outside a function: STAP_ARG_ names only exist in the body of an embedded-C function`,
        });
        continue;
      }
      if (fn.params.some((p) => p.text === use.name)) continue;
      const names = fn.params.map((p) => p.text);
      findings.push({
        ...use,
        severity: 'error',
        code: 'stap-arg-unknown',
        message:
          `'${use.name}' is not a parameter of function ${fn.name.text}` +
          (names.length ? ` (parameters: ${names.join(', ')})` : ' (it has no parameters)'),
        related: [{ message: `function ${fn.name.text} is declared here`, start: fn.name.start, end: fn.name.end }],
      });
    }
  }
  return findings;
}
