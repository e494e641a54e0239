// The real `stap` as the oracle for what parses. `stap -p1` wants a kernel
// build tree even to parse; a fake one (empty .config, Makefile, a short
// System.map and a kernel.release) is enough.
import { execFile } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

export interface StapVerdict {
  ok: boolean;
  /** 1-based line of each reported error ("... at FILE:LINE:COL"); undefined for errors at EOF. */
  errorLines: (number | undefined)[];
  /** The same errors with their columns. */
  errorPositions: ({ line: number; column: number } | undefined)[];
  /** 1-based column of each, as errorLines. */
  errorColumns: (number | undefined)[];
  stderr: string;
}

export function findStap(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const p = path.join(dir, 'stap');
    if (dir && fs.existsSync(p)) return p;
  }
  return undefined;
}

let fakeTree: string | undefined;
export function fakeKernelTree(): string {
  if (fakeTree) return fakeTree;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-fake-kernel-'));
  fs.mkdirSync(path.join(dir, 'include', 'config'), { recursive: true });
  for (const f of ['.config', 'Module.symvers', 'Makefile']) fs.writeFileSync(path.join(dir, f), '');
  // Two functions, so that kprobe.function("vfs_read") resolves and stap goes on to judge its body.
  fs.writeFileSync(path.join(dir, 'System.map'), 'ffffffff81000000 T _text\nffffffff81000000 T startup_64\nffffffff81100000 T vfs_read\nffffffff81100100 T vfs_write\n');
  fs.writeFileSync(path.join(dir, 'include', 'config', 'kernel.release'), '6.1.0-fake\n');
  fakeTree = dir;
  return dir;
}

export interface StapOptions {
  guru?: boolean;
  args?: string[];
}

const stapArgv = (file: string, options: StapOptions) => ['-r', fakeKernelTree(), '-p1', ...(options.guru ? ['-g'] : []), file, ...(options.args ?? [])];
const stapEnv = () => ({ ...process.env, LANG: 'C', LC_ALL: 'C' });

/** stap -p1's verdict on a file; asynchronous, so that two can run at a time. */
export function stapParseAsync(stap: string, file: string, options: StapOptions = {}): Promise<StapVerdict> {
  return new Promise((resolve) => {
    execFile(stap, stapArgv(file, options), { encoding: 'utf8', timeout: 60_000, env: stapEnv() }, (error, _stdout, stderr) => {
      resolve(verdict(file, !error, stderr ?? ''));
    });
  });
}

/** stap's verdicts on many files, two processes at a time (each takes about 0.4 s). */
export async function stapParseAll(stap: string, jobs: ({ file: string } & StapOptions)[]): Promise<StapVerdict[]> {
  const verdicts: StapVerdict[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) verdicts[i] = await stapParseAsync(stap, jobs[i].file, jobs[i]);
  };
  await Promise.all([worker(), worker()]);
  return verdicts;
}

function verdict(file: string, ok: boolean, stderr: string): StapVerdict {
  const errorPositions: StapVerdict['errorPositions'] = [];
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  for (const line of stderr.split('\n')) {
    const at = new RegExp(`(saw|at): .* at .*${base}:(\\d+):(\\d+)`).exec(line);
    if (at) errorPositions.push({ line: Number(at[2]), column: Number(at[3]) });
    else if (/saw: .* EOF\s*$/.test(line)) errorPositions.push(undefined);
  }
  return { ok, errorLines: errorPositions.map((p) => p?.line), errorColumns: errorPositions.map((p) => p?.column), errorPositions, stderr };
}

// stap options that take a value, for reading command lines in .meta files.
const VALUE_OPTIONS = new Set(['-c', '-x', '-o', '-D', '-I', '-r', '-m', '-B', '-S', '-d', '-T', '-e', '-E', '-a', '-R', '-s']);

/**
 * Script arguments for an installed example: those of its `.meta` test_check
 * command (its authors' own), or else dummies: `kernel` where `$N` starts a
 * probe point (`$1.function("f")`), `1` elsewhere.
 */
export function exampleArgs(file: string, text: string): string[] {
  const args: string[] = [];
  const meta = file.replace(/\.stp$/, '.meta');
  const command = fs.existsSync(meta) ? /^test_check:\s*(.*)$/m.exec(fs.readFileSync(meta, 'utf8'))?.[1] : undefined;
  if (command) {
    const words = [...command.matchAll(/'([^']*)'|"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2] ?? m[3]);
    const at = words.findIndex((w) => w.endsWith(path.basename(file)));
    for (let i = at + 1; at >= 0 && i < words.length; i++) {
      if (VALUE_OPTIONS.has(words[i])) i++;
      else if (!words[i].startsWith('-')) args.push(words[i].includes('`') || words[i] === '$$' ? '1' : words[i]);
    }
  }
  if (command) return args;
  const uses = [...text.matchAll(/[$@]([1-9][0-9]*)(\.)?/g)];
  const used = Math.max(0, ...uses.map((m) => Number(m[1])));
  for (let n = 1; n <= used; n++) args.push(uses.some((m) => Number(m[1]) === n && m[2]) ? 'kernel' : '1');
  return args;
}

/** In CI the oracle must be there; on a laptop without stap the test is skipped. */
export function stapOrSkip(): string | undefined {
  const stap = findStap();
  if (!stap && process.env.CI) throw new Error('stap is not installed, but CI must test against it (apt-get install systemtap)');
  return stap;
}
