// stap-check's command line.

import * as fs from 'fs';
import { globalOptionProblem } from '../analysis/globalOptions';
import { kernelReleaseOf } from '../analysis/target';

export const USAGE = `usage: stap-check [--format text|json] [-g|--guru] [--syntax-only] [--library]
                  [--kernel-release R] [--arch A] [--kernel-types FILE|none]
                  [--tapset-dir DIR] [-I DIR]... [-G NAME=VALUE]... FILE...
                  [--args ARG...]
       stap-check --compile [--kernel-build DIR] [--format text|json] [-I DIR]... FILE...
       stap-check --environment [--kernel-release R]

Checks SystemTap scripts without compiling them. FILE '-' is the standard input.
  --format text|json   text: FILE:LINE:COL: SEVERITY: MESSAGE [CODE] (default)
  -g, --guru           declare guru mode, as 'stap -g' does
  --syntax-only        report only what 'stap -p1' reports (parse errors)
  --library            check files as tapset library code
  --kernel-release R   kernel release, or kernel build directory, that %( kernel_v ... %)
                       tests, as 'stap -r' takes it (default: this machine)
  --arch A             architecture that %( arch ... %) tests (default: this machine)
  --kernel-types FILE  the kernel's type data (BTF, or a vmlinux with .BTF) that kernel
                       functions, $target variables and members are checked against
                       (default: /sys/kernel/btf/vmlinux and /proc/kallsyms, when the
                       kernel release is this machine's); 'none': no kernel checks
  --tapset-dir DIR     the tapset library scripts use (default: the installed one)
  -I DIR               another tapset folder, as 'stap -I DIR' adds it
  -G NAME=VALUE        a value for the global NAME, as 'stap -G' sets it: NAME is not
                       'never assigned' (a -G on the '#!' line counts too)
  --compile            compile each FILE with the real stap (stap -p4 -g, no root; about
                       30 s each) and place gcc's errors and warnings in the script's %{ %}
                       C; failures in stap's runtime or the kernel headers are printed once
                       to stderr, as the machine's, and give status 3 when the script has none
  --kernel-build DIR   the kernel build tree --compile compiles against (default: the
                       target kernel's, /lib/modules/RELEASE/build)
  --environment        report what a run of stap needs on this machine (the target
                       kernel's headers, debuginfo, BTF, permissions, lockdown); no FILE
  --args ARG...        the script arguments, as after 'stap FILE' ($1, @1, $#): all that
                       follows; each FILE is checked with them, and a $N past the last
                       is an error. Without --args, $N and @N stand for any argument
Exit status: 0 no errors, 1 errors found, 2 usage or I/O error, 3 the machine cannot
compile or run scripts (--compile, --environment).`;

export interface CliOptions {
  format: 'text' | 'json';
  guru: boolean;
  syntaxOnly: boolean;
  library: boolean;
  kernelRelease?: string;
  arch?: string;
  kernelTypes?: string;
  tapsetDir?: string;
  includePaths: string[];
  files: string[];
  /** --compile: stap -p4 instead of the analysis. */
  compile?: boolean;
  kernelBuild?: string;
  /** --environment: the doctor's report instead of checking files. */
  environment?: boolean;
  /** From -G NAME=VALUE: the globals given a value, by name. */
  globalValues?: string[];
  /** From --args: the script arguments; undefined when not given (unknown). */
  scriptArgs?: string[];
}

export class UsageError extends Error {}

/** A value from the command line, quoted in a message: a line's worth of it. */
const quote = (value: string) => `'${value.length > 60 ? `${value.slice(0, 60)}...` : value}'`;

export function parseArgs(argv: string[]): CliOptions | 'help' | 'version' {
  const o: CliOptions = { format: 'text', guru: false, syntaxOnly: false, library: false, includePaths: [], files: [] };
  // stap refuses a -G not of its safety pattern before it reads anything, with these words.
  const setGlobal = (assignment: string) => {
    const problem = globalOptionProblem(assignment);
    if (problem) throw new UsageError(problem);
    (o.globalValues ??= []).push(assignment.slice(0, assignment.indexOf('=')));
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const arg = () => inline ?? value();
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--version':
        return 'version';
      case '-g':
      case '--guru':
        o.guru = true;
        break;
      case '--syntax-only':
        o.syntaxOnly = true;
        break;
      case '--library':
        o.library = true;
        break;
      case '--compile':
        o.compile = true;
        break;
      case '--kernel-build':
        o.kernelBuild = arg();
        break;
      case '--environment':
        o.environment = true;
        break;
      case '--format': {
        const f = arg();
        if (f !== 'text' && f !== 'json') throw new UsageError(`unknown format ${quote(f)} (use text or json)`);
        o.format = f;
        break;
      }
      case '--kernel-release':
        o.kernelRelease = arg();
        break;
      case '--arch':
        o.arch = arg();
        break;
      case '--kernel-types':
        o.kernelTypes = arg();
        break;
      case '--tapset-dir':
        o.tapsetDir = arg();
        break;
      case '-I':
        o.includePaths.push(value());
        break;
      case '-G':
        setGlobal(value());
        break;
      case '--':
        o.files.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      case '--args':
        // stap takes the script's arguments after the script: here, all that follows --args.
        o.scriptArgs = argv.slice(i + 1);
        i = argv.length;
        break;
      default:
        if (a.startsWith('-I') && a.length > 2) {
          o.includePaths.push(a.slice(2));
          break;
        }
        if (a.startsWith('-G') && a.length > 2) {
          setGlobal(a.slice(2));
          break;
        }
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${quote(a)}`);
        o.files.push(a);
    }
  }
  if (o.environment) {
    if (o.files.length > 0 || o.compile) throw new UsageError('--environment takes no files');
    return o;
  }
  if (o.kernelBuild !== undefined && !o.compile) throw new UsageError('--kernel-build goes with --compile');
  if (o.compile && o.files.includes('-')) throw new UsageError("--compile needs files: stap reads the script itself, not '-'");
  if (o.files.length === 0) throw new UsageError('no input files');
  if (o.files.filter((f) => f === '-').length > 1) throw new UsageError("'-' (the standard input) given more than once");
  return o;
}

/**
 * The folders named on the command line must be folders: a mistyped one
 * would quietly check against no library at all, or for this machine's
 * kernel instead of a kernel build directory's. The kernel types file must
 * be a file, for the same reason.
 */
export function checkFolders(o: CliOptions, stat: (p: string) => fs.Stats = fs.statSync): void {
  const check = (flag: string, dir: string) => {
    let st: fs.Stats;
    try {
      st = stat(dir);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? '';
      // Not the system's message: it quotes the whole path.
      const reason =
        { ENOENT: 'no such folder', ENOTDIR: 'no such folder', EACCES: 'permission denied', ENAMETOOLONG: 'name too long', ELOOP: 'symbolic link loop' }[code] ?? (code || 'cannot read it');
      throw new UsageError(`${flag} ${quote(dir)}: ${reason}`);
    }
    if (!st.isDirectory()) throw new UsageError(`${flag} ${quote(dir)}: not a folder`);
  };
  if (o.tapsetDir !== undefined) check('--tapset-dir', o.tapsetDir);
  if (o.kernelBuild !== undefined) check('--kernel-build', o.kernelBuild);
  if (o.kernelTypes !== undefined && o.kernelTypes !== 'none') {
    let st: fs.Stats | undefined;
    try {
      st = stat(o.kernelTypes);
    } catch {
      st = undefined;
    }
    if (!st) throw new UsageError(`--kernel-types ${quote(o.kernelTypes)}: no such file`);
    if (!st.isFile()) throw new UsageError(`--kernel-types ${quote(o.kernelTypes)}: not a file`);
  }
  for (const dir of o.includePaths) check('-I', dir);
  // A release has no '/'; a kernel build directory names its release.
  if (o.kernelRelease?.includes('/') && kernelReleaseOf(o.kernelRelease) === undefined) {
    throw new UsageError(`--kernel-release ${quote(o.kernelRelease)}: not a kernel build directory (no include/config/kernel.release)`);
  }
}
