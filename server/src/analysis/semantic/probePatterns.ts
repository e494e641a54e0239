// stap's tree of probe point patterns (elaborate.cxx, match_node): each level
// maps a component, with the kind of parameter it takes, to the next level;
// a level where a point may end says what provides the probe there (one of
// stap's own builders, or an alias). Built once for stap's own points and once
// per tapset index; a script's own aliases make a third, small tree, and a
// lookup reads the three together.

import { BUILTIN_PROBE_PATTERNS } from './builtinProbePoints';
import { byteOrder } from './stapSimilar';

/** The parameter a component takes: none, a number, a string. */
export type ParamKind = '' | 'number' | 'string';

/** Who provides a probe where a point ends: an alias, or the family of stap's own builder. */
export type Provider = 'alias' | 'timer' | 'procfs' | 'netfilter' | 'other';

export interface PatternNode {
  /** This level's component, without its parameter, and the parameter it takes. */
  name: string;
  param: ParamKind;
  /** By `name` or `name(number)` / `name(string)`. */
  sub: Map<string, PatternNode>;
  ends: Set<Provider>;
}

export const patternKey = (name: string, param: ParamKind): string => (param ? `${name}(${param})` : name);

export const newPatternNode = (key = ''): PatternNode => {
  const m = /^(.*?)(?:\((number|string)\))?$/.exec(key)!;
  return { name: m[1], param: (m[2] ?? '') as ParamKind, sub: new Map(), ends: new Set() };
};

/** Adds one pattern, given as components `name` or `name(number)`. */
export function addPattern(root: PatternNode, keys: readonly string[], provider: Provider): void {
  let node = root;
  for (const key of keys) {
    let next = node.sub.get(key);
    if (!next) node.sub.set(key, (next = newPatternNode(key)));
    node = next;
  }
  node.ends.add(provider);
}

const providerOf = (root: string): Provider => {
  const name = root.replace(/\(.*/, '');
  return name === 'timer' || name === 'procfs' || name === 'netfilter' ? name : 'other';
};

let builtins: PatternNode | undefined;

/** stap's own points. */
export function builtinPatterns(): PatternNode {
  if (builtins) return builtins;
  builtins = newPatternNode();
  for (const line of BUILTIN_PROBE_PATTERNS) {
    const keys = line.split('.');
    addPattern(builtins, keys, providerOf(keys[0]));
  }
  return builtins;
}

const aliasTrees = new WeakMap<object, PatternNode>();

/** The tapset library's aliases (`syscall.open`, `vm.pagefault`), by the names the index holds; built once per index. */
export function aliasPatterns(names: ReadonlyMap<string, unknown>): PatternNode {
  let tree = aliasTrees.get(names);
  if (!tree) {
    tree = newPatternNode();
    for (const name of names.keys()) addPattern(tree, name.split('.'), 'alias');
    aliasTrees.set(names, tree);
  }
  return tree;
}

/** A level of the trees read together: the nodes at the same place in each. */
export type Level = readonly PatternNode[];

export function childLevel(level: Level, key: string): Level {
  const next: PatternNode[] = [];
  for (const node of level) {
    const child = node.sub.get(key);
    if (child) next.push(child);
  }
  return next;
}

export function levelEnds(level: Level): Set<Provider> {
  if (level.length === 1) return level[0].ends;
  const ends = new Set<Provider>();
  for (const node of level) for (const p of node.ends) ends.add(p);
  return ends;
}

/** The keys of a level whose component a glob matches, with the same kind of parameter, each once; in no particular order. */
export function* globKeys(level: Level, glob: RegExp, param: ParamKind): Generator<string> {
  const seen = level.length > 1 ? new Set<string>() : undefined;
  for (const node of level)
    for (const [key, child] of node.sub) {
      if (child.param !== param || !glob.test(child.name) || seen?.has(key)) continue;
      seen?.add(key);
      yield key;
    }
}

/** The keys of a level in stap's order: by name in byte order, then none before number before string. */
export function levelKeys(level: Level): string[] {
  const rank = (key: string) => (key.endsWith('(number)') ? 1 : key.endsWith('(string)') ? 2 : 0);
  const nameOf = (key: string) => key.replace(/\((number|string)\)$/, '');
  const keys = new Set<string>();
  for (const node of level) for (const key of node.sub.keys()) keys.add(key);
  return [...keys].sort((a, b) => byteOrder(nameOf(a), nameOf(b)) || rank(a) - rank(b));
}

/** The names of a level without their parameters, as stap offers them as "similar". */
export function levelNames(level: Level): Set<string> {
  const names = new Set<string>();
  for (const node of level) for (const child of node.sub.values()) names.add(child.name);
  return names;
}
