// `npm run bench`: parser performance, measured against stap in the same run.
//  1. whole-library parse: `stap-check --syntax-only --library` over the tapset
//     files stap itself parses, as one process, against `stap -p1` (which
//     parses the same library); wall time and peak RSS, medians, as ratios;
//  2. re-parse of a 5,000-line script after a one-character edit: p50/p95;
//  3. throughput over the library, in MB/s;
//  4. library features after start-up: from `initialized` to a hover on a
//     library function that answers with its doc, in a fresh stdio server,
//     with the tapset index cache cold (empty) and warm.
// Figures only: nothing here passes or fails.

import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { analyze } from '../server/src/analysis/analyze';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../server/src/analysis/tapsetLibrary';
import { machineTarget, tapsetArchDir } from '../server/src/analysis/target';
import { loadCParser } from '../server/src/embedded/cParser';
import { parse } from '../server/src/syntax/parser';
import { startServer, stopServer } from '../test/support/lsp';
import { fakeKernelTree, findStap } from '../test/support/stapOracle';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
/** `BENCH_SECTIONS=1,4`: only those sections. */
const SECTIONS = new Set((process.env.BENCH_SECTIONS ?? '1,2,3,4').split(',').map(Number));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

/** Wall seconds and peak RSS (KiB) of one process, from GNU time. */
function measure(command: string[]): { wall: number; rssKb: number; ok: boolean } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', ...command], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, rss] = last.split(' ').map(Number);
  return { wall, rssKb: rss, ok: r.status === 0 };
}

function machine(): string {
  const cpu = fs.readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1] ?? os.arch();
  const stap = findStap();
  const stapVersion = stap ? execFileSync(stap, ['--version'], { encoding: 'utf8' }).split('\n')[0] : 'stap not installed';
  // Other work on the machine slows every figure down: say how much there was.
  return `${cpu}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, load average ${os.loadavg()[0].toFixed(1)}; node ${process.version}; ${stapVersion}`;
}

function libraryBench(tapsetDir: string, files: string[]): void {
  const stap = findStap();
  console.log(`\n1. Whole-library parse (${files.length} files stap parses for ${machineTarget().arch}), ${RUNS} runs each, medians`);
  if (!stap || !fs.existsSync('/usr/bin/time')) {
    console.log('   skipped: needs stap and /usr/bin/time');
    return;
  }
  const stapCommand = [stap, '-r', fakeKernelTree(), '-p1', '-e', 'probe begin {}'];
  const ourCommand = [process.execPath, CLI, '--syntax-only', '--library', '--tapset-dir', tapsetDir, ...files];
  const theirs: { wall: number; rssKb: number }[] = [];
  const ours: { wall: number; rssKb: number }[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate, so that machine noise falls on both alike.
    const s = measure(stapCommand);
    const o = measure(ourCommand);
    if (!s.ok) throw new Error(`${stapCommand.join(' ')} failed`);
    if (!o.ok) throw new Error('stap-check reported errors on the tapset library');
    theirs.push(s);
    ours.push(o);
  }
  const sw = median(theirs.map((x) => x.wall));
  const ow = median(ours.map((x) => x.wall));
  const sm = median(theirs.map((x) => x.rssKb));
  const om = median(ours.map((x) => x.rssKb));
  console.log(`   stap -p1 -e 'probe begin {}'      wall ${sw.toFixed(2)} s   peak RSS ${(sm / 1024).toFixed(1)} MiB`);
  console.log(`   stap-check --syntax-only --library wall ${ow.toFixed(2)} s   peak RSS ${(om / 1024).toFixed(1)} MiB`);
  console.log(`   ratio (ours / stap): wall ${(ow / sw).toFixed(2)}, memory ${(om / sm).toFixed(2)}   (goal: wall <= 0.5, memory < 1)`);
}

function throughputBench(files: string[], macros: ReturnType<typeof loadLibraryMacros>): void {
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  for (const t of texts) parse(t, { libraryMacros: macros }); // warm up the JIT
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    for (const t of texts) parse(t, { libraryMacros: macros });
    times.push(performance.now() - started);
  }
  const ms = median(times);
  console.log(`\n3. Throughput: ${(bytes / 2 ** 20).toFixed(2)} MiB of tapset source parsed in ${ms.toFixed(0)} ms (median of ${RUNS}): ${(bytes / 2 ** 20 / (ms / 1000)).toFixed(1)} MiB/s`);
}

async function reparseBench(macros: ReturnType<typeof loadLibraryMacros>): Promise<void> {
  // A 5,000-line script made of the samples repeated, with renamed functions.
  const samples = listFiles(path.join(REPO_ROOT, 'samples'), ['.stp'])
    .filter((f) => !f.endsWith('mistakes.stp'))
    .map((f) => fs.readFileSync(f, 'utf8').replace(/^#!.*\n/, ''));
  const parts: string[] = [];
  let lines = 0;
  for (let i = 0; lines < 5000; i++) {
    const part = samples[i % samples.length].replace(/function (\w+)/g, `function $1_${i}`);
    parts.push(part);
    lines += part.split('\n').length;
  }
  let text = parts.join('\n');
  const lineCount = text.split('\n').length;
  const cParser = await loadCParser();
  const target = machineTarget({ guru: true });
  const digits = [...text.matchAll(/\d/g)].map((m) => m.index!);
  const syntaxTimes: number[] = [];
  const fullTimes: number[] = [];
  for (let i = 0; i < 300; i++) {
    // One character edit: change a digit somewhere in the file.
    const at = digits[(i * 7919) % digits.length];
    text = text.slice(0, at) + String((Number(text[at]) + 1) % 10) + text.slice(at + 1);
    let started = performance.now();
    parse(text, { target, libraryMacros: macros });
    syntaxTimes.push(performance.now() - started);
    started = performance.now();
    analyze(text, { target, libraryMacros: macros, cParser, guru: true });
    fullTimes.push(performance.now() - started);
  }
  const warm = (xs: number[]) => xs.slice(20); // the first runs include JIT warm-up
  const s = warm(syntaxTimes);
  const f = warm(fullTimes);
  console.log(`\n2. Re-parse of a ${lineCount}-line script after a one-character edit (${s.length} edits)`);
  console.log(`   parse only:                    p50 ${percentile(s, 50).toFixed(2)} ms   p95 ${percentile(s, 95).toFixed(2)} ms   (goal: p95 < 10 ms)`);
  console.log(`   full analysis (+ embedded C):  p50 ${percentile(f, 50).toFixed(2)} ms   p95 ${percentile(f, 95).toFixed(2)} ms`);
}

const CLOCK_TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/**
 * The CPU time a process's main thread has used so far, in milliseconds (clock-tick resolution),
 * from /proc: the JavaScript runs there, so on an idle machine the wall time is about this plus
 * the waits for the disk.
 */
function cpuMs(pid: number | undefined): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/task/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS; // utime, stime
  } catch {
    return NaN;
  }
}

/**
 * Milliseconds from `initialized` to a hover on `execname` answering with its doc, in a new
 * server keeping its cache in `cacheHome`, and the CPU time of the server's main thread
 * meanwhile: on a busy machine the wall time says more about the other work than about ours.
 */
async function hoverAfterStart(cacheHome: string): Promise<{ ms: number; cpu: number; doc: boolean }> {
  const server = startServer({ cacheHome });
  const { connection, child } = server;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    const uri = 'file:///tmp/bench-hover.stp';
    const started = performance.now();
    const cpuBefore = cpuMs(child.pid);
    await connection.sendNotification('initialized', {});
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: 'probe begin { println(execname()) }\n' } });
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 24 } })) as { contents?: { value?: string } } | null;
    const ms = performance.now() - started;
    const cpu = cpuMs(child.pid) - cpuBefore;
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    return { ms, cpu, doc: !!hover?.contents?.value?.includes('execname') };
  } finally {
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    stopServer(server);
  }
}

async function startupBench(): Promise<void> {
  console.log(`\n4. Library features after start-up: a hover on execname() sent right after initialized, fresh stdio server, ${RUNS} runs each, medians`);
  const cold: { ms: number; cpu: number }[] = [];
  const warm: { ms: number; cpu: number }[] = [];
  let missing = 0;
  for (let i = 0; i < RUNS; i++) {
    const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-bench-cache-'));
    try {
      // The first start finds no cache and writes it; the second reads it.
      for (const [runs, run] of [
        [cold, await hoverAfterStart(cacheHome)],
        [warm, await hoverAfterStart(cacheHome)],
      ] as const) {
        runs.push(run);
        if (!run.doc) missing++;
      }
    } finally {
      fs.rmSync(cacheHome, { recursive: true, force: true });
    }
  }
  const range = (runs: { ms: number; cpu: number }[]) => {
    const xs = runs.map((r) => r.ms);
    return `median ${median(xs).toFixed(0)} ms (min ${Math.min(...xs).toFixed(0)}, max ${Math.max(...xs).toFixed(0)}); server main thread CPU ${median(runs.map((r) => r.cpu)).toFixed(0)} ms`;
  };
  console.log(`   cold index cache (built, then written): ${range(cold)}`);
  console.log(`   warm index cache (read back):           ${range(warm)}   (goal: <= 150 ms)`);
  if (missing > 0) console.log(`   ${missing} of ${2 * RUNS} hovers came back without the doc`);
}

async function main(): Promise<void> {
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build');
  const tapsetDir = findTapsetDir();
  if (!tapsetDir) throw new Error('no tapset library installed (apt-get install systemtap)');
  const arch = tapsetArchDir(machineTarget().arch);
  const files = listFiles(tapsetDir, ['.stp', '.stpm'], arch);
  const macros = loadLibraryMacros(tapsetDir, arch);
  console.log(`machine: ${machine()}`);
  console.log(`command: npm run bench`);
  if (SECTIONS.has(1)) libraryBench(tapsetDir, files);
  if (SECTIONS.has(2)) await reparseBench(macros);
  if (SECTIONS.has(3)) throughputBench(files, macros);
  if (SECTIONS.has(4)) await startupBench();
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
