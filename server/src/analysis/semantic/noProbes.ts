// stap's pass 2 refuses a script that leaves it no probe: one of functions,
// globals, aliases and C only, one whose every probe point is optional
// (`?`, `!`) and resolves to nothing, or one whose probes do nothing and are
// elided (elidedProbes.ts) ("semantic error: no probes found").
// stap names no place; the finding goes on the first line of the first
// declaration, where it is seen, with each dropped point as related
// information. An empty script has its own finding (emptyScript.ts), and
// library code is never a script on its own.

import { ProbeDecl, ProbePoint, Script } from '../../syntax/ast';
import { Finding } from '../diagnostic';
import { ElidedPoint } from './elidedProbes';

/** `dropped` gives the optional points that resolve to nothing; it is asked only when every point left is optional. */
export function checkNoProbes(script: Script, text: string, dropped: () => ReadonlySet<ProbePoint>, elided: readonly ElidedPoint[] = []): Finding[] {
  const first = script.items[0];
  if (script.empty || !first) return [];
  const probes = script.items.filter((i): i is ProbeDecl => i.kind === 'probe' && !i.alias);
  const points = probes.flatMap((p) => p.points);
  const gone = new Set(elided.map((e) => e.point));
  const left = points.filter((p) => !gone.has(p));
  if (left.some((p) => !p.optional && !p.sufficient)) return [];
  const nothing = left.length ? dropped() : new Set<ProbePoint>();
  if (left.some((p) => !nothing.has(p))) return [];
  const lineEnd = text.indexOf('\n', first.start);
  const end = Math.min(first.end, lineEnd < 0 ? text.length : lineEnd);
  return [
    {
      start: first.start,
      end: Math.max(end, first.start + 1),
      severity: 'error',
      code: 'no-probes',
      message: !probes.length
        ? 'no probes found: stap runs the probes of a script, and this one has none (functions for other scripts belong in a folder of systemtap.includePaths, stap -I)'
        : gone.size === 0
          ? 'no probes found: every probe point of this script is optional and stap finds nothing for it, so no probe is left to run'
          : gone.size === points.length
            ? 'no probes found: every probe of this script does nothing, so stap elides it and no probe is left to run'
            : 'no probes found: every probe of this script does nothing (stap elides it) or has only optional points stap finds nothing for, so no probe is left to run',
      related: points.map((p) => ({ start: p.start, end: p.end, message: gone.has(p) ? 'this probe does nothing: stap elides it' : 'optional: stap finds nothing for this point and drops it' })),
    },
  ];
}
