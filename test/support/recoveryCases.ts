// Half-typed declarations above complete ones, one for each place a
// declaration can be cut, with where stap reports the first error. Our parser
// must report it there too (test/unit/recovery.test.ts) and still give the
// declarations after the cut their symbols; test/oracle/recovery.test.ts
// checks the positions against the real stap.

export interface RecoveryCase {
  name: string;
  /** The declaration being typed, up to the cut (and what comes before it); the declarations of FOLLOWING come after it. */
  cut: string;
  /** Where stap reports its first error in `cut` + FOLLOWING: 1-based line and column, or 'eof'. */
  error: { line: number; column: number } | 'eof';
  /** Needs `stap -g`. */
  guru?: boolean;
  /** More declarations after FOLLOWING. */
  after?: string;
  /**
   * What stays of FOLLOWING's declarations, when not all: after an unclosed
   * comment the rest of the file is a comment, for stap too.
   */
  kept?: string[];
}

/** The declarations after the cut, each on its own lines, as the outline names them. */
export const FOLLOWING = 'probe begin { println(execname()) }\nfunction helper(n) { return n + 1 }\nglobal counter\n@define twice(x) %( (@x * 2) %)\nprobe end { println(helper(@twice(counter))) }\n';
export const FOLLOWING_NAMES = ['begin', 'helper', 'counter', '@twice', 'end'];

const BAD_MACRO = '@define bad %( 1 + * 2 %)';
const USES_BAD_MACRO = 'probe timer.s(1) { println(@bad) }\n';

export const RECOVERY_CASES: RecoveryCase[] = [
  // ---- in the probe point ----
  { name: 'probe keyword only', cut: 'probe', error: { line: 2, column: 7 } },
  { name: 'probe point after a dot', cut: 'probe syscall.', error: { line: 2, column: 7 } },
  { name: 'probe point after a comma', cut: 'probe syscall.open,', error: { line: 2, column: 7 } },
  { name: 'probe point in a brace group', cut: 'probe {kernel,', error: { line: 2, column: 7 } },
  { name: 'probe point string argument opened', cut: 'probe kernel.function("', error: { line: 1, column: 23 } },
  { name: 'probe point string argument half typed', cut: 'probe kernel.function("vfs_re', error: { line: 1, column: 23 } },
  { name: 'probe point number argument opened', cut: 'probe timer.s(', error: { line: 2, column: 1 } },
  { name: 'probe point condition opened', cut: 'probe timer.s(1) if (', error: { line: 2, column: 1 } },
  { name: 'probe alias after =', cut: 'probe myalias = kernel.', error: { line: 2, column: 7 } },
  // ---- in a probe or function body ----
  { name: 'body brace not closed', cut: 'probe begin {', error: { line: 2, column: 1 } },
  { name: 'body after a statement', cut: 'probe begin { x = 1', error: { line: 2, column: 1 } },
  { name: 'call opened', cut: 'probe begin { println(execname(', error: { line: 2, column: 1 } },
  { name: 'call after an argument', cut: 'probe begin { printf("%d", 1', error: { line: 2, column: 1 } },
  { name: 'expression after an operator', cut: 'probe begin { x = 1 +', error: { line: 2, column: 1 } },
  { name: 'assignment without a value', cut: 'probe begin { x =', error: { line: 2, column: 1 } },
  { name: 'condition after ?', cut: 'probe begin { x = y ?', error: { line: 2, column: 1 } },
  { name: 'member after ->', cut: 'probe kernel.function("f") { x = $p->', error: { line: 3, column: 1 } },
  { name: 'parenthesis not closed', cut: 'probe begin { if (x > 1', error: { line: 2, column: 1 } },
  { name: 'string not closed', cut: 'probe begin { s = "abc', error: { line: 1, column: 19 } },
  { name: 'foreach opened', cut: 'probe begin { foreach (k in', error: { line: 2, column: 1 } },
  { name: 'catch opened', cut: 'probe begin { try { x = 1 } catch (', error: { line: 2, column: 1 } },
  { name: 'return without a value', cut: 'function f(a) { return', error: { line: 2, column: 1 } },
  { name: 'embedded C in a body not closed', cut: 'function f() { %{ int x', error: { line: 1, column: 16 }, guru: true },
  { name: 'macro argument list not closed', cut: '@define m(a) %( @a %)\nprobe begin { x = @m(1', error: { line: 2, column: 19 } },
  { name: 'comment not closed', cut: 'probe begin { /* half a comment', error: 'eof', kept: [] },
  // ---- in a function, global or macro declaration ----
  { name: 'function keyword only', cut: 'function', error: { line: 2, column: 1 } },
  { name: 'function parameters opened', cut: 'function f(', error: { line: 2, column: 1 } },
  { name: 'function after a parameter', cut: 'function f(a,', error: { line: 2, column: 1 } },
  { name: 'function return type', cut: 'function f:', error: { line: 2, column: 1 } },
  { name: 'function embedded body not closed', cut: 'function f(a) %{ STAP_RETVALUE = 1;', error: { line: 1, column: 15 }, guru: true },
  { name: 'global keyword only', cut: 'global', error: { line: 2, column: 1 } },
  { name: 'global initializer', cut: 'global x =', error: { line: 2, column: 1 } },
  { name: 'global array size', cut: 'global a[', error: { line: 2, column: 1 } },
  { name: 'private keyword only', cut: 'private', error: { line: 2, column: 1 } },
  { name: 'macro definition name only', cut: '@define m', error: { line: 2, column: 1 } },
  { name: 'macro definition parameters opened', cut: '@define m(', error: { line: 2, column: 1 } },
  { name: 'macro definition body not closed', cut: '@define m(a) %( @a +', error: { line: 1, column: 9 } },
  { name: 'top-level embedded C not closed', cut: '%{ #include <linux/sched.h>', error: { line: 1, column: 1 }, guru: true },
  // ---- an error in a macro body, which stap meets where the macro is used, after the cut ----
  { name: 'probe point cut, macro body error met later', cut: `${BAD_MACRO}\nprobe syscall.`, after: USES_BAD_MACRO, error: { line: 3, column: 7 } },
  { name: 'macro definition cut, macro body error met later', cut: `${BAD_MACRO}\n@define m(a) %( @a +`, after: USES_BAD_MACRO, error: { line: 2, column: 9 } },
  { name: 'embedded C cut, macro body error met later', cut: `${BAD_MACRO}\nfunction f() %{ int x`, after: USES_BAD_MACRO, error: { line: 2, column: 14 }, guru: true },
];
