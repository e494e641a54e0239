// stap's pass 2 drops a probe whose body does nothing once its optimizer has
// trimmed it (`probe begin { }`, `{ ; }`, an `if` or a loop around nothing):
// "WARNING: Probe 'begin' has been elided", at the `probe` keyword, once per
// point; through a script alias whose bodies do nothing too, at the point
// that names the alias. A probe left with nothing else counts as absent for
// "no probes found". Said only where it is sure: points of stap's own that
// need no kernel (begin, end, never, error, timer, procfs) or the script's
// aliases of them, bodies of plain empty statements, no probe condition.
// Given as a hint with the probe faded, like the elided assignments.

import { Expr, ProbeDecl, ProbePoint, Script, Statement } from '../../syntax/ast';
import { BodyFacts, unmoved } from '../../syntax/bodyFacts';
import { Finding } from '../diagnostic';

export interface ElidedPoint {
  probe: ProbeDecl;
  point: ProbePoint;
  /** Each probe stap derives from the point and elides. */
  derived: Derived[];
}

interface Derived {
  /** The first component of the point of stap's own: `begin`. */
  name: string;
  /** Where stap says it: the last point of the chain that names a script alias; none for a point of stap's own in the probe, said at its keyword. */
  via?: ProbePoint;
}

const OWN_POINTS = new Set(['begin', 'end', 'never', 'error', 'timer', 'procfs']);
/** Alias chains followed this deep at most. */
const MAX_ALIAS_DEPTH = 8;

/**
 * The points of the script's probes that stap elides. `dropped` gives the optional points that
 * resolve to nothing (stap derives no probe from them); it is asked only when an empty probe has one.
 */
export function elidedProbePoints(script: Script, dropped: () => ReadonlySet<ProbePoint>): ElidedPoint[] {
  const probes = script.items.filter((i): i is ProbeDecl => i.kind === 'probe' && !i.alias && !!i.body && doesNothing(i.body));
  if (!probes.length) return [];
  const aliases = aliasesByName(script);
  const optional = probes.some((p) => p.points.some((pt) => pt.optional || pt.sufficient));
  const droppedPoints = optional ? dropped() : new Set<ProbePoint>();
  const out: ElidedPoint[] = [];
  for (const probe of probes)
    for (const point of probe.points) {
      if (droppedPoints.has(point)) continue;
      const derived = elidedDerived(point, aliases, 0, undefined);
      if (derived?.length) out.push({ probe, point, derived });
    }
  return out;
}

export function checkElidedProbes(elided: readonly ElidedPoint[], dropped: () => ReadonlySet<ProbePoint>): Finding[] {
  if (!elided.length) return [];
  const findings: Finding[] = [];
  const byProbe = new Map<ProbeDecl, ElidedPoint[]>();
  for (const e of elided) byProbe.set(e.probe, [...(byProbe.get(e.probe) ?? []), e]);
  for (const [probe, points] of byProbe) {
    const gone = new Set(points.map((e) => e.point));
    const whole = probe.points.every((p) => gone.has(p) || ((p.optional || p.sufficient) && dropped().has(p)));
    // stap names the `probe` keyword for a point of its own, and the point that names the alias for one through the script's aliases.
    const derived = points.flatMap((e) => e.derived);
    const direct = derived.filter((d) => !d.via).map((d) => d.name);
    if (direct.length) findings.push(finding(probe.start, whole ? probe.end : probe.start + 'probe'.length, direct, whole));
    const vias = new Map<ProbePoint, string[]>();
    for (const d of derived) if (d.via) vias.set(d.via, [...(vias.get(d.via) ?? []), d.name]);
    // A point in an alias's definition is shared with the alias's other uses: faded only in the probe itself.
    for (const [via, names] of vias) findings.push(finding(via.start, via.end, names, probe.points.includes(via)));
  }
  return findings;
}

function finding(start: number, end: number, names: string[], faded: boolean): Finding {
  const unique = [...new Set(names)];
  const quoted = unique.map((n) => `'${n}'`).join(', ');
  return {
    start,
    end,
    severity: 'hint',
    code: 'probe-elided',
    message: `${unique.length > 1 ? `Probes ${quoted} have` : `Probe ${quoted} has`} been elided: the body does nothing, so stap drops the probe`,
    tags: faded ? ['unnecessary'] : undefined,
  };
}

/** `probe NAME = POINTS` declarations of the script, by the alias name as written. */
function aliasesByName(script: Script): Map<string, ProbeDecl[]> {
  const out = new Map<string, ProbeDecl[]>();
  for (const item of script.items) {
    if (item.kind !== 'probe' || !item.alias) continue;
    for (const name of item.points) {
      const key = plainName(name);
      if (key) out.set(key, [...(out.get(key) ?? []), item]);
    }
  }
  return out;
}

/** `a.b.c` for a point of plain components without parameters; undefined otherwise. */
function plainName(point: ProbePoint): string | undefined {
  if (point.components.some((c) => c.arg || !/^\w+$/.test(c.name))) return undefined;
  return point.components.map((c) => c.name).join('.');
}

/** The probes stap derives from the point and elides (`via`: the alias-naming point it reached them through), or undefined when that is not sure. */
function elidedDerived(point: ProbePoint, aliases: ReadonlyMap<string, ProbeDecl[]>, depth: number, via: ProbePoint | undefined): Derived[] | undefined {
  if (point.condition || depth > MAX_ALIAS_DEPTH) return undefined;
  const key = plainName(point);
  const defs = key ? aliases.get(key) : undefined;
  if (defs) {
    const derived: Derived[] = [];
    for (const def of defs) {
      if (!def.body || !doesNothing(def.body) || (def.epilogue && !doesNothing(def.epilogue))) return undefined;
      for (const target of def.alias!.points) {
        const inner = elidedDerived(target, aliases, depth + 1, point);
        if (!inner) return undefined;
        derived.push(...inner);
      }
    }
    return derived;
  }
  const [first, second] = point.components;
  if (!first || !OWN_POINTS.has(first.name) || point.components.some((c) => !/^\w+$/.test(c.name))) return undefined;
  // `timer.profile` is a library alias (through perf), not stap's own timer.
  if (first.name === 'timer' && second?.name === 'profile' && point.components.length === 2) return undefined;
  return [{ name: first.name, via }];
}

/** Whether a body does nothing, kept with it (bodyFacts.ts). */
const nothingIn = new BodyFacts<boolean>(unmoved);

/** A body stap's optimizer trims to nothing: empty statements and blocks, `if`s, loops and `try`s around them with conditions that do nothing. */
function doesNothing(root: Statement): boolean {
  return nothingIn.of(root, () => trimsToNothing(root));
}

function trimsToNothing(root: Statement): boolean {
  // An explicit stack: blocks may nest deeper than the call stack.
  const stack: (Statement | Expr)[] = [root];
  while (stack.length) {
    const node = stack.pop()!;
    switch (node.kind) {
      case 'block':
      case 'try':
        for (const c of node.children) if (c.kind !== 'identifier') stack.push(c);
        break;
      case 'empty':
        break;
      case 'exprStatement':
      case 'if':
      case 'while':
      case 'for':
        for (const c of node.children) {
          if (isStatementNode(c)) stack.push(c);
          else if (!isPure(c as Expr)) return false;
        }
        break;
      default:
        return false;
    }
  }
  return true;
}

function isStatementNode(n: Statement | Expr): boolean {
  return ['block', 'empty', 'if', 'while', 'for', 'foreach', 'delete', 'next', 'break', 'continue', 'return', 'try', 'exprStatement'].includes(n.kind);
}

/** Literals, variables and operators on them, but assignments and `++`/`--`: nothing stap keeps for its effect. */
function isPure(root: Expr): boolean {
  const stack: Expr[] = [root];
  while (stack.length) {
    const e = stack.pop()!;
    switch (e.kind) {
      case 'number':
      case 'string':
      case 'identifier':
        break;
      case 'paren':
      case 'binary':
      case 'ternary':
        stack.push(...e.children);
        break;
      case 'unary':
        if (e.text === '++' || e.text === '--') return false;
        stack.push(...e.children);
        break;
      default:
        return false;
    }
  }
  return true;
}
