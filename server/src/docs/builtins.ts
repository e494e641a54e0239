// Reference text for what stap's translator knows itself, not the tapset
// library: the printing functions (`man stap`, PRINTING), the `@` operators
// (STATISTICS, TYPECASTING, and the probe-point operators), the statement
// keywords, what may start a top-level declaration, and the names a `%( %?`
// condition tests (CONDITIONAL COMPILATION). Markdown, for completion,
// hover and signature help.

export interface BuiltinDoc {
  /** As signature help shows it: `printf(format:string, value, ...)`. */
  signature: string;
  doc: string;
}

const printing = (what: string) => `${what}\n\nThe \`sprint\` forms return the text instead of printing it.`;

/** stap 4.8 treats exactly these ten names as its print functions (parse.cxx, `print_format::create`). */
export const PRINT_FUNCTIONS: ReadonlyMap<string, BuiltinDoc> = new Map([
  ['print', { signature: 'print(value, ...)', doc: printing("Prints one or more values of any type, concatenated, to the script's output.") }],
  ['println', { signature: 'println(value, ...)', doc: printing('Prints like `print`, then a newline.') }],
  [
    'printf',
    {
      signature: 'printf(format:string, value, ...)',
      doc: printing('Prints values by a format, as C does; the format must be a literal string and is type-checked: `%d %i %u %x %X %o %p %s %c %b %m %M %%`, with `#` for the alternate forms.'),
    },
  ],
  ['printd', { signature: 'printd(delimiter:string, value, ...)', doc: printing('Prints two or more values with the delimiter (a literal string) between them.') }],
  ['printdln', { signature: 'printdln(delimiter:string, value, ...)', doc: printing('Prints like `printd`, then a newline.') }],
  ['sprint', { signature: 'sprint:string(value, ...)', doc: 'Returns the values of any type, concatenated, as a string (`print` prints them).' }],
  ['sprintln', { signature: 'sprintln:string(value, ...)', doc: 'Returns the values, concatenated, and a newline (`println` prints them).' }],
  ['sprintf', { signature: 'sprintf:string(format:string, value, ...)', doc: 'Returns the values formatted by a literal format string, as `printf` prints them.' }],
  ['sprintd', { signature: 'sprintd:string(delimiter:string, value, ...)', doc: 'Returns two or more values with the delimiter between them (`printd` prints them).' }],
  ['sprintdln', { signature: 'sprintdln:string(delimiter:string, value, ...)', doc: 'Returns the values with the delimiter between them, and a newline (`printdln` prints them).' }],
]);

const extractor = (what: string) => `The ${what} of the values accumulated with \`<<<\` in a global (or an element of a global array); computed across all CPUs when it is read.`;

/** The `@` operators, as written in code. */
export const AT_OPERATOR_DOCS: ReadonlyMap<string, BuiltinDoc> = new Map([
  ['@count', { signature: '@count(stat)', doc: extractor('number') }],
  ['@sum', { signature: '@sum(stat)', doc: extractor('total') }],
  ['@min', { signature: '@min(stat)', doc: extractor('smallest') }],
  ['@max', { signature: '@max(stat)', doc: extractor('largest') }],
  ['@avg', { signature: '@avg(stat)', doc: extractor('integer average') }],
  ['@variance', { signature: '@variance(stat, bitshift)', doc: `${extractor('variance')} The optional bit shift (0 to 62) scales the integer arithmetic for precision.` }],
  [
    '@hist_linear',
    {
      signature: '@hist_linear(stat, start, stop, interval)',
      doc: 'A linear histogram of the accumulated values from `start` to `stop` by `interval`: print it with `print`/`println`, index a bucket with `[i]`, or iterate it with `foreach`.',
    },
  ],
  [
    '@hist_log',
    { signature: '@hist_log(stat)', doc: 'A base-2 logarithmic histogram of the accumulated values: print it with `print`/`println`, index a bucket with `[i]`, or iterate it with `foreach`.' },
  ],
  [
    '@cast',
    {
      signature: '@cast(pointer, "type", "module")',
      doc: 'Reads `pointer` as a pointer to the C type `type` (e.g. `"struct task_struct"`), so that `->field` works on it; the module or header to take the type from is optional.',
    },
  ],
  ['@var', { signature: '@var("name", "module")', doc: 'A variable of the probed code by name, also where `$name` is not in scope: `@var("jiffies")`, `@var("counter@file.c")`.' }],
  ['@entry', { signature: '@entry(expression)', doc: 'In a `.return` probe: the value the expression had at the entry of the function.' }],
  ['@defined', { signature: '@defined(expression)', doc: '1 if the target expression (such as `$var`) resolves at this probe point, else 0: for probes that must work where a variable is missing.' }],
  ['@probewrite', { signature: '@probewrite(variable)', doc: "1 if the probe handler body writes this variable, else 0: for probe aliases that act on what the user's handler set." }],
  [
    '@const',
    {
      signature: '@const("name")',
      doc: 'A constant of a C header (typically a macro) by name, for tapsets and guru-mode scripts; the header comes from a top-level `%{ #include %}`: `@const("PAGE_SIZE")`.',
    },
  ],
  ['@perf', { signature: '@perf("counter")', doc: 'The value of a perf counter the probe point names with `.counter("name")`.' }],
  ['@kregister', { signature: '@kregister(number)', doc: 'A register of the probed kernel code, by DWARF register number.' }],
  ['@uregister', { signature: '@uregister(number)', doc: 'A register of the probed user-space code, by DWARF register number.' }],
  ['@kderef', { signature: '@kderef(size, address)', doc: 'Reads `size` bytes of kernel memory at `address`, with a fault check.' }],
  ['@uderef', { signature: '@uderef(size, address)', doc: 'Reads `size` bytes of user-space memory at `address`, with a fault check.' }],
]);

/** What `$` can name without debug information about the probed code. */
export const DOLLAR_NAMES: ReadonlyMap<string, string> = new Map([
  ['$$vars', 'All variables in scope at the probe point (parameters and locals), as one printable string.'],
  ['$$parms', "The probed function's parameters, as one printable string."],
  ['$$locals', 'The local variables in scope at the probe point, as one printable string.'],
  ['$$return', 'In a `.return` probe: the return value, as a printable string.'],
]);

/** Keywords that start a statement inside a body. */
export const STATEMENT_KEYWORDS: ReadonlyMap<string, string> = new Map([
  ['if', '`if (condition) statement else statement`'],
  ['for', '`for (init; condition; step) statement`'],
  ['foreach', '`foreach (key in array) statement`: every element; `foreach ([a, b] in array- limit 10)` sorts by value and stops early.'],
  ['while', '`while (condition) statement`'],
  ['return', '`return value`: leaves the function with its value.'],
  ['next', '`next`: leaves the probe handler at once (in a function, goes on with the next overload).'],
  ['break', '`break`: leaves the innermost loop.'],
  ['continue', '`continue`: goes on with the next round of the innermost loop.'],
  ['delete', '`delete array[key]`, `delete array`, `delete scalar`: removes an element, empties an array, or resets a variable.'],
  ['try', '`try { ... } catch (message) { ... }`: a run-time error in the block goes to the catch block instead of ending the script.'],
]);

/** What may start a declaration at the top level, as snippet text. */
export const TOP_LEVEL_STARTS: readonly { label: string; snippet: string; doc: string }[] = [
  { label: 'probe', snippet: 'probe ', doc: '`probe POINT { ... }`: code to run when the probe point fires.' },
  { label: 'function', snippet: 'function ', doc: '`function name(params) { ... }`, or with `%{ %}` C as its body (guru mode).' },
  { label: 'global', snippet: 'global ', doc: '`global name`: a variable (or array, or statistic) shared by every probe.' },
  { label: 'private', snippet: 'private ', doc: '`private function` or `private global`: visible only in this file (for tapsets).' },
  { label: '@define', snippet: '@define ${1:name} %( ${0} %)', doc: '`@define name(params) %( body %)`: a macro, used as `@name`.' },
  { label: '%{', snippet: '%{\n${0}\n%}', doc: '`%{ ... %}`: C at the top level, such as `#include` lines (guru mode).' },
  { label: '%(', snippet: '%( ${1:kernel_v >= "5.0"} %?\n${0}\n%)', doc: '`%( condition %? ... %: ... %)`: keeps code for some kernels, architectures or stap versions only.' },
];

/** The names a `%( %?` condition may test. */
export const CONDITION_NAMES: ReadonlyMap<string, string> = new Map([
  ['kernel_v', 'The target kernel version without its release suffix (`"6.1.0"`), compared with `<`, `<=`, `==`, `!=`, `>`, `>=`.'],
  ['kernel_vr', 'The target kernel version with its release suffix (`"6.1.0-18-amd64"`).'],
  ['arch', 'The target architecture (`"x86_64"`, `"arm64"`), compared with `==` or `!=` (wildcards allowed).'],
  ['systemtap_v', 'The systemtap compatibility version (see `--compatible`).'],
  ['systemtap_privilege', 'The privilege the script is built with: `"stapusr"`, `"stapsys"` or `"stapdev"`.'],
  ['guru_mode', '1 when the script is built with `-g`, else 0.'],
  ['runtime', 'The runtime the script is built for: `"kernel"`, `"bpf"` or `"dyninst"`.'],
  ['CONFIG_', 'A kernel configuration option of the target kernel, such as `CONFIG_SMP == "y"` (unset options are `""`).'],
]);
