// `npm run bench`: parser performance, measured against stap in the same run.
//  1. whole-library parse: `stap-check --syntax-only --library` over the tapset
//     files stap itself parses, as one process, against `stap -p1` (which
//     parses the same library); wall time, CPU time (user + system: less
//     moved by other work on the machine than the wall time) and peak RSS,
//     medians, as ratios;
//  2. re-parse of a 5,000-line script after a one-character edit, whole and
//     as the editor does it (only what the edit touches): p50/p95;
//  3. throughput over the library, in MB/s;
//  4. recovery: every installed example cut inside its declarations (mid
//     probe point, mid call, unclosed brace ...); how many declarations after
//     the cut keep their outline entries and hovers.
//  5. library features after start-up: from `initialized` to a hover on a
//     library function that answers with its doc, in a fresh stdio server,
//     with the tapset index cache cold (empty) and warm.
//  6. the kernel's type data (/sys/kernel/btf/vmlinux, /proc/kallsyms): load
//     time in fresh processes, the language server's memory with and without
//     it, function-name prefix search, completion latency on the real data
//     and the kernel checks' cost.
//  7. formatting the whole tapset library (Format Document, with its meaning check).
// Figures only: nothing here passes or fails.

import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawn } from 'child_process';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { Analysis, analyze } from '../server/src/analysis/analyze';
import { buildTapsetIndex } from '../server/src/analysis/tapsetIndex';
import { loadKernel, MACHINE_SOURCES } from '../server/src/kernel/loadKernel';
import { KernelTypes } from '../server/src/kernel/kernelTypes';
import { completionList } from '../server/src/features/completion';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../server/src/analysis/tapsetLibrary';
import { machineTarget, tapsetArchDir } from '../server/src/analysis/target';
import { loadCParser } from '../server/src/embedded/cParser';
import { parse } from '../server/src/syntax/parser';
import { reparse } from '../server/src/syntax/reparse';
import { formatText } from '../server/src/format/layout';
import { DEFAULT_FORMAT_OPTIONS } from '../server/src/format/options';
import { analyzer, CUT_KINDS, measureRecovery } from '../test/support/recoveryCuts';
import { startServer, stopServer } from '../test/support/lsp';
import { fakeKernelTree, findStap } from '../test/support/stapOracle';

const REPO_ROOT = path.resolve(__dirname, '..', '..');
const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');
const SERVER = path.join(REPO_ROOT, 'dist', 'server.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const EXAMPLE_DIRS = ['/usr/share/systemtap/examples', '/usr/share/doc/systemtap/examples'];
/** `BENCH_SECTIONS=1,4`: only those sections; `npm run bench -- kernel` is section 6. */
const SECTIONS = new Set((process.argv[2] === 'kernel' ? '6' : (process.env.BENCH_SECTIONS ?? '1,2,3,4,5,6,7')).split(',').map(Number));

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((xs.length * p) / 100))];

/** Wall and CPU (user + system) seconds and peak RSS (KiB) of one process, from GNU time. */
function measure(command: string[]): { wall: number; cpu: number; rssKb: number; ok: boolean } {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S %M', ...command], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const last = r.stderr.trim().split('\n').pop() ?? '';
  const [wall, user, system, rss] = last.split(' ').map(Number);
  return { wall, cpu: user + system, rssKb: rss, ok: r.status === 0 };
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
  // The least any Node program can take for this: start, read every file, stop.
  const floorCommand = [process.execPath, '-e', "for (const f of process.argv.slice(1)) require('fs').readFileSync(f, 'utf8')", ...files];
  const theirs: { wall: number; cpu: number; rssKb: number }[] = [];
  const ours: { wall: number; cpu: number; rssKb: number }[] = [];
  const floor: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // Alternate, so that machine noise falls on both alike.
    const s = measure(stapCommand);
    const o = measure(ourCommand);
    if (!s.ok) throw new Error(`${stapCommand.join(' ')} failed`);
    if (!o.ok) throw new Error('stap-check reported errors on the tapset library');
    theirs.push(s);
    ours.push(o);
    floor.push(measure(floorCommand).wall);
  }
  const sw = median(theirs.map((x) => x.wall));
  const ow = median(ours.map((x) => x.wall));
  const sc = median(theirs.map((x) => x.cpu));
  const oc = median(ours.map((x) => x.cpu));
  const sm = median(theirs.map((x) => x.rssKb));
  const om = median(ours.map((x) => x.rssKb));
  console.log(`   stap -p1 -e 'probe begin {}'      wall ${sw.toFixed(2)} s   CPU ${sc.toFixed(2)} s   peak RSS ${(sm / 1024).toFixed(1)} MiB`);
  console.log(`   stap-check --syntax-only --library wall ${ow.toFixed(2)} s   CPU ${oc.toFixed(2)} s   peak RSS ${(om / 1024).toFixed(1)} MiB`);
  console.log(`   ratio (ours / stap): wall ${(ow / sw).toFixed(2)}, CPU ${(oc / sc).toFixed(2)}, memory ${(om / sm).toFixed(2)}   (goal: wall <= 0.5, memory < 1)`);
  const fw = median(floor);
  console.log(
    `   node, reading the files and nothing else: wall ${fw.toFixed(2)} s, ${(fw / sw).toFixed(2)} of stap's (what is left of the goal for loading and parsing: ${(0.5 * sw - fw).toFixed(2)} s)`,
  );
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
  const reparseTimes: number[] = [];
  /** Each analysis's wall time, and its CPU time (user + system, all threads): on a machine others share, the steadier figure. */
  const full = { wall: [] as number[], cpu: [] as number[] };
  const typing = { wall: [] as number[], cpu: [] as number[] };
  let previous: Analysis | undefined;
  /** The time the analysis of `text` takes as the editor makes it: from the last version, given up, and every check run (reading the findings runs them). */
  const analyseAsTheEditorDoes = (times: { wall: number[]; cpu: number[] }): void => {
    const started = performance.now();
    const cpu = process.cpuUsage();
    const analysis = analyze(
      text,
      { target, libraryMacros: macros, cParser, guru: true },
      previous && { text: previous.text, options: previous.parseOptions, script: previous.script, disposable: true },
    );
    void analysis.findings;
    previous = analysis;
    times.wall.push(performance.now() - started);
    const used = process.cpuUsage(cpu);
    times.cpu.push((used.user + used.system) / 1000);
  };
  // The JIT compiles the code each kind of edit runs during its first edits
  // (the moves in place run only while typing): those are counted apart, and
  // the figures are of the edits after them, as in an editor that has run a while.
  const WARM_UP = 100;
  const EDITS = 300;
  for (let i = 0; i < WARM_UP + EDITS; i++) {
    // One character edit: change a digit somewhere in the file.
    const at = digits[(i * 7919) % digits.length];
    text = text.slice(0, at) + String((Number(text[at]) + 1) % 10) + text.slice(at + 1);
    let started = performance.now();
    const parseOptions = { target, libraryMacros: macros };
    parse(text, parseOptions);
    syntaxTimes.push(performance.now() - started);
    if (previous) {
      started = performance.now();
      reparse({ text: previous.text, options: previous.parseOptions, script: previous.script }, text, previous.parseOptions);
      reparseTimes.push(performance.now() - started);
    }
    analyseAsTheEditorDoes(full);
  }
  // Typing: a digit inserted after another, so the declarations after the edit move each time.
  for (let i = 0; i < WARM_UP + EDITS; i++) {
    const at = nthDigit(text, (i * 7919) % digits.length);
    text = text.slice(0, at) + '1' + text.slice(at);
    analyseAsTheEditorDoes(typing);
  }
  const warm = (xs: number[]) => xs.slice(-EDITS);
  const s = warm(syntaxTimes);
  const typed = warm(typing.wall);
  const r = warm(reparseTimes);
  const f = warm(full.wall);
  const figures = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms   p95 ${percentile(xs, 95).toFixed(2)} ms`;
  console.log(`\n2. Re-parse of a ${lineCount}-line script after a one-character edit (${EDITS} edits of each kind, after ${WARM_UP} to warm up)`);
  console.log(`   whole parse:                   ${figures(s)}`);
  console.log(`   parse again after the edit:    ${figures(r)}   (goal: p95 < 10 ms)`);
  console.log(`   full analysis (+ embedded C):  ${figures(f)}   (goal: p95 < 20 ms)`);
  console.log(`   the same after typing a digit: ${figures(typed)}   (the declarations after each move)`);
  console.log(`   CPU time of the same analyses: ${figures(warm(full.cpu))} after a changed character, ${figures(warm(typing.cpu))} typing`);
  console.log(
    `   the ${WARM_UP} edits of each kind before: full analysis p95 ${percentile(full.wall.slice(0, WARM_UP), 95).toFixed(2)} ms, typing p95 ${percentile(typing.wall.slice(0, WARM_UP), 95).toFixed(2)} ms`,
  );
}

/** The offset of the `n`th digit of `text`. */
function nthDigit(text: string, n: number): number {
  const digit = /\d/g;
  for (let m = digit.exec(text), i = 0; m; m = digit.exec(text), i++) if (i === n) return m.index;
  return text.length;
}

async function recoveryBench(tapsetDir: string, arch: string, macros: ReturnType<typeof loadLibraryMacros>): Promise<void> {
  const files = EXAMPLE_DIRS.flatMap((d) => listFiles(d, ['.stp'])).map((f) => ({ name: f, text: fs.readFileSync(f, 'utf8') }));
  console.log(`\n4. Recovery: ${files.length} installed examples, each cut inside its declarations (at most 4 cuts of a kind a file)`);
  if (files.length === 0) {
    console.log('   skipped: no examples installed (apt-get install systemtap-doc)');
    return;
  }
  const index = await buildTapsetIndex(tapsetDir, arch, machineTarget(), macros);
  const f = measureRecovery(files, analyzer(macros), index);
  const share = (kept: number, total: number) => `${kept} / ${total}${total ? ` (${((100 * kept) / total).toFixed(1)}%)` : ''}`;
  console.log(`   declarations after the cut that keep their outline entries and hovers: ${share(f.kept, f.total)} over ${f.cuts} cuts   (goal: all)`);
  console.log(`   not counted: ${f.dependent} that use the macro being cut (they change with it), ${f.asC} that a cut %{ takes in up to a later %} (C to stap too)`);
  for (const [kind, k] of f.byKind) console.log(`   ${kind.padEnd(28)} ${JSON.stringify(CUT_KINDS[kind]).padEnd(30)} ${String(k.cuts).padStart(4)} cuts   ${share(k.kept, k.total)}`);
  for (const loss of f.losses.slice(0, 20)) console.log(`   lost: ${loss}`);
  if (f.losses.length > 20) console.log(`   ... and ${f.losses.length - 20} more cuts that lost declarations`);
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
  console.log(`\n5. Library features after start-up: a hover on execname() sent right after initialized, fresh stdio server, ${RUNS} runs each, medians`);
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

/** In a fresh process (`bench.js kernel-load`): how long the kernel data takes to load, as JSON on stdout. */
async function kernelLoadChild(): Promise<void> {
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  const started = performance.now();
  const cpuStarted = cpu();
  const loaded = await loadKernel({ kernelTypes: '', kernelRelease: os.release() });
  if (loaded.state !== 'loaded') throw new Error(loaded.message);
  const btfMs = performance.now() - started;
  const btfCpuMs = cpu() - cpuStarted;
  await loaded.symbols;
  const symbolsMs = performance.now() - started;
  const symbolsCpuMs = cpu() - cpuStarted;
  let t = performance.now();
  loaded.types.aggregate('task_struct');
  const namedIndexMs = performance.now() - t;
  t = performance.now();
  loaded.types.tracepoint('sched_switch');
  const tracepointMs = performance.now() - t;
  process.stdout.write(JSON.stringify({ btfMs, btfCpuMs, symbolsMs, symbolsCpuMs, namedIndexMs, tracepointMs, counts: loaded.types.counts }));
}

/** The language server's resident memory once its environment (and, unless `kernelTypes` is 'none', the kernel data) is loaded and a script checked. */
async function serverRss(kernelTypes: string, cacheDirectory: string): Promise<{ rssMb: number; peakMb: number }> {
  const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'ignore'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const log: string[] = [];
  const ready = new Promise<void>((resolve) =>
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      log.push(p.message);
      const indexed = log.some((m) => m.includes('tapset library indexed'));
      const kernel = log.some((m) => m.startsWith('kernel types:') || m.includes('kernel checks are off'));
      if (indexed && kernel) resolve();
    }),
  );
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'systemtap' ? { kernelTypes } : null)));
  connection.onRequest('client/registerCapability', () => null);
  const uri = 'file:///tmp/bench-kernel.stp';
  const diagnostics = new Promise<void>((resolve) => connection.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => p.uri === uri && resolve()));
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } }, initializationOptions: { cacheDirectory } });
  await connection.sendNotification('initialized', {});
  await ready;
  const text = 'probe kernel.function("ip_output") { println($skb->dev->name$, $skb->len) }\nprobe kernel.trace("sched_switch") { println($prev->pid) }\n';
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
  await diagnostics;
  await new Promise((resolve) => setTimeout(resolve, 1000)); // the symbol table's re-check settles
  const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s*(\\d+)`).exec(status)?.[1] ?? NaN);
  connection.dispose();
  child.kill();
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

async function kernelBench(): Promise<void> {
  const vmlinux = path.join(MACHINE_SOURCES.sysBtfDir, 'vmlinux');
  console.log(`\n6. Kernel type data (${vmlinux}, ${MACHINE_SOURCES.kallsyms})`);
  if (!fs.existsSync(vmlinux)) {
    console.log(`   skipped: ${vmlinux} does not exist (a kernel without BTF)`);
    return;
  }
  const loads: {
    btfMs: number;
    btfCpuMs: number;
    symbolsMs: number;
    symbolsCpuMs: number;
    namedIndexMs: number;
    tracepointMs: number;
    counts: { types: number; functions: number; symbolsOnly: number };
  }[] = [];
  for (let i = 0; i < RUNS; i++) {
    const r = spawnSync(process.execPath, [__filename, 'kernel-load'], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`kernel-load: ${r.stderr}`);
    loads.push(JSON.parse(r.stdout));
  }
  const c = loads[0].counts;
  const ms = (xs: number[]) => `${median(xs).toFixed(0)} ms`;
  console.log(`   ${c.types} types, ${c.functions} functions in BTF, ${c.symbolsOnly} more in kallsyms; fresh processes, medians of ${RUNS}`);
  // CPU time beside the wall time: on a shared machine the wall time measures the other work too.
  console.log(`   BTF read and indexed (functions): ${ms(loads.map((l) => l.btfMs))}, CPU ${ms(loads.map((l) => l.btfCpuMs))}   (goal: < 150 ms)`);
  console.log(`   + kallsyms read and merged:        ${ms(loads.map((l) => l.symbolsMs))}, CPU ${ms(loads.map((l) => l.symbolsCpuMs))}, from the start`);
  console.log(`   first struct lookup (name index): ${ms(loads.map((l) => l.namedIndexMs))};  first tracepoint: ${ms(loads.map((l) => l.tracepointMs))}`);

  if (fs.existsSync(SERVER)) {
    const without: { rssMb: number; peakMb: number }[] = [];
    const withKernel: { rssMb: number; peakMb: number }[] = [];
    // Both read the same tapset index cache, written by a first start that is not counted.
    const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-bench-cache-'));
    try {
      await serverRss('none', cacheHome);
      for (let i = 0; i < Math.min(RUNS, 5); i++) {
        without.push(await serverRss('none', cacheHome));
        withKernel.push(await serverRss('', cacheHome));
      }
    } finally {
      fs.rmSync(cacheHome, { recursive: true, force: true });
    }
    const mb = (xs: number[]) => `${median(xs).toFixed(1)} MiB`;
    const delta = median(withKernel.map((x) => x.rssMb)) - median(without.map((x) => x.rssMb));
    console.log(`   language server RSS, library indexed and a script checked (medians of ${without.length}):`);
    console.log(`     kernelTypes none: RSS ${mb(without.map((x) => x.rssMb))}  peak ${mb(without.map((x) => x.peakMb))}`);
    console.log(`     kernel data:      RSS ${mb(withKernel.map((x) => x.rssMb))}  peak ${mb(withKernel.map((x) => x.peakMb))}   (+${delta.toFixed(1)} MiB; goal: at most +40 MiB)`);
  }

  const loaded = await loadKernel({ kernelTypes: '', kernelRelease: os.release() });
  if (loaded.state !== 'loaded') return;
  await loaded.symbols;
  const kernel = loaded.types;
  // Every prefix of 300 function names, as typed one character at a time.
  const names = kernel.functionsWithPrefix('', Infinity);
  const prefixes: string[] = [];
  for (let i = 0; i < 300; i++) {
    const name = names[(i * 7919) % names.length];
    for (let n = 1; n <= name.length; n++) prefixes.push(name.slice(0, n));
  }
  for (const p of prefixes.slice(0, 200)) kernel.functionsWithPrefix(p, 100); // warm up
  const times = prefixes.map((p) => {
    const t = performance.now();
    kernel.functionsWithPrefix(p, 100);
    return performance.now() - t;
  });
  console.log(
    `   functionsWithPrefix(prefix, 100) over ${names.length} names, ${times.length} prefixes: p50 ${percentile(times, 50).toFixed(3)} ms   p95 ${percentile(times, 95).toFixed(3)} ms   max ${Math.max(...times).toFixed(2)} ms   (goal: completion p95 < 20 ms)`,
  );

  completionBench(kernel, prefixes);

  // The kernel checks on a script of kernel probes, re-analysed after each edit.
  const probes = ['ip_output', 'tcp_sendmsg', 'vfs_read', 'do_sys_open', 'wake_up_new_task', 'tcp_v4_connect', 'kfree_skb_reason', 'schedule'];
  const text = probes
    .map((f, i) => `probe kernel.function("${f}")${i % 2 ? '.return' : ''} { printf("%d %s\\n", ${i}, $$parms) }\n`)
    .join('')
    .repeat(10);
  const edits = [0, 1].flatMap(() => Array.from({ length: 100 }, (_, i) => text.replace(`"%d %s`, `"%d ${i} %s`)));
  const timed = (kernelData: typeof kernel | undefined) =>
    edits.map((t) => {
      const started = performance.now();
      analyze(t, { kernel: kernelData });
      return performance.now() - started;
    });
  const plain = timed(undefined).slice(100);
  const checked = timed(kernel).slice(100);
  console.log(
    `   analysis of ${text.split('\n').length - 1} kernel probes after an edit: p95 ${percentile(plain, 95).toFixed(2)} ms without the kernel checks, ${percentile(checked, 95).toFixed(2)} ms with them`,
  );
}

/**
 * The server's completion function on the real data, as the editor asks it
 * while a name is typed: in `kernel.function("PREFIX`, after `$` and after
 * `$skb->` in an ip_output probe. The analysis is the server's cached one,
 * made before the clock starts.
 */
function completionBench(kernel: KernelTypes, prefixes: string[]): void {
  const at = (text: string) => ({ analysis: analyze(text, { kernel }), document: TextDocument.create('file:///bench.stp', 'systemtap', 1, text), offset: text.length });
  const time = (cases: ReturnType<typeof at>[]) =>
    cases.map(({ analysis, document, offset }) => {
      const started = performance.now();
      completionList(analysis, document, offset, undefined, undefined, kernel);
      return performance.now() - started;
    });
  const names = prefixes.filter((_, i) => i % 3 === 0).map((p) => at(`probe kernel.function("${p}`));
  time(names.slice(0, 100)); // warm up
  const nameTimes = time(names);
  const body = 'probe kernel.function("ip_output") { println(';
  const members = Array.from({ length: 300 }, (_, i) => at(`${body}${' '.repeat(i % 7)}$skb->${['', 'dev->', 'sk->', 'dev->stats.'][i % 4]}`));
  const memberTimes = time(members);
  const dollars = Array.from({ length: 300 }, (_, i) => at(`${body}${' '.repeat(i % 7)}$`));
  const dollarTimes = time(dollars);
  const figures = (xs: number[]) => `p50 ${percentile(xs, 50).toFixed(2)} ms   p95 ${percentile(xs, 95).toFixed(2)} ms   max ${Math.max(...xs).toFixed(2)} ms`;
  console.log(`   completion (the server's completionList, real data; goal: p95 < 20 ms):`);
  console.log(`     function names in kernel.function("…"), ${nameTimes.length} prefixes: ${figures(nameTimes)}`);
  console.log(`     members after $skb->, ->dev->, ->sk->, ->dev->stats. (${memberTimes.length}): ${figures(memberTimes)}`);
  console.log(`     target variables after $ (${dollarTimes.length}): ${figures(dollarTimes)}`);
}

async function main(): Promise<void> {
  if (process.argv[2] === 'kernel-load') return kernelLoadChild();
  if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run npm run build');
  const tapsetDir = findTapsetDir();
  if (!tapsetDir) throw new Error('no tapset library installed (apt-get install systemtap)');
  const arch = tapsetArchDir(machineTarget().arch);
  const files = listFiles(tapsetDir, ['.stp', '.stpm'], arch);
  const macros = loadLibraryMacros(tapsetDir, arch);
  console.log(`machine: ${machine()}`);
  console.log(`command: npm run bench${process.argv[2] === 'kernel' ? ' -- kernel' : ''}`);
  if (SECTIONS.has(1)) libraryBench(tapsetDir, files);
  if (SECTIONS.has(2)) await reparseBench(macros);
  if (SECTIONS.has(3)) throughputBench(files, macros);
  if (SECTIONS.has(4)) await recoveryBench(tapsetDir, arch, macros);
  if (SECTIONS.has(5)) await startupBench();
  if (SECTIONS.has(6)) await kernelBench();
  if (SECTIONS.has(7)) formatBench(files);
}

/** 7. Format Document over the whole tapset library, in-process: medians of RUNS, and the per-file worst. */
function formatBench(files: string[]): void {
  const texts = files.map((f) => fs.readFileSync(f, 'utf8'));
  const bytes = texts.reduce((n, t) => n + Buffer.byteLength(t), 0);
  const totals: number[] = [];
  let worst = { ms: 0, file: '' };
  for (let run = 0; run < RUNS; run++) {
    const started = performance.now();
    texts.forEach((text, i) => {
      const t = performance.now();
      formatText(text, DEFAULT_FORMAT_OPTIONS);
      const ms = performance.now() - t;
      if (ms > worst.ms) worst = { ms, file: files[i] };
    });
    totals.push(performance.now() - started);
  }
  totals.sort((a, b) => a - b);
  const median = totals[Math.floor(totals.length / 2)];
  console.log(
    `7. formatting the tapset library (${files.length} files, ${(bytes / 1e6).toFixed(1)} MB, each checked to keep its tokens and tree): median ${(median / 1000).toFixed(2)} s of ${RUNS} runs, ${(bytes / 1e6 / (median / 1000)).toFixed(1)} MB/s; slowest file ${worst.ms.toFixed(0)} ms (${path.basename(worst.file)})`,
  );
}

main().catch((e) => {
  console.error(`bench: ${(e as Error).message}`);
  process.exit(1);
});
