// The argument vector of a stap run or check. No shell ever sees it: file
// names and arguments are passed as they are, one element each.
// Pure: no VS Code imports, unit-tested on its own.

export type SudoMode = 'auto' | 'always' | 'never';

export interface RunRequest {
  stapPath: string;
  script: string;
  guru: boolean;
  /** `-v`: pass progress and timings, what users expect to see while it compiles. */
  verbose: boolean;
  /** Extra stap options from the settings or the task, before the script. */
  extraArgs: readonly string[];
  /** Tapset folders of the user's own: `-I DIR` each. */
  includePaths?: readonly string[];
  /** Arguments for the script: `$1`, `@1`, ... */
  scriptArgs: readonly string[];
  /** `stap -c CMD`: start CMD once the probes are live, stop when it exits. */
  command?: string;
  /** `stap -x PID`: the process `target()` names. */
  pid?: number;
  /** A stap `--remote` target such as `ssh://root@host`: the run happens there. */
  remote?: string;
  sudo: SudoMode;
  /** Whether this process already runs as root (`process.getuid() === 0`). */
  isRoot: boolean;
}

export interface Invocation {
  file: string;
  args: string[];
}

/** `stap [-v] [-g] [extra] [-c CMD] [-x PID] [--remote URL] -- SCRIPT [ARGS]`, under sudo when needed. */
export function runInvocation(r: RunRequest): Invocation {
  const stapArgs = [
    ...(r.verbose ? ['-v'] : []),
    ...(r.guru ? ['-g'] : []),
    ...includeArgs(r.includePaths),
    ...r.extraArgs,
    ...(r.command ? ['-c', r.command] : []),
    ...(r.pid !== undefined ? ['-x', String(r.pid)] : []),
    ...(r.remote ? ['--remote', r.remote] : []),
    // stap reads options anywhere on its command line: after `--`, a script
    // argument such as `-1` or `-p4` stays a script argument.
    '--',
    r.script,
    ...r.scriptArgs,
  ];
  // A remote run loads its module on the remote host, with that host's rights.
  if (!r.remote && needsSudo(r.sudo, r.isRoot)) return { file: 'sudo', args: ['--', r.stapPath, ...stapArgs] };
  return { file: r.stapPath, args: stapArgs };
}

/** Where a run's stdout is copied: the tee program (dist/stapTee.js), run by `node`, and the file. */
export interface TeeTarget {
  node: string;
  teeScript: string;
  outFile: string;
}

/** `node stapTee.js --out FILE -- COMMAND ARGS...`: the run's command, its stdout copied into FILE. */
export function teeInvocation(inner: Invocation, tee: TeeTarget): Invocation {
  return { file: tee.node, args: [tee.teeScript, '--out', tee.outFile, '--', inner.file, ...inner.args] };
}

const includeArgs = (dirs: readonly string[] = []) => dirs.flatMap((d) => ['-I', d]);

export function needsSudo(mode: SudoMode, isRoot: boolean): boolean {
  return mode === 'always' || (mode === 'auto' && !isRoot);
}

export interface CheckRequest {
  stapPath: string;
  script: string;
  guru: boolean;
  scriptArgs: readonly string[];
  /** `stap -r`: a kernel release or build directory; empty for the running kernel. */
  kernelRelease: string;
  includePaths?: readonly string[];
}

/** `stap -p2 [-g] [-r KERNEL] -- SCRIPT [ARGS]`: parse and elaborate (resolve probes, functions, types), no compile, no root. */
export function checkInvocation(r: CheckRequest): Invocation {
  return {
    file: r.stapPath,
    args: ['-p2', ...(r.guru ? ['-g'] : []), ...(r.kernelRelease ? ['-r', r.kernelRelease] : []), ...includeArgs(r.includePaths), '--', r.script, ...r.scriptArgs],
  };
}

/** The kernel log, followed: journalctl, or dmesg where there is no journal. */
export function kernelLogInvocation(tool: 'journalctl' | 'dmesg', sudo: SudoMode, isRoot: boolean): Invocation {
  const args = tool === 'journalctl' ? ['-k', '-f', '-n', '20'] : ['-w'];
  return needsSudo(sudo, isRoot) ? { file: 'sudo', args: ['--', tool, ...args] } : { file: tool, args };
}

/**
 * Splits what a user typed for script arguments the way a shell would split
 * words, quotes included (`eth0 "a b"` -> [eth0, a b]), but expands nothing.
 */
export function splitArguments(text: string): string[] {
  const words: string[] = [];
  let word: string | undefined;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"' && (text[i + 1] === '"' || text[i + 1] === '\\')) word += text[++i];
      else word += c;
    } else if (c === '"' || c === "'") {
      quote = c;
      word ??= '';
    } else if (c === '\\' && i + 1 < text.length) {
      word = (word ?? '') + text[++i];
    } else if (/\s/.test(c)) {
      if (word !== undefined) words.push(word);
      word = undefined;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (word !== undefined) words.push(word);
  return words;
}

/** The inverse of splitArguments, for showing remembered arguments back to the user. */
export function joinArguments(args: readonly string[]): string {
  return args.map((a) => (a !== '' && /^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
}
