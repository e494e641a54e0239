// Probe points stap cannot resolve in pass 2, as elaborate.cxx's match_node
// resolves them: a component no alias and no point of stap's own has at that
// level ("probe point mismatch", with stap's "similar:" list), a point that
// stops too early ("probe point truncated"), components after a complete
// point of stap's own ("invalid suffix for probe"), a glob (`*`, `**`) that
// matches nothing, and values the builders refuse (`timer.ms(0)`,
// `procfs("/x")`, netfilter names stap knows only in guru mode). Optional points (`?`, `!`) are never errors, as in stap.
// Where an alias is reached its expansion is not followed; where a parameter
// is not known (a script argument) nothing is said.

import { ProbeComponent, ProbePoint, Script } from '../../syntax/ast';
import { BodyFacts, movedRanges, sameKey } from '../../syntax/bodyFacts';
import { numberValue } from '../../syntax/lexer';
import { Finding } from '../diagnostic';
import { OTHER_BUILDS_ROOTS } from './builtinProbePoints';
import { netfilterProblem, Params, ParamValue, procfsProblem, timerProblem } from './builtinParameters';
import { addPattern, aliasPatterns, builtinPatterns, childLevel, globKeys, Level, levelEnds, levelKeys, levelNames, newPatternNode, ParamKind, PatternNode, patternKey } from './probePatterns';
import { stapSimilar } from './stapSimilar';

export interface ProbePointOptions {
  /** The tapset library's probe aliases by name (`syscall.open`); without them, only the values of stap's own points are checked. */
  libraryProbes?: ReadonlyMap<string, unknown>;
  /** Guru mode (`stap -g`, or the `#!` line's): netfilter points take any names. */
  guru?: boolean;
}

interface Problem {
  /** The index of the component stap names; the first component for a value a builder refuses. */
  at: number;
  /** The component's name is nowhere at its level, with any parameter. */
  nameUnknown?: boolean;
  start: number;
  end: number;
  message: string;
  replacement?: string;
}

/** What resolving a point gave: a probe, nothing this analysis can judge, or stap's error. */
type Outcome = 'ok' | 'unknown' | Problem;

interface Component {
  name: string;
  param: ParamKind;
  value: ParamValue;
  start: number;
  /** End of the name, without the parameter. */
  nameEnd: number;
}

export function checkProbePoints(script: Script, text: string, options: ProbePointOptions): Finding[] {
  const judge = pointJudge(script, text, options);
  const findings: Finding[] = [];
  for (const item of script.items) {
    // An alias's own points are resolved where a probe uses it, in its expansion: not judged here.
    if (item.kind !== 'probe' || item.alias) continue;
    for (const point of item.points) {
      if (point.optional || point.sufficient) continue;
      const outcome = judge(point);
      if (!outcome) continue;
      // A first component that names nothing known may be a family of aliases in a tapset folder
      // of the user's own (`stap -I DIR`): a warning, as for an unknown function.
      const ownFolder = outcome.at === 0 && !!outcome.nameUnknown;
      findings.push({
        start: outcome.start,
        end: outcome.end,
        severity: ownFolder ? 'warning' : 'error',
        code: isValueProblem(outcome.message) ? 'probe-point-invalid' : 'probe-point-unknown',
        message: ownFolder ? `${outcome.message}; tapsets of your own: add their folder to systemtap.includePaths (stap -I)` : outcome.message,
        replacement: outcome.replacement,
        related: outcome.start !== point.start ? [{ start: point.start, end: point.end, message: 'while resolving probe point' }] : undefined,
      });
    }
  }
  return findings;
}

/**
 * The optional (`?`, `!`) points of the script's probes that surely resolve to nothing, which stap
 * drops without a word: a problem that is not a first name a tapset folder of the user's own may define.
 */
export function optionalPointsFindingNothing(script: Script, text: string, options: ProbePointOptions): Set<ProbePoint> {
  const judge = pointJudge(script, text, options);
  const dropped = new Set<ProbePoint>();
  for (const item of script.items) {
    if (item.kind !== 'probe' || item.alias) continue;
    for (const point of item.points) {
      if (!point.optional && !point.sufficient) continue;
      const outcome = judge(point);
      if (outcome && !(outcome.at === 0 && outcome.nameUnknown)) dropped.add(point);
    }
  }
  return dropped;
}

/** Resolves points one after another within the script's budget: stap's problem with a point, or undefined when it resolves or cannot be judged here. */
function pointJudge(script: Script, text: string, options: ProbePointOptions): (point: ProbePoint) => Problem | undefined {
  const aliasesKnown = !!options.libraryProbes && options.libraryProbes.size > 0;
  const own = ownAliases(script, text);
  const level: Level = [builtinPatterns(), ...(aliasesKnown ? [aliasPatterns(options.libraryProbes!)] : []), ...(own ? [own.tree] : [])];
  const search: Search = { steps: 0, quiet: false, similar: new Map(), guru: !!options.guru };
  // What a point's verdict depends on besides the point.
  const key = [options.libraryProbes, !!options.guru, own?.signature];
  let left = SCRIPT_LIMIT;
  return (point) => {
    // A verdict reached with the whole budget of a point is the same while the script still has that budget to give.
    const known = judged.get(point);
    if (known && left >= POINT_LIMIT && sameKey(known.key, key)) {
      left -= known.used;
      return known.problem;
    }
    const components = readComponents(point, text);
    if (!components || OTHER_BUILDS_ROOTS.has(components[0].name)) {
      judged.set(point, { key, used: 0, problem: undefined });
      return undefined;
    }
    const budget = Math.min(POINT_LIMIT, left);
    search.steps = budget;
    const outcome = resolve(level, components, 0, point, search);
    const used = budget - Math.max(0, search.steps);
    left -= used;
    // Without the library, a point that matches nothing may be an alias: only the values of stap's own points are sure.
    const problem = typeof outcome === 'string' || (!aliasesKnown && !isValueProblem(outcome.message)) ? undefined : outcome;
    if (budget === POINT_LIMIT) judged.set(point, { key, used, problem });
    return problem;
  };
}

/** Each point's verdict (bodyFacts.ts): what it depended on, the steps it took, the problem found. */
const judged = new BodyFacts<{ key: readonly unknown[]; used: number; problem: Problem | undefined }>((verdict, d, nodes) =>
  verdict.problem ? { ...verdict, problem: movedRanges([verdict.problem], d, nodes)[0] } : verdict,
);

const MATCH_PROBLEMS = /^(probe point mismatch|probe point truncated|invalid suffix for probe)/;
const isValueProblem = (message: string) => !MATCH_PROBLEMS.test(message);

/** The script's own `probe NAME = ...` aliases, as a tree, and the names they define (what a point's verdict depends on); undefined when it has none. */
function ownAliases(script: Script, text: string): { tree: PatternNode; signature: string } | undefined {
  let tree: PatternNode | undefined;
  const names: string[] = [];
  for (const item of script.items) {
    if (item.kind !== 'probe' || !item.alias) continue;
    for (const name of item.points) {
      const components = readComponents(name, text);
      if (!components) continue;
      tree ??= newPatternNode();
      const keys = components.map((c) => patternKey(c.name, c.param));
      addPattern(tree, keys, 'alias');
      names.push(keys.join('.'));
    }
  }
  return tree && { tree, signature: names.join('\n') };
}

/** The point's components with their parameters; undefined when a component is not plain (`{a,b}` alternatives, `$1`, a parameter not known). */
function readComponents(point: ProbePoint, text: string): Component[] | undefined {
  const out: Component[] = [];
  for (const c of point.components) {
    if (!/^[\w*]+$/.test(c.name) || !text.startsWith(c.name, c.start)) return undefined;
    const param = readParam(c);
    if (!param) return undefined;
    out.push({ name: c.name, param: param.kind, value: param.value, start: c.start, nameEnd: c.start + c.name.length });
  }
  return out.length ? out : undefined;
}

function readParam(c: ProbeComponent): { kind: ParamKind; value: ParamValue } | undefined {
  const arg = c.arg;
  if (!arg) return { kind: '', value: undefined };
  if (arg.kind === 'number') {
    const negative = arg.text.startsWith('-');
    const magnitude = numberValue(negative ? arg.text.slice(1) : arg.text);
    return { kind: 'number', value: magnitude === undefined ? undefined : BigInt.asIntN(64, negative ? -magnitude : magnitude) };
  }
  if (arg.kind === 'string') return { kind: 'string', value: /^"[^"\\]*"$/.test(arg.text) ? arg.text.slice(1, -1) : undefined };
  return undefined;
}

// Globs over globs (`*.*.*`) may visit much of the tree: past these many levels and components
// visited, for one point and for the whole script, points are left unjudged.
const POINT_LIMIT = 20_000;
const SCRIPT_LIMIT = 1_000_000;

interface Search {
  /** Levels and components globs may still visit before the point is left unjudged. */
  steps: number;
  /** Under a glob, errors are only "no match": no "similar" list is worth making. */
  quiet: boolean;
  /** The "similar" lists made so far, by level and name (a misspelling is often repeated), and whether the name is at its level at all. */
  similar: Map<string, { names: string[]; known: boolean }>;
  guru: boolean;
}

function similarAt(search: Search, level: Level, components: readonly Component[], pos: number, name: string): { names: string[]; known: boolean } {
  const where = `${components
    .slice(0, pos)
    .map((c) => patternKey(c.name, c.param))
    .join('.')}\0${name}`;
  let similar = search.similar.get(where);
  if (!similar) {
    const names = levelNames(level);
    search.similar.set(where, (similar = { names: stapSimilar(name, names), known: names.has(name) }));
  }
  return similar;
}

/** match_node::find_and_build, without building: the first probe found, or the error stap gives. */
function resolve(level: Level, components: readonly Component[], pos: number, point: ProbePoint, search: Search): Outcome {
  if (--search.steps < 0) return 'unknown';
  const ends = levelEnds(level);
  if (pos === components.length) {
    const last = components[components.length - 1];
    if (ends.size === 0) {
      const follow = search.quiet
        ? ''
        : levelKeys(level)
            .map((k) => ` ${k}`)
            .join('');
      return { at: components.length - 1, start: last.start, end: last.nameEnd, message: `probe point truncated (follow: ${follow})` };
    }
    if (ends.has('alias')) return 'ok';
    const params: Params = new Map(components.map((c) => [c.name, c.value]));
    const problem = ends.has('timer') ? timerProblem(params) : ends.has('procfs') ? procfsProblem(params) : ends.has('netfilter') ? netfilterProblem(params, search.guru) : undefined;
    return problem ? { at: 0, start: point.start, end: point.end, message: problem } : 'ok';
  }
  const c = components[pos];
  // Components past a complete point: an alias may take them as a suffix; stap's own points take none.
  const suffix = (): Outcome | undefined => {
    if (ends.has('alias')) return 'unknown';
    if (ends.size > 0) return { at: pos, start: c.start, end: c.nameEnd, message: 'invalid suffix for probe' };
    return undefined;
  };
  if (c.name.includes('**')) {
    // "foo**bar" is tried as "foo*bar", then as "foo*" followed by "**bar".
    const glob = c.name.indexOf('**');
    const prefix = c.name.slice(0, glob);
    const rest = c.name.slice(glob).replace(/^\*+/, '');
    const simple = [...components];
    simple[pos] = { ...c, name: `${prefix}*${rest}` };
    const quiet = search.quiet;
    search.quiet = true;
    const first = resolve(level, simple, pos, point, search);
    if (typeof first === 'string') return ((search.quiet = quiet), first);
    const expanded = [...components];
    expanded.splice(pos, 1, { ...c, name: `${prefix}*`, param: '', value: undefined }, { ...c, name: `**${rest}` });
    const second = resolve(level, expanded, pos, point, search);
    search.quiet = quiet;
    if (typeof second === 'string') return second;
    return suffix() ?? wildcardMismatch(search, level, components, pos);
  }
  if (c.name.includes('*')) {
    const pattern = new RegExp(`^${c.name.replace(/\*/g, '.*')}$`);
    let found: Outcome | undefined;
    for (const node of level) search.steps -= node.sub.size;
    if (search.steps < 0) return 'unknown';
    const quiet = search.quiet;
    search.quiet = true;
    for (const key of globKeys(level, pattern, c.param)) {
      const outcome = resolve(childLevel(level, key), components, pos + 1, point, search);
      if (outcome === 'ok') found = 'ok';
      else if (outcome === 'unknown') found ??= 'unknown';
      if (found === 'ok') break;
    }
    search.quiet = quiet;
    return found ?? suffix() ?? wildcardMismatch(search, level, components, pos);
  }
  const key = patternKey(c.name, c.param);
  const next = childLevel(level, key);
  if (next.length) return resolve(next, components, pos + 1, point, search);
  const fromSuffix = suffix();
  if (fromSuffix) return fromSuffix;
  if (search.quiet) return { at: pos, start: c.start, end: c.nameEnd, message: 'probe point mismatch' };
  const { names: similar, known } = similarAt(search, level, components, pos, c.name);
  return {
    at: pos,
    nameUnknown: !known,
    start: c.start,
    end: c.nameEnd,
    message: `probe point mismatch${similar.length ? ` (similar: ${similar.join(', ')})` : ''}`,
    replacement: similar[0] !== undefined && similar[0] !== c.name ? similar[0] : undefined,
  };
}

function wildcardMismatch(search: Search, level: Level, components: readonly Component[], pos: number): Problem {
  // stap suggests by what comes before the first `*`, when something does.
  const c = components[pos];
  const glob = c.name.indexOf('*');
  const functor = glob > 0 ? c.name.slice(0, glob) : c.name;
  const similar = search.quiet ? [] : similarAt(search, level, components, pos, functor).names;
  return {
    at: pos,
    nameUnknown: true,
    start: c.start,
    end: c.nameEnd,
    message: `probe point mismatch: didn't find any wildcard matches${similar.length ? ` (similar: ${similar.join(', ')})` : ''}`,
  };
}
