// STAP_RETVALUE must fit the function's declared return type: a function
// without one has none, a `:long` one an int64_t, a `:string` one a char
// buffer. Otherwise the generated C fails to compile in pass 4.

import { CFacts } from '../embedded/cFacts';
import { Finding } from './diagnostic';

export function checkRetvalue(facts: CFacts[], isLibrary: boolean): Finding[] {
  const findings: Finding[] = [];
  for (const f of facts) {
    if (f.region.context.kind !== 'functionBody') continue;
    const fn = f.region.context.fn;
    const declared = { message: `function ${fn.name.text} is declared here`, start: fn.name.start, end: fn.name.end };
    const type = fn.returnType?.text;
    if (!type) {
      // stap infers an undeclared type from the callers (tapset functions rely on it), so this
      // is a warning, for scripts only; `STAP_RETURN()` with no value is a plain return.
      if (isLibrary) continue;
      const uses = f.stapMacros.filter((m) => m.text === 'STAP_RETVALUE' || (m.text === 'STAP_RETURN' && !f.region.code.code.slice(m.end - f.region.code.codeStart).match(/^\s*\(\s*\)/)));
      for (const use of uses) {
        findings.push({
          ...use,
          severity: 'warning',
          code: 'retvalue-without-type',
          message: `${use.text} in function ${fn.name.text}, which declares no return type: stap must infer one from its callers, and fails if none do; declare ${fn.name.text}:long(...) or ${fn.name.text}:string(...)`,
          related: [declared],
        });
      }
    } else if (type === 'long') {
      for (const use of f.retvalueAsBuffer) {
        findings.push({
          ...use,
          severity: 'error',
          code: 'retvalue-type-mismatch',
          message: `STAP_RETVALUE of the :long function ${fn.name.text} is an int64_t, not a string buffer: declare ${fn.name.text}:string to return a string`,
          related: [declared],
        });
      }
    } else if (type === 'string') {
      for (const use of f.retvalueAssigned) {
        findings.push({
          ...use,
          severity: 'error',
          code: 'retvalue-type-mismatch',
          message: `STAP_RETVALUE of the :string function ${fn.name.text} is a char buffer of MAXSTRINGLEN bytes: copy into it, e.g. strlcpy(STAP_RETVALUE, s, MAXSTRINGLEN), or declare ${fn.name.text}:long to return a number`,
          related: [declared],
        });
      }
    }
  }
  return findings;
}
