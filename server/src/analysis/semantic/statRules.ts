// stap's pass-2 rules for statistics that type inference alone does not
// give: a statistic must be a global (`<<<` into a local that is read is
// "stat locals not supported"), each statistic has one histogram shape
// (`@hist_log`, or `@hist_linear` with one set of parameters), `foreach`
// sorting by `@sum` and the like walks statistics only, and a `foreach`
// value variable cannot hold a statistic.

import { Expr, Script, Statement, withoutSortMark } from '../../syntax/ast';
import { BodyFacts, unmoved } from '../../syntax/bodyFacts';
import { flatBody } from '../../syntax/walk';
import { Finding } from '../diagnostic';
import { keptBodies, unguardedPlaces, walkUnguarded } from './keptCode';
import { VariableSymbol } from './types';

/** The variable a statistic operand names: `s`, `s[k]`. */
function statName(e: Expr | undefined): Expr | undefined {
  if (!e) return undefined;
  const base = e.kind === 'index' ? e.children[0] : e;
  return base?.kind === 'identifier' ? base : undefined;
}

/** A literal's value whichever way it is written (`16`, `0x10`, `020`); other text as it is. */
function literalValue(written: string): string {
  const m = /^(-?)(0x[0-9a-f]+|0[0-7]*|[1-9]\d*)$/i.exec(written);
  if (!m) return written;
  const digits = /^0[0-7]/.test(m[2]) ? `0o${m[2].slice(1)}` : m[2];
  return `${m[1]}${BigInt(digits).toString()}`;
}

/** `@hist_log` or `@hist_linear(_, 0, 10, 1)`: the shape, with the parameters' values. */
function histogramShape(h: Expr, text: string): string {
  return [h.text, ...h.children.slice(1).map((p) => literalValue(text.slice(p.start, p.end).replace(/\s+/g, '')))].join(',');
}

const SORT_STAT = /^\s*(@(?:count|sum|min|max|avg))\s*[+-]/;

/**
 * Where a body has what these rules look at (`<<<`, histograms, `foreach`),
 * outside what `@defined` guards, in the order of the walk, by place in its
 * layout: it depends on the body alone, and is kept with it.
 */
const statSitesIn = new BodyFacts<Int32Array>(unmoved);

function statSites(root: Statement): Int32Array {
  return statSitesIn.of(root, () => findStatSites(root));
}

function findStatSites(root: Statement): Int32Array {
  const sites: number[] = [];
  unguardedPlaces(root, (node, at) => {
    const e = node as Expr;
    if ((e.kind === 'assign' && e.text === '<<<') || (e.kind === 'atOperator' && (e.text === '@hist_log' || e.text === '@hist_linear')) || node.kind === 'foreach') sites.push(at);
  });
  return Int32Array.from(sites);
}

export function checkStatRules(script: Script, text: string, reached: ReadonlySet<string>, globals: ReadonlyMap<string, VariableSymbol>, libraryGlobals?: ReadonlySet<string>): Finding[] {
  const findings: Finding[] = [];
  const isGlobal = (name: string) => globals.has(name) || !!libraryGlobals?.has(name);
  let localStatReported = false;
  const shapes = new Map<string, { shape: string; written: string }>();
  for (const body of keptBodies(script, reached)) {
    // The probe's or function's locals that receive `<<<`, and each one's references in the order of the text.
    const sites = statSites(body.root);
    if (sites.length === 0) continue;
    const { nodes } = flatBody(body.root);
    const params = new Set(body.fn?.params.map((p) => p.text) ?? []);
    const aggregated = new Set<string>();
    const aggregateTargets = new Set<Expr>();
    for (const site of sites) {
      const e = nodes[site] as Expr;
      if (e.kind === 'assign' && e.text === '<<<') {
        const target = e.children[0];
        if (target?.kind === 'identifier' && !isGlobal(target.text) && !params.has(target.text)) {
          aggregated.add(target.text);
          aggregateTargets.add(target);
        }
      }
      if (e.kind === 'atOperator' && (e.text === '@hist_log' || e.text === '@hist_linear')) {
        const stat = statName(e.children[0]);
        if (stat && isGlobal(stat.text)) {
          const shape = histogramShape(e, text);
          const first = shapes.get(stat.text);
          if (first === undefined) shapes.set(stat.text, { shape, written: text.slice(e.start, e.end) });
          else if (first.shape !== shape)
            findings.push({
              start: e.start,
              end: e.start + e.text.length,
              severity: 'error',
              code: 'histogram-types',
              message: `multiple histogram types declared on '${stat.text}': it is drawn elsewhere as ${first.written}, and a statistic keeps one histogram shape`,
            });
        }
      }
      if (nodes[site].kind === 'foreach') foreachOnStats(e, text, globals, findings);
    }
    if (localStatReported || aggregated.size === 0) continue;
    const identifiers: Expr[] = [];
    walkUnguarded(body.root, (node) => {
      if (node.kind === 'identifier') identifiers.push(node as Expr);
    });
    for (const name of aggregated) {
      const refs = identifiers.filter((i) => i.text === name);
      // A local only ever aggregated into is elided by stap, with a warning, before the check.
      if (!refs.some((r) => !aggregateTargets.has(r))) continue;
      const first = refs.sort((a, b) => a.start - b.start)[0];
      findings.push({
        start: first.start,
        end: first.end,
        severity: 'error',
        code: 'stat-local',
        message: `stat locals not supported, missing global declaration? '${name}' receives '<<<': declare it with 'global ${name}'`,
      });
      // stap prints the first and suppresses the rest as similar.
      localStatReported = true;
      break;
    }
  }
  return findings;
}

/** `foreach (... in a @sum+)` on an array of numbers or strings; `foreach (v = k in s)` on statistics. */
function foreachOnStats(loop: Expr, text: string, globals: ReadonlyMap<string, VariableSymbol>, findings: Finding[]): void {
  const kids = loop.children as Expr[];
  const valueAt = kids[0]?.kind === 'assign' ? 0 : -1;
  const array = kids[valueAt + 2];
  if (array?.kind !== 'identifier') return;
  const type = globals.get(array.text)?.value.type;
  if (!type) return;
  const sort = SORT_STAT.exec(text.slice(array.end, loop.end));
  if (sort && type !== 'stats')
    findings.push({
      start: array.start,
      end: array.end,
      severity: 'error',
      code: 'type-mismatch',
      message: `invalid type ${type}: '${array.text}' holds ${type === 'long' ? 'numbers' : 'strings'}, and sorting by ${sort[1]} needs statistics: sort by the value with '${array.text}+' or '${array.text}-'`,
    });
  if (valueAt === 0 && type === 'stats') {
    const value = kids[0].children[0];
    const name = withoutSortMark(value.text);
    findings.push({
      start: value.start,
      end: value.start + name.length,
      severity: 'error',
      code: 'stat-as-value',
      message: `invalid type stats: '${array.text}' holds statistics, which a loop variable cannot hold: read @count(${array.text}[...]) and the like in the body`,
    });
  }
}
