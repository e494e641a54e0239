// Whether stap's runtime compiles against a kernel's headers: a real pass-4
// compile of the smallest script (about 30 s), remembered per kernel release,
// stap version and build tree, as a new stap or new headers may change the
// answer. Editor-agnostic: the cache file lives where the caller says.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { runStap } from './compileCheck';
import { GccDiagnostic, parseGccOutput } from './gccOutput';
import { RuntimeStatus } from './probes';
import { explainStapFailure, StapFailure } from './stapFailure';

const CACHE_FILE = 'runtime-compile.json';
const TEST_SCRIPT = 'probe begin { exit() }';
const TIMEOUT_MS = 600_000;

const keyOf = (release: string, stapVersion: string, buildDir: string) => `${release}|${stapVersion}|${buildDir}`;

export class RuntimeCache {
  constructor(private readonly dir: string) {}

  get(release: string, stapVersion: string, buildDir: string): RuntimeStatus | undefined {
    return this.read()[keyOf(release, stapVersion, buildDir)];
  }

  set(release: string, stapVersion: string, buildDir: string, status: RuntimeStatus): void {
    const all = this.read();
    all[keyOf(release, stapVersion, buildDir)] = status;
    fs.mkdirSync(this.dir, { recursive: true });
    // Written whole, then renamed: a reader never sees half a file.
    const temporary = path.join(this.dir, `${CACHE_FILE}.${process.pid}`);
    fs.writeFileSync(temporary, JSON.stringify(all, null, 1));
    fs.renameSync(temporary, path.join(this.dir, CACHE_FILE));
  }

  private read(): Record<string, RuntimeStatus> {
    try {
      const parsed = JSON.parse(fs.readFileSync(path.join(this.dir, CACHE_FILE), 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, RuntimeStatus>) : {};
    } catch {
      return {};
    }
  }
}

export type RuntimeTestResult = { status: RuntimeStatus } | { failure: StapFailure | { cause: string; fix: string; evidence: string } };

/** Compiles the empty script for the build tree; a result from gcc is cached, a failure before it (no headers) is not. */
export async function testRuntimeCompile(stapPath: string, buildDir: string, signal?: AbortSignal): Promise<RuntimeTestResult> {
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'stap-runtime-'));
  try {
    const run = await runStap(stapPath, ['-p4', '-r', buildDir, '-e', TEST_SCRIPT], { ...process.env, TMPDIR: tmp, LC_ALL: 'C', LANG: 'C', LANGUAGE: '' }, signal, TIMEOUT_MS);
    const testedAt = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    if (run.spawnError) return { failure: { cause: `"${stapPath}" could not be run (${run.spawnError.code ?? run.spawnError.message})`, fix: 'Install systemtap', evidence: run.spawnError.message } };
    if (run.timedOut || signal?.aborted) return { failure: { cause: 'the test compile was stopped', fix: 'Run it again', evidence: '' } };
    if (run.code === 0) return { status: { ok: true, errors: [], testedAt } };
    if (/^Pass 4: compilation failed/m.test(run.stderr)) return { status: { ok: false, errors: runtimeErrors(run.stderr), testedAt } };
    return { failure: explainStapFailure(run.stderr, buildDir) ?? { cause: 'stap failed before compiling', fix: 'See the output of stap', evidence: firstLine(run.stderr) } };
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

/** gcc's errors, as `FILE:LINE: MESSAGE`, once each, at most a few. */
export function runtimeErrors(stderr: string, max = 3): string[] {
  const lines = describeErrors(parseGccOutput(stderr).diagnostics, max);
  return lines.length ? lines : [firstLine(stderr)];
}

/** gcc's errors among `diagnostics` as `FILE:LINE: MESSAGE`, once each, at most `max`. */
export function describeErrors(diagnostics: readonly GccDiagnostic[], max = 3): string[] {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  return [...new Set(errors.map((d) => `${path.basename(d.file)}:${d.line}: ${d.message.replace(/ \[-Werror=[\w-]+\]$/, '')}`))].slice(0, max);
}

const firstLine = (text: string) =>
  text
    .split('\n')
    .find((l) => l.trim() && !/^(WARNING|Pass \d|Tip):/.test(l))
    ?.trim() ?? 'stap failed';
