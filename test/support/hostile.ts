// The hostile corpus: scripts (and folders) made to crash, hang or exhaust a
// language server. Generated here, never committed as large files, and run
// through stap-check and the stdio server by test/server/hostile.test.ts and
// `npm run hostile` (which prints time and peak memory for each case).
import * as fs from 'fs';
import * as path from 'path';
import { mkfifo } from './tempFiles';

export interface HostileSetup {
  /** The script to check or open. */
  script: string;
  /** More stap-check options (`-I DIR`, `--args`...). */
  cliArgs?: string[];
  /** The same as server settings (`systemtap.*`), where the case needs them. */
  settings?: Record<string, unknown>;
}

export interface HostileCase {
  name: string;
  /** What it does to a server without defences. */
  attack: string;
  /** Writes the case's files into an empty folder. */
  setup(dir: string): HostileSetup;
  /** What the output of `stap-check --format json` must show besides "no crash". */
  expect?: (diagnostics: { line: number; code: string; message: string; severity: string }[]) => string | undefined;
}

const repeat = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('');

/** A script with `deep` inside a probe, then a function and a syntax error that must still be seen. */
function withTail(deep: string): string {
  return `${deep}\nfunction after_deep:long() { return 1 }\nprobe end { printf("%d\\n", after_deep() }\n`;
}

/** The line (1-based) of the deliberate error at the end of `withTail` scripts. */
const tailErrorLine = (text: string) => text.split('\n').length - 1;

function expectTailError(text: string) {
  return (ds: { line: number; code: string }[]) =>
    ds.some((d) => d.code === 'syntax' && d.line === tailErrorLine(text)) ? undefined : `the syntax error after the deep construct (line ${tailErrorLine(text)}) is not reported`;
}

function script(dir: string, text: string, name = 'hostile.stp'): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** Calls a function of an include folder, one of the tapset library and a typo of one. */
const CALLS_LIBRARY = 'probe begin { println(my_own_tool(), execname(), execnme()) }\n';

/** The include folder and the library were indexed despite the hostile file: only the typo is unknown. */
function expectLibraryIndexed(ds: { code: string; message: string }[]): string | undefined {
  const unknown = ds.filter((d) => d.code === 'function-unknown');
  if (unknown.length === 1 && /'execnme'/.test(unknown[0].message)) return undefined;
  return unknown.length === 0 ? 'the unknown-function check is off: the library index failed' : `unknown: ${unknown.map((d) => d.message.slice(0, 60)).join(' / ')}`;
}

/** An include folder with a good tapset (`b_mine.stp`: my_own_tool) and whatever `hostile` puts beside it; a script calling into it. */
function includeFolderWith(dir: string, hostile: (lib: string) => void): HostileSetup {
  const lib = path.join(dir, 'lib');
  fs.mkdirSync(lib);
  fs.writeFileSync(path.join(lib, 'b_mine.stp'), 'function my_own_tool:long() { return 42 }\n');
  hostile(lib);
  return { script: script(dir, CALLS_LIBRARY), cliArgs: ['-I', lib], settings: { includePaths: [lib] } };
}

/** Sizes are twice those that broke the server, so a limit set just above them still fails. */
export const HOSTILE_CASES: HostileCase[] = [
  {
    name: 'macro-doubling',
    attack: 'a macro that doubles through its parameter, 30 levels deep: 2^30 tokens',
    setup: (dir) => ({ script: script(dir, `@define d(x) %( @x + @x %)\nprobe begin { println(${'@d('.repeat(30)}1${')'.repeat(30)}) }\nprobe end { println(1 }\n`) }),
    expect: (ds) =>
      ds.some((d) => /expan/.test(d.message) && d.line === 2)
        ? ds.some((d) => d.line === 3 && d.code === 'syntax')
          ? undefined
          : 'the error on the next line is lost'
        : 'no diagnostic says the expansion was stopped',
  },
  {
    name: 'macro-chain',
    attack: 'a linear chain of 10,000 macros, which stap expands (it did 50,000 in 0.4 s)',
    setup: (dir) => ({
      script: script(dir, `@define m0 %( 1 %)\n${repeat(9_999, (i) => `@define m${i + 1} %( @m${i} %)\n`)}probe begin { println(@m9999) }\n`),
    }),
    expect: (ds) => (ds.length === 0 ? undefined : `stap accepts it, we say: ${ds[0].message.slice(0, 200)}`),
  },
  {
    name: 'glob-stars',
    attack: 'a %( kernel_vr == "***...Z" %) glob with 20 stars: a backtracking regular expression',
    setup: (dir) => ({ script: script(dir, `%( kernel_vr == "${'*'.repeat(20)}Z" %? probe begin { println(1) } %: probe end { println(2) } %)\n`) }),
    expect: (ds) => (ds.length === 0 ? undefined : `unexpected: ${ds[0].message}`),
  },
  ...(
    [
      ['parens', 4_000, (n: number) => `probe begin { x = ${'('.repeat(n)}1${')'.repeat(n)}; println(x) }`],
      ['braces', 5_400, (n: number) => `probe begin { ${'{'.repeat(n)} println(1) ${'}'.repeat(n)} }`],
      ['else-if', 8_400, (n: number) => `probe begin { x = 1\n if (x == 0) println(0)\n${repeat(n, (i) => ` else if (x == ${i + 1}) println(${i})\n`)} }`],
      ['binary-chain', 11_400, (n: number) => `probe begin { x = 1${' + 1'.repeat(n)}; println(x) }`],
      ['c-parens', 8_600, (n: number) => `#!/usr/bin/stap -g\nfunction deep_c:long() %{ STAP_RETVALUE = ${'('.repeat(n)}1${')'.repeat(n)}; %}\nprobe begin { println(deep_c()) }`],
    ] as const
  ).map(([name, n, make]): HostileCase => ({
    name: `nesting-${name}`,
    attack: `${n.toLocaleString('en')} levels of ${name}: a recursive parser or tree walk overflows the stack`,
    setup: (dir) => ({ script: script(dir, withTail(make(n))) }),
    expect: (ds) => expectTailError(withTail(make(n)))(ds),
  })),
  {
    name: 'deep-file-in-include-folder',
    attack: 'one file in an include folder that breaks the parser: the whole library index failed',
    // Named to be indexed before the good file.
    setup: (dir) => includeFolderWith(dir, (lib) => fs.writeFileSync(path.join(lib, 'a_deep.stp'), withTail(`probe begin { x = ${'('.repeat(4000)}1${')'.repeat(4000)} }`))),
    expect: expectLibraryIndexed,
  },
  {
    name: 'fifo-in-include-folder',
    attack: 'a FIFO named x.stp in an include folder: reading it blocks for ever',
    setup: (dir) => includeFolderWith(dir, (lib) => mkfifo(path.join(lib, 'x.stp'))),
    expect: expectLibraryIndexed,
  },
  {
    name: 'dev-zero-in-include-folder',
    attack: 'a symlink x.stp -> /dev/zero in an include folder: an endless read',
    setup: (dir) => includeFolderWith(dir, (lib) => fs.symlinkSync('/dev/zero', path.join(lib, 'x.stp'))),
    expect: expectLibraryIndexed,
  },
  {
    name: 'unknown-calls',
    attack: '50,000 calls to one unknown function: "did you mean" recomputed for each',
    setup: (dir) => ({ script: script(dir, `probe begin {\n${repeat(50_000, () => '  no_such_function_here(1)\n')}}\n`) }),
    // The editor shows 500 findings a file and says how many more there are; stap-check lists all.
    // On a loaded machine the editor's time budget may skip the check instead, and must say so.
    expect: (ds) => {
      const unknown = ds.filter((d) => d.code === 'function-unknown').length;
      if (unknown === 50_000) return undefined;
      if (unknown === 0 && ds.some((d) => d.code === 'analysis-limited' && /not checked here: .*unknown functions(?:, [^,]+)*, because the analysis took over/.test(d.message))) return undefined;
      return unknown >= 499 && ds.some((d) => d.code === 'analysis-limited' && /^\d+ more findings not shown/.test(d.message))
        ? undefined
        : `${unknown} unknown calls reported, and no note of the rest`;
    },
  },
  {
    name: 'huge-script',
    attack: 'a 10 MB script: seconds and gigabytes per keystroke',
    setup: (dir) => {
      const unit = (i: number) =>
        `function helper_${i}:long(pid:long) {\n  if (pid > ${i}) return pid - ${i}\n  return 0\n}\nprobe kernel.function("vfs_read") {\n  count[execname(), helper_${i}(pid())] <<< $count\n}\n`;
      const parts = ['global count\n'];
      let size = 0;
      for (let i = 0; size < 10 << 20; i++) size += parts[parts.push(unit(i)) - 1].length;
      parts.push('probe end { printf("%d\\n", 1 }\n');
      return { script: script(dir, parts.join('')) };
    },
    expect: (ds) => (ds.some((d) => d.code === 'syntax') ? undefined : 'the syntax error at the end is not reported'),
  },
  {
    name: 'half-typed-declarations',
    attack: '20,000 half-typed declarations, each taking in the next ones: recovery reads them again, and again',
    setup: (dir) => ({
      script: script(dir, repeat(5_000, () => 'probe begin { x = $p->\n') + repeat(5_000, () => 'probe syscall.\n') + repeat(5_000, (i) => `@define m${i} %( (1 +\nfunction f${i}() %{ int x;\n`)),
    }),
    expect: (ds) => (ds.some((d) => d.code === 'syntax') ? undefined : 'no syntax error reported'),
  },
  {
    name: 'huge-token',
    attack: 'a 1 MB number: a message that quotes the whole token is a 1 MB line',
    setup: (dir) => ({ script: script(dir, `probe begin { x = ${'9'.repeat(1 << 20)}; println(x) }\n`) }),
    expect: (ds) => (ds.length === 0 ? 'no diagnostic for a number out of range' : ds.some((d) => d.message.length > 500) ? 'a message longer than 500 characters' : undefined),
  },
  {
    name: 'nul-bytes',
    attack: 'raw NUL and control characters in the script reach text output',
    setup: (dir) => ({ script: script(dir, 'probe begin { x = "a\0b" \x01\x02 }\n') }),
    expect: (ds) => (ds.length === 0 ? 'the stray characters are not reported' : undefined),
  },
  {
    name: 'stpm-in-include-folder',
    attack: 'a library macro in an include folder .stpm: a false "unknown operator"',
    setup: (dir) => {
      const lib = path.join(dir, 'lib');
      fs.mkdirSync(lib);
      fs.writeFileSync(path.join(lib, 'mine.stpm'), '@define my_own_macro(x) %( (@x + 1) %)\n');
      return { script: script(dir, 'probe begin { println(@my_own_macro(41)) }\n'), cliArgs: ['-I', lib], settings: { includePaths: [lib] } };
    },
    expect: (ds) => (ds.length === 0 ? undefined : `stap -I accepts it, we say: ${ds[0].message}`),
  },
];
