// Calls to functions that exist nowhere: not in the script, not in the tapset
// library, not among stap's built-in printing functions. stap reports them
// only at pass 2 ("unresolved function"); this finds them as the user types.

import { Expr, Script } from '../syntax/ast';
import { quoted } from '../syntax/diagnostic';
import { walkCode } from '../syntax/walk';
import { Finding } from './diagnostic';
import { closestName } from './names';

// Functions the translator provides itself rather than a tapset.
const BUILT_IN = new Set(['print', 'printf', 'printd', 'printdln', 'println', 'sprint', 'sprintf', 'sprintd', 'sprintdln', 'sprintln']);

export function checkUnknownFunctions(script: Script, text: string, libraryFunctions: ReadonlySet<string>): Finding[] {
  const local = new Set(script.items.flatMap((i) => (i.kind === 'function' ? [i.name.text] : [])));
  const findings: Finding[] = [];
  // One suggestion per unknown name, however often it is called.
  const suggestions = new Map<string, string | undefined>();
  let candidates: string[] | undefined;
  const suggest = (name: string) => {
    if (!suggestions.has(name)) suggestions.set(name, closestName(name, (candidates ??= [...local, ...libraryFunctions, ...BUILT_IN])));
    return suggestions.get(name);
  };
  walkCode(script, (node) => {
    if (node.kind === 'call') {
      const name = (node as Expr).text;
      // `$3(x)`: the script argument names the function; only the run knows which.
      // Calls made by a macro's expansion are the macro's business, and carry its use's range.
      const writtenHere = text.startsWith(name, node.start) && !/[\w]/.test(text[node.start + name.length] ?? '');
      if (writtenHere && /^\w/.test(name) && !local.has(name) && !BUILT_IN.has(name) && !libraryFunctions.has(name)) {
        const replacement = suggest(name);
        findings.push({
          start: node.start,
          end: node.start + name.length,
          // A warning, not an error: a `stap -I DIR` the settings do not name may define it.
          severity: 'warning',
          code: 'function-unknown',
          message: `unknown function ${quoted(name)}: defined neither in this script nor in the tapset library${replacement ? ` (did you mean '${replacement}'?)` : ''}; stap -p2 reports "unresolved function". Tapsets of your own: add their folder to systemtap.includePaths (stap -I)`,
          replacement,
        });
      }
    }
  });
  return findings;
}
