// What a probe's points say about its body: whether they are stap's own
// points that need no debuginfo (begin, end, never, error, timer, procfs),
// where no target variable exists, and where the body's locals are its own
// (an alias's body would share them).

import { ProbeDecl } from '../../syntax/ast';
import { BodyFacts, unmoved } from '../../syntax/bodyFacts';

export interface ProbeKind {
  /** The first point's first component, for messages: `begin`, `timer`. */
  name: string;
  /** Every point is one of stap's own that has no target variables. */
  builtIn: boolean;
  /** A procfs probe: `$value` is the file's content. */
  procfs: boolean;
}

const OWN_POINTS = new Set(['begin', 'end', 'never', 'error', 'timer', 'procfs']);

/** Each probe's kind, read once (bodyFacts.ts): its points' text moves with it. */
const kindOf = new BodyFacts<ProbeKind>(unmoved);

export function probeKind(probe: ProbeDecl, text: string): ProbeKind {
  return kindOf.of(probe, () => readKind(probe, text));
}

function readKind(probe: ProbeDecl, text: string): ProbeKind {
  // `probe NAME = POINTS`: the alias's own body is read with the probe that uses it, by stap.
  const points = probe.alias ? [] : probe.points;
  const first = points[0]?.components[0]?.name ?? '';
  const builtIn = points.length > 0 && points.every((p) => p.components.length > 0 && OWN_POINTS.has(p.components[0].name) && !/[*?[]/.test(text.slice(p.start, p.end)));
  return { name: first, builtIn, procfs: builtIn && points.every((p) => p.components[0].name === 'procfs') };
}
