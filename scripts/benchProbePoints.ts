// `npm run bench:probe-points`: the cost of resolving probe points as the
// editor does after each edit. A 5,000-line script of probes on stap's own
// points, library aliases, globs and kernel functions is checked against the
// installed tapset library's aliases (or 5,000 made-up ones without it), once
// clean and once with a misspelt point in every tenth probe (each then gets
// stap's "similar" list). Prints p50/p95 of the check alone, in wall and CPU
// time. Figures only: nothing here passes or fails.

import { checkProbePoints } from '../server/src/analysis/semantic/probePoints';
import { buildTapsetIndex } from '../server/src/analysis/tapsetIndex';
import { findTapsetDir, loadLibraryMacros } from '../server/src/analysis/tapsetLibrary';
import { parse } from '../server/src/syntax/parser';
import { DEFAULT_TARGET } from '../server/src/syntax/preprocessor';

const RUNS = Number(process.env.BENCH_RUNS ?? 41);

const POINTS = ['timer.ms(100)', 'syscall.open', 'procfs("stat").read', 'begin', 'syscall.*', 'kernel.function("vfs_read").return', 'vm.pagefault', 'timer.s(1).randomize(0)'];

function script(lines: number, misspelt: boolean): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < lines; i++) {
    const point = misspelt && i % 10 === 0 ? 'syscall.opne' : POINTS[i % POINTS.length];
    parts.push(`probe ${point}, timer.us(${100 + i}) {\n  x = ${i}\n  println(x)\n}\n`);
    length += 4;
  }
  return parts.join('');
}

function percentile(xs: number[], p: number): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))];
}

async function aliasNames(): Promise<ReadonlyMap<string, unknown>> {
  const dir = findTapsetDir();
  if (dir) {
    const index = await buildTapsetIndex(dir, 'x86_64', DEFAULT_TARGET, loadLibraryMacros(dir));
    if (index.probes.size) return index.probes;
  }
  return new Map(Array.from({ length: 5000 }, (_, i) => [`family${i % 50}.event${i}`, []]));
}

async function main(): Promise<void> {
  const libraryProbes = await aliasNames();
  console.log(`${libraryProbes.size} library aliases; ${RUNS} runs each:`);
  for (const misspelt of [false, true]) {
    const text = script(5000, misspelt);
    const tree = parse(text, {});
    const wall: number[] = [];
    const cpu: number[] = [];
    let found = 0;
    for (let run = 0; run < RUNS; run++) {
      const before = process.cpuUsage();
      const t0 = performance.now();
      found = checkProbePoints(tree, text, { libraryProbes }).length;
      wall.push(performance.now() - t0);
      const used = process.cpuUsage(before);
      cpu.push((used.user + used.system) / 1000);
    }
    const name = misspelt ? `with ${found} misspelt points` : 'clean';
    console.log(
      `5,000-line script, ${name.padEnd(24)} wall p50 ${percentile(wall, 0.5).toFixed(2)} ms  p95 ${percentile(wall, 0.95).toFixed(2)} ms   CPU p50 ${percentile(cpu, 0.5).toFixed(2)} ms  p95 ${percentile(cpu, 0.95).toFixed(2)} ms`,
    );
  }
}

void main();
