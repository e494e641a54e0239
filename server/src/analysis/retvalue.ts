// STAP_RETVALUE must fit the function's declared return type: a function
// without one has none, a `:long` one an int64_t, a `:string` one a char
// buffer. Otherwise the generated C fails to compile in pass 4.

import { CFacts } from '../embedded/cFacts';
import { FunctionDecl } from '../syntax/ast';
import { Finding } from './diagnostic';

export function checkRetvalue(facts: CFacts[], isLibrary: boolean): Finding[] {
  const findings: Finding[] = [];
  for (const f of facts) {
    // C from a tapset macro is the tapset's business.
    if (f.region.context.kind !== 'functionBody' || f.region.code.expanded) continue;
    const fn = f.region.context.fn;
    const name = fn.name.text;
    const type = fn.returnType?.text;
    if (!type) {
      // stap infers an undeclared type from the callers (tapset functions rely on it), so this
      // is a warning, for scripts only; `STAP_RETURN()` with no value is a plain return.
      if (isLibrary) continue;
      for (const use of f.stapMacros) {
        if (use.text !== 'STAP_RETVALUE' && (use.text !== 'STAP_RETURN' || returnsNothing(f, use))) continue;
        findings.push({
          ...use,
          severity: 'warning',
          code: 'retvalue-without-type',
          message: `${use.text} in function ${name}, which declares no return type: stap must infer one from its callers, and fails if none do; declare ${name}:long(...) or ${name}:string(...)`,
          related: [declaredAt(fn)],
        });
      }
      continue;
    }
    const wrongUses = type === 'long' ? f.retvalueAsBuffer : f.retvalueAssigned;
    if (!wrongUses.length) continue;
    const message =
      type === 'long'
        ? `STAP_RETVALUE of the :long function ${name} is an int64_t, not a string buffer: declare ${name}:string to return a string`
        : `STAP_RETVALUE of the :string function ${name} is a char buffer of MAXSTRINGLEN bytes: copy into it, e.g. strlcpy(STAP_RETVALUE, s, MAXSTRINGLEN), or declare ${name}:long to return a number`;
    for (const use of wrongUses) findings.push({ ...use, severity: 'error', code: 'retvalue-type-mismatch', message, related: [declaredAt(fn)] });
  }
  return findings;
}

const declaredAt = (fn: FunctionDecl) => ({ message: `function ${fn.name.text} is declared here`, start: fn.name.start, end: fn.name.end });

/** `STAP_RETURN()`: a plain return, with no value. */
const returnsNothing = (f: CFacts, use: { end: number }) => /^\s*\(\s*\)/.test(f.region.code.code.slice(use.end - f.region.code.codeStart));
