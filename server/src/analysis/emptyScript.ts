// stap refuses a script with nothing in it: no token at all ("Input file ...
// is empty."), or none left once the %( %) conditionals are evaluated and the
// @define macros read ("... is empty after preprocessing."). A tapset file may
// be empty; a script given to stap may not.

import { Script } from '../syntax/ast';
import { Finding } from './diagnostic';

export function checkEmptyScript(script: Script, isLibrary: boolean): Finding[] {
  if (!script.empty || isLibrary) return [];
  // A file whose only tokens were errors has those errors already; stap reports them first.
  if (script.errors.some((e) => e.severity !== 'warning')) return [];
  const message =
    script.empty === 'empty'
      ? 'this script is empty: stap needs at least one probe, function, global or %{ %} block, and rejects a file with none'
      : 'this script is empty after preprocessing: for this target, its %( %) conditionals and @define macros leave no probe, function or global, and stap rejects it';
  return [{ start: 0, end: 0, severity: 'error', code: 'syntax', message }];
}
