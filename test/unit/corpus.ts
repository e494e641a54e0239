// Small scripts with the verdict stap gives them. `errorLine` (1-based) is
// where stap reports the first parse error; absent means stap accepts it.
// Checked against the real stap by oracle.test.ts.

export interface CorpusCase {
  name: string;
  text: string;
  errorLine?: number;
  /** Needs `stap -g` (embedded C). */
  guru?: boolean;
  /** Script arguments stap needs on its command line ($1, @1). */
  args?: string[];
}

export const CORPUS: CorpusCase[] = [
  // ---- accepted ----
  { name: 'begin probe', text: 'probe begin { printf("hello\\n"); exit() }\n' },
  { name: 'probe list and wildcards', text: 'probe syscall.open*, kernel.function("sys_*").return ? { next }\n' },
  { name: 'timer probe with number', text: 'probe timer.ms(100) { print(1) }\n' },
  { name: 'negative begin priority', text: 'probe begin(-1) { }\n' },
  { name: 'probe alias', text: 'probe myopen = syscall.open { x = 1 }\nprobe myopen { print(x) }\n' },
  { name: 'probe alias epilogue', text: 'probe myopen += syscall.open { x = 1 }\n' },
  { name: 'probe condition', text: 'global on\nprobe timer.s(1) if (on) { print(1) }\n' },
  { name: 'function typed', text: 'function f:long(a:long, b:string) { return a + strlen(b) }\nprobe begin { print(f(1, "x")) }\n' },
  { name: 'private function and global', text: 'private global g = 5\nprivate function f() { return g }\n' },
  { name: 'globals', text: 'global a, b[100], c = "s", d = -1, e%, f%[10]\n' },
  { name: 'statements without semicolons', text: 'probe begin { a = 1 b = 2 print(a + b) }\n' },
  { name: 'if else while for', text: 'probe begin { for (i = 0; i < 3; i++) { if (i == 1) continue; else print(i) } while (0) break }\n' },
  { name: 'foreach forms', text: 'global arr\nprobe end { foreach (k in arr) print(k); foreach ([a, b] in arr- limit 5) print(a); foreach (v = [x] in arr) print(v) }\n' },
  { name: 'foreach sorted key', text: 'global arr\nprobe end { foreach (k+ in arr) print(k) }\n' },
  { name: 'delete and in', text: 'global arr\nprobe end { if ([1, "a"] in arr) delete arr[1, "a"]; if (2 in arr) delete arr }\n' },
  { name: 'statistics', text: 'global s\nprobe begin { s <<< 1; print(@count(s), @avg(s)); print(@hist_log(s)) }\n' },
  { name: 'ternary and regex', text: 'probe begin { x = "ab" =~ "a.*" ? 1 : 0; y = "a" !~ "b" }\n' },
  { name: 'string concat and adjacent literals', text: 'probe begin { s = "a" "b"; s .= "c" . "d" }\n' },
  { name: 'target variables', text: 'probe kernel.function("ip_output") { print($skb->dev->name$, $$parms, $$vars$$) }\n' },
  { name: 'cast and entry', text: 'probe kernel.function("f").return { t = @cast(task_current(), "task_struct", "kernel")->pid; print(@entry($x), @defined($y) ? 1 : 0) }\n' },
  { name: 'try catch', text: 'probe begin { try { error("x") } catch (msg) { print(msg) } }\n' },
  { name: 'preprocessor conditional', text: 'probe begin { %( kernel_v >= "2.6.30" %? print(1) %: print(2) %) }\n' },
  { name: 'preprocessor arch and CONFIG', text: 'probe begin { %( arch == "x86_64" && CONFIG_SMP == "y" %? a = 1 %: a = 2 %) print(a) }\n' },
  { name: 'define macro', text: '@define twice(x) %( (@x * 2) %)\nprobe begin { print(@twice(21)) }\n' },
  { name: 'hex and octal', text: 'probe begin { print(0x1f + 017 + 9) }\n' },
  { name: 'comments of three kinds', text: '# hash\n// slashes\n/* block\n comment */\nprobe begin { }\n' },
  { name: 'embedded C function', text: 'function f:long(x:long) %{ /* pure */ STAP_RETVALUE = STAP_ARG_x; %}\nprobe begin { print(f(1)) }\n', guru: true },
  { name: 'top-level embedded C', text: '%{\n#include <linux/netdevice.h>\n%}\nprobe begin { }\n', guru: true },
  { name: 'embedded expression', text: 'probe begin { print(%{ 42 %}) }\n', guru: true },
  { name: 'script arguments', text: 'probe begin { print(@1, $#) }\n', args: ['x'] },

  // ---- rejected ----
  { name: 'missing closing brace before probe', text: 'probe begin {\n  print(1)\n\nprobe end { }\n', errorLine: 4 },
  { name: 'missing closing paren', text: 'probe begin {\n  printf("%d\\n", 1\n  exit()\n}\n', errorLine: 3 },
  { name: 'assignment without value', text: 'probe begin {\n  x = ;\n}\n', errorLine: 2 },
  { name: 'bad token', text: 'probe begin {\n  x = 1 ` 2\n}\n', errorLine: 2 },
  { name: 'else without if', text: 'probe begin {\n  else print(1)\n}\n', errorLine: 2 },
  { name: 'function without name', text: 'function (x) { }\n', errorLine: 1 },
  { name: 'probe without body', text: 'probe begin\nprobe end { }\n', errorLine: 2 },
  { name: 'unterminated string', text: 'probe begin {\n  print("abc)\n}\n', errorLine: 2 },
  { name: 'foreach without in', text: 'global a\nprobe end {\n  foreach (k a) print(k)\n}\n', errorLine: 3 },
  { name: 'stray closing brace', text: 'probe begin { }\n}\n', errorLine: 2 },
  { name: 'keyword as variable', text: 'probe begin {\n  x = probe + 1\n}\n', errorLine: 2 },
  { name: 'incomplete conditional', text: 'probe begin {\n  %( arch == "x86_64" %? print(1)\n}\n', errorLine: 2 },
  { name: 'embedded C without guru', text: 'function f() %{ return; %}\n', errorLine: 1 },
];
