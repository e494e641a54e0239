// `npm run bench:semantic`: the cost of stap's pass 2 as the editor runs it.
// A 5,000-line script of functions and probes that use globals, arrays,
// statistics and calls is edited one character at a time; each edit is
// parsed again (as the editor does: only the declarations the edit touches)
// and its types inferred again. Prints p50/p95 of the whole analysis after an
// edit, of the parse alone (and of a whole parse, for comparison) and of the
// semantic analysis alone, in wall and CPU time (on a busy machine the CPU
// time is the steadier figure).
// Figures only: nothing here passes or fails.

import { analyzeSemantics } from '../server/src/analysis/semantic';
import { parse } from '../server/src/syntax/parser';
import { ParsedText, reparse } from '../server/src/syntax/reparse';
import { percentile, semanticBenchScript } from './semanticScript';

const RUNS = Number(process.env.BENCH_RUNS ?? 41);

const base = semanticBenchScript(5000, { foreach: true });
const parseWall: number[] = [];
const wholeParseWall: number[] = [];
let previous: ParsedText = { text: base, options: {}, script: parse(base, {}) };
const semanticWall: number[] = [];
const semanticCpu: number[] = [];
const totalWall: number[] = [];
for (let run = 0; run < RUNS; run++) {
  // One character typed in the middle of a probe: `total += k2` becomes `total += k2 ` and back.
  const at = base.indexOf('total += k2', Math.floor((base.length * run) / RUNS)) + 11;
  const text = base.slice(0, at) + (run % 2 ? ' ' : '') + base.slice(at);
  const w0 = performance.now();
  parse(text, {});
  wholeParseWall.push(performance.now() - w0);
  const t0 = performance.now();
  const tree = reparse(previous, text, {});
  const t1 = performance.now();
  previous = { text, options: {}, script: tree };
  const cpu = process.cpuUsage();
  const result = analyzeSemantics(tree, text);
  const used = process.cpuUsage(cpu);
  const t2 = performance.now();
  if (result.findings.length) throw new Error(`the benchmark script should be clean: ${result.findings[0].message}`);
  parseWall.push(t1 - t0);
  semanticWall.push(t2 - t1);
  semanticCpu.push((used.user + used.system) / 1000);
  totalWall.push(t2 - t0);
}
const row = (name: string, xs: number[]) => console.log(`${name.padEnd(34)} p50 ${percentile(xs, 0.5).toFixed(1).padStart(6)} ms   p95 ${percentile(xs, 0.95).toFixed(1).padStart(6)} ms`);
console.log(`5,000-line script (${base.split('\n').length - 1} lines, ${(base.length / 1024).toFixed(0)} KB), ${RUNS} one-character edits:`);
row('parse (whole text, for comparison)', wholeParseWall);
row('parse again after the edit', parseWall);
row('semantic analysis (wall)', semanticWall);
row('semantic analysis (CPU)', semanticCpu);
row('parse + semantic analysis (wall)', totalWall);
