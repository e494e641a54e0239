// The compile check: `stap -p4 -g -k -r BUILD SCRIPT` translates the script
// and compiles it against a kernel build tree, without root (nothing is
// loaded). stap keeps its temporary folder (-k), in a folder of ours (TMPDIR),
// so the generated C that gcc's messages point into can be read to place them
// in the script; the folder is removed afterwards. Shared by the editor and
// stap-check; spawns with an argument vector only.

import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { mapCompileOutput, MappedDiagnostic } from './compileMap';
import { scanEmbeddedRegions } from './embeddedRegions';
import { GccDiagnostic, parseGccOutput } from './gccOutput';
import { explainStapFailure, StapFailure } from './stapFailure';

export interface CompileRequest {
  stapPath: string;
  script: string;
  /** A kernel build tree (`/lib/modules/R/build`, `/usr/src/linux-headers-R`). */
  buildDir: string;
  scriptArgs?: readonly string[];
  includePaths?: readonly string[];
  signal?: AbortSignal;
  timeoutMs?: number;
}

export interface CompileResult {
  /** stap's exit status; null when it could not run or was stopped. */
  code: number | null;
  /** The script's own C, placed. */
  diagnostics: MappedDiagnostic[];
  /** gcc's findings outside the script: stap's runtime, the kernel headers, or (`generated`) a tapset's C or stap's translation. */
  environment: (GccDiagnostic & { generated: boolean })[];
  /** stap stopped before compiling, or failed for a reason that is not the script's. */
  failure?: StapFailure;
  /** Errors stap reported about the script itself before pass 4 (pass 1 or 2). */
  scriptErrors: string[];
  stderr: string;
  timedOut: boolean;
  spawnError?: NodeJS.ErrnoException;
}

export const COMPILE_TIMEOUT_MS = 600_000;

/** `stap -p4 -g -k -r BUILD [-I DIR] -- SCRIPT [ARGS]`. */
export function compileArgs(r: Pick<CompileRequest, 'script' | 'buildDir' | 'scriptArgs' | 'includePaths'>): string[] {
  return ['-p4', '-g', '-k', '-r', r.buildDir, ...(r.includePaths ?? []).flatMap((d) => ['-I', d]), '--', r.script, ...(r.scriptArgs ?? [])];
}

export async function compileCheck(r: CompileRequest): Promise<CompileResult> {
  const scriptText = await fs.promises.readFile(r.script, 'utf8');
  const tmp = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'stap-compile-'));
  try {
    const run = await runStap(r.stapPath, compileArgs(r), { ...process.env, TMPDIR: tmp, LC_ALL: 'C', LANG: 'C', LANGUAGE: '' }, r.signal, r.timeoutMs ?? COMPILE_TIMEOUT_MS);
    const result: CompileResult = { code: run.code, diagnostics: [], environment: [], scriptErrors: [], stderr: run.stderr, timedOut: run.timedOut, spawnError: run.spawnError };
    if (run.spawnError || run.timedOut || r.signal?.aborted) return result;
    const regions = scanEmbeddedRegions(scriptText);
    const generated = (file: string) => (isInside(file, tmp) && /\.c$/.test(file) ? readOrUndefined(file) : undefined);
    const mapping = mapCompileOutput(parseGccOutput(run.stderr), scriptText, regions, generated);
    result.diagnostics = mapping.script;
    result.environment = mapping.elsewhere;
    if (run.code !== 0 && !/^Pass 4: compilation failed/m.test(run.stderr)) {
      // stap stopped before gcc: either the script (pass 1, 2) or the machine.
      result.scriptErrors = run.stderr.split('\n').filter((l) => /^(parse|semantic) error: /.test(l));
      if (result.scriptErrors.length === 0) result.failure = explainStapFailure(run.stderr, r.buildDir);
    }
    return result;
  } finally {
    await fs.promises.rm(tmp, { recursive: true, force: true });
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, path.resolve(file));
  return !!rel && !rel.startsWith('..') && !path.isAbsolute(rel);
}

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

export interface ProcessRun {
  code: number | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  spawnError?: NodeJS.ErrnoException;
}

/** Runs a program with an argument vector (no shell) and collects its output. */
export function runStap(file: string, args: string[], env: NodeJS.ProcessEnv, signal: AbortSignal | undefined, timeout: number): Promise<ProcessRun> {
  return new Promise((resolve) => {
    execFile(file, args, { signal, env, timeout, maxBuffer: 64 * 1024 * 1024, killSignal: 'SIGTERM' }, (error, stdout, stderr) => {
      const e = error as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
      if (e && typeof e.code === 'string' && e.code !== 'ABORT_ERR') return resolve({ code: null, stdout: String(stdout), stderr: String(stderr), timedOut: false, spawnError: e });
      resolve({ code: e ? (typeof e.code === 'number' ? e.code : null) : 0, stdout: String(stdout), stderr: String(stderr), timedOut: !!e?.killed && !signal?.aborted });
    });
  });
}
