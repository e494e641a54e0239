// Small scripts that stap -p1 accepts and stap -p2 (elaboration) rejects,
// each for one mistake of pass 2, each followed by its counterpart with the
// mistake fixed (named like it plus ' (fixed)'), which stap -p2 accepts.
// `errorLine`/`errorColumn` (1-based) are where stap reports the first error.
// Every value is used (printed, or kept in a global): stap drops code whose
// result nothing reads before it checks types.
// Checked against the real stap by test/oracle/semantic.test.ts; our
// analysis is held to the same lines by test/unit/semantic.test.ts.

export interface SemanticCase {
  name: string;
  text: string;
  errorLine?: number;
  errorColumn?: number;
  /** The code of our finding there. */
  code?: string;
  /** Script arguments, given to stap and to us alike. */
  args?: string[];
}

type Pair = [name: string, code: string, broken: string, line: number, column: number | undefined, fixed: string];

const PAIRS: Pair[] = [
  // ---- type mismatch: variables ----
  ['global long then string', 'type-mismatch', 'global x\nprobe begin { x = 1\n  x = "s" }\n', 3, 3, 'global x\nprobe begin { x = 1\n  x = 2 }\n'],
  ['global typed in two probes', 'type-mismatch', 'global g\nprobe begin { g = "s" }\nprobe end { g = 1 }\n', 3, 13, 'global g\nprobe begin { g = "s" }\nprobe end { g = "t" }\n'],
  [
    'global typed in a function first',
    'type-mismatch',
    'global g\nfunction f() { g = "s" }\nprobe begin { g = 1; f() }\n',
    3,
    15,
    'global g\nfunction f() { g = "s" }\nprobe begin { g = "t"; f() }\n',
  ],
  ['local number in concatenation', 'type-mismatch', 'probe begin { x = 1; print(x . "a") }\n', 1, 28, 'probe begin { x = "1"; print(x . "a") }\n'],
  ['string in arithmetic', 'type-mismatch', 'probe begin { print("a" + 1) }\n', 1, 21, 'probe begin { print(2 + 1) }\n'],
  ['string as a condition', 'type-mismatch', 'global u\nprobe begin { u = "a"; if (u) print(1) }\n', 2, 28, 'global u\nprobe begin { u = "a"; if (u != "") print(1) }\n'],
  ['string as a while condition', 'type-mismatch', 'probe begin { s = "a"\n  while (s) s = "" }\n', 2, 10, 'probe begin { s = "a"\n  while (s != "") s = "" }\n'],
  ['string as a for condition', 'type-mismatch', 'probe begin { for (i = "a"; i; i = "") print(i) }\n', 1, 29, 'probe begin { for (i = "a"; i != ""; i = "") print(i) }\n'],
  ['increment of a string', 'type-mismatch', 'probe begin { x = "a"; x++; print(x) }\n', 1, 24, 'probe begin { x = 1; x++; print(x) }\n'],
  ['compound assignment to a string', 'type-mismatch', 'global t\nprobe begin { t = "a"; t += 2 }\n', 2, 24, 'global t\nprobe begin { t = 1; t += 2 }\n'],
  ['append to a number', 'type-mismatch', 'global t\nprobe begin { t = 1; t .= "a" }\n', 2, 22, 'global t\nprobe begin { t = "1"; t .= "a" }\n'],
  [
    'number assigned from a function that gives a string',
    'type-mismatch',
    'function f() { return 1 }\nprobe begin { x = "a"; x = f(); print(x) }\n',
    2,
    24,
    'function f() { return "b" }\nprobe begin { x = "a"; x = f(); print(x) }\n',
  ],
  ['ternary branches of two types', 'type-mismatch', 'probe begin { print(1 ? 2 : "a") }\n', 1, 29, 'probe begin { print(1 ? 2 : 3) }\n'],
  ['comparison of a number with a string', 'type-mismatch', 'global n\nprobe begin { n = 1; if (n == "a") print(n) }\n', 2, 26, 'global n\nprobe begin { n = 1; if (n == 2) print(n) }\n'],
  ['regex match on a number', 'type-mismatch', 'probe begin { x = 1; print(x =~ "a") }\n', 1, 28, 'probe begin { x = "1"; print(x =~ "a") }\n'],
  ['catch variable used as a number', 'type-mismatch', 'probe begin { try { error("e") } catch (m) { print(m + 1) } }\n', 1, 52, 'probe begin { try { error("e") } catch (m) { print(m . "!") } }\n'],
  ['sprintf result used as a number', 'type-mismatch', 'global v\nprobe begin { v = 1; v = sprintf("%d", 2) }\n', 2, 22, 'global v\nprobe begin { v = "1"; v = sprintf("%d", 2) }\n'],
  ['string script argument as a number', 'type-mismatch', 'probe begin { print(@1 + 1) }\n', 1, 21, 'probe begin { print(@1 . "x") }\n'],
  // ---- arrays ----
  ['array index types differ', 'type-mismatch', 'global a\nprobe begin { a[1] = 1; a["x"] = 2 }\n', 2, 27, 'global a\nprobe begin { a[1] = 1; a[3] = 2 }\n'],
  ['array value types differ', 'type-mismatch', 'global a\nprobe begin { a[1] = 1; a[2] = "x" }\n', 2, 25, 'global a\nprobe begin { a[1] = 1; a[2] = 3 }\n'],
  ['array read with a key of another type', 'type-mismatch', 'global a\nprobe begin { a["x"] = 1; print(a[1]) }\n', 2, 35, 'global a\nprobe begin { a["x"] = 1; print(a["y"]) }\n'],
  ['delete with a key of another type', 'type-mismatch', 'global a\nprobe begin { a[1] = 1; delete a["x"]; print(a[1]) }\n', 2, 34, 'global a\nprobe begin { a[1] = 1; delete a[2]; print(a[1]) }\n'],
  ['in with a key of another type', 'type-mismatch', 'global a\nprobe begin { a[1] = 1; print("x" in a) }\n', 2, 31, 'global a\nprobe begin { a[1] = 1; print(2 in a) }\n'],
  [
    'foreach key used as a string',
    'type-mismatch',
    'global a\nprobe begin { a[1] = 1; foreach (k in a) print(k . "x") }\n',
    2,
    48,
    'global a\nprobe begin { a[1] = 1; foreach (k in a) print(k + 1) }\n',
  ],
  [
    'foreach value used as a string',
    'type-mismatch',
    'global a\nprobe begin { a[1] = 1; foreach (v = k in a) print(v . "x") }\n',
    2,
    34,
    'global a\nprobe begin { a[1] = 1; foreach (v = k in a) print(v + k) }\n',
  ],
  ['inconsistent arity', 'array-arity', 'global arr\nprobe begin {\n  arr[1] = 1\n  arr[1,2] = 2\n}\n', 4, 3, 'global arr\nprobe begin {\n  arr[1] = 1\n  arr[2] = 2\n}\n'],
  ['array used as a scalar', 'array-arity', 'global a\nprobe begin { a[1] = 1; print(a) }\n', 2, 31, 'global a\nprobe begin { a[1] = 1; print(a[1]) }\n'],
  ['foreach over a global scalar', 'array-arity', 'global x\nprobe begin { x = 1; foreach (k in x) print(k) }\n', 2, 36, 'global x\nprobe begin { x[1] = 1; foreach (k in x) print(k) }\n'],
  [
    'foreach over a local scalar',
    'array-arity',
    'probe begin { x = 1; foreach (k in x) print(k); print(x) }\n',
    1,
    36,
    'global y\nprobe begin { x = 1; y[1] = 1; foreach (k in y) print(k); print(x) }\n',
  ],
  ['in on a scalar', 'array-arity', 'global x\nprobe begin { x = 1; print(1 in x) }\n', 2, 33, 'global x\nprobe begin { x[1] = 1; print(1 in x) }\n'],
  // ---- functions ----
  [
    'function called with too few arguments',
    'function-arity',
    'function f(a, b) { return a + b }\nprobe begin { print(f(1)) }\n',
    2,
    21,
    'function f(a, b) { return a + b }\nprobe begin { print(f(1, 2)) }\n',
  ],
  ['function called with too many arguments', 'function-arity', 'function f() { return 1 }\nprobe begin { print(f(1)) }\n', 2, 21, 'function f() { return 1 }\nprobe begin { print(f()) }\n'],
  ['library function with an extra argument', 'function-arity', 'probe begin { print(pid(1)) }\n', 1, 21, 'probe begin { print(pid()) }\n'],
  [
    'parameter typed by its body, called with a string',
    'type-mismatch',
    'function f(a) { return a + 1 }\nprobe begin { print(f("s")) }\n',
    1,
    24,
    'function f(a) { return a + 1 }\nprobe begin { print(f(2)) }\n',
  ],
  [
    'parameter typed by its body, called with a number',
    'type-mismatch',
    'function f(a) { b = a . "x"; return b }\nprobe begin { print(f(1)) }\n',
    1,
    21,
    'function f(a) { b = a . "x"; return b }\nprobe begin { print(f("1")) }\n',
  ],
  ['parameter typed by a first call', 'type-mismatch', 'function f(a) { println(a) }\nprobe begin { f(1); f("s") }\n', 2, 23, 'function f(a) { println(a) }\nprobe begin { f(1); f(2) }\n'],
  ['declared parameter type', 'type-mismatch', 'function f(a:long) { println(a) }\nprobe begin { f("s") }\n', 2, 17, 'function f(a:long) { println(a) }\nprobe begin { f(3) }\n'],
  ['library parameter type', 'type-mismatch', 'probe begin { print(user_string("x")) }\n', 1, 33, 'probe begin { print(user_string(0)) }\n'],
  [
    'returns of two types',
    'type-mismatch',
    'function f(x) { if (x) return 1; return "s" }\nprobe begin { print(f(1)) }\n',
    1,
    41,
    'function f(x) { if (x) return 1; return 2 }\nprobe begin { print(f(1)) }\n',
  ],
  ['declared return type', 'type-mismatch', 'function f:string() { return 1 }\nprobe begin { print(f()) }\n', 1, 30, 'function f:string() { return "1" }\nprobe begin { print(f()) }\n'],
  ['return type against the caller', 'type-mismatch', 'function f() { return 1 }\nprobe begin { print(f() . "x") }\n', 2, 21, 'function f() { return "1" }\nprobe begin { print(f() . "x") }\n'],
  ['library return type against the caller', 'type-mismatch', 'probe begin { print(pid() . "x") }\n', 1, 21, 'probe begin { print(execname() . "x") }\n'],
  // ---- statistics ----
  ['<<< on a number', 'type-mismatch', 'global g\nprobe begin { g = 1; g <<< 2; print(g) }\n', 2, 22, 'global g, h\nprobe begin { h = 1; g <<< 2; print(@count(g)) }\n'],
  ['<<< of a string', 'type-mismatch', 'global a\nprobe begin { a <<< "x" }\n', 2, 21, 'global a\nprobe begin { a <<< 1 }\n'],
  ['@count of a number', 'type-mismatch', 'global s\nprobe begin { s = 1; print(@count(s)) }\n', 2, 35, 'global s\nprobe begin { s <<< 1; print(@count(s)) }\n'],
  ['@sum of a string array', 'type-mismatch', 'global a\nprobe begin { a[1] = "x"; print(@sum(a[1])) }\n', 2, 38, 'global a\nprobe begin { a[1] <<< 2; print(@sum(a[1])) }\n'],
  ['statistic in arithmetic', 'type-mismatch', 'global s, t\nprobe begin { s <<< 1; t = s + 1; print(t) }\n', 2, 28, 'global s, t\nprobe begin { s <<< 1; t = @sum(s) + 1; print(t) }\n'],
  ['statistic assigned to a variable', 'stat-as-value', 'global s\nprobe begin { s <<< 1; x = s; print(x) }\n', 2, 28, 'global s\nprobe begin { s <<< 1; x = @max(s); print(x) }\n'],
  ['statistic printed with %d', 'type-mismatch', 'global s\nprobe begin { s <<< 1; printf("%d\\n", s) }\n', 2, 39, 'global s\nprobe begin { s <<< 1; printf("%d\\n", @min(s)) }\n'],
  ['histogram bucket by a string', 'type-mismatch', 'global s\nprobe begin { s <<< 1; print(@hist_log(s)["a"]) }\n', 2, 43, 'global s\nprobe begin { s <<< 1; print(@hist_log(s)[0]) }\n'],
  // ---- printf ----
  ['printf %d of a string', 'type-mismatch', 'probe begin { printf("%d %s\\n", "a", "b") }\n', 1, 33, 'probe begin { printf("%d %s\\n", 1, "b") }\n'],
  ['printf %s of a number', 'type-mismatch', 'probe begin { printf("%s\\n", 1) }\n', 1, 30, 'probe begin { printf("%s\\n", "1") }\n'],
  ['printf with an argument too many', 'format-arguments', 'probe begin { printf("%d\\n", 1, 2) }\n', 1, 15, 'probe begin { printf("%d %d\\n", 1, 2) }\n'],
  ['printf with an argument missing', 'format-arguments', 'probe begin { printf("%d %d\\n", 1) }\n', 1, 15, 'probe begin { printf("%d %%d\\n", 1) }\n'],
  ['sprintf with a star width of a string', 'type-mismatch', 'probe begin { print(sprintf("%*d", "a", 1)) }\n', 1, 36, 'probe begin { print(sprintf("%*d", 4, 1)) }\n'],
  // ---- arrays without a global declaration ----
  ['array written without a global declaration', 'array-undeclared', 'probe begin { x[1] = 2; println(x[1]) }\n', 1, 15, 'global x\nprobe begin { x[1] = 2; println(x[1]) }\n'],
  ['array read without a global declaration', 'array-undeclared', 'global y\nprobe begin { y = 1; println(x[1] + y) }\n', 2, 30, 'global x, y\nprobe begin { y = 1; x[1] = 2; println(x[1] + y) }\n'],
  ['foreach over an undeclared array', 'array-undeclared', 'probe begin { foreach (k in x) println(k) }\n', 1, 29, 'global x\nprobe begin { x[1] = 1; foreach (k in x) println(k) }\n'],
  [
    'undeclared array in a called function',
    'array-undeclared',
    'function f() { return x[1] }\nprobe begin { println(f()) }\n',
    1,
    23,
    'global x\nfunction f() { return x[1] }\nprobe begin { x[1] = 1; println(f()) }\n',
  ],
  // ---- modifying the array a foreach walks ----
  [
    'foreach assigns an element of its array',
    'foreach-modified',
    'global a\nprobe begin { a[1] = 1\n  foreach (k in a) {\n    a[k+1] = 2\n  }\n  println(a[1]) }\n',
    4,
    5,
    'global a, b\nprobe begin { a[1] = 1\n  foreach (k in a) {\n    b[k+1] = 2\n  }\n  println(a[1] + b[2]) }\n',
  ],
  [
    'foreach deletes an element of its array',
    'foreach-modified',
    'global a\nprobe begin { a[1] = 1\n  foreach (k in a) {\n    delete a[k]\n  }\n  println(a[1]) }\n',
    4,
    12,
    'global a\nprobe begin { a[1] = 1\n  foreach (k in a) {\n    println(k)\n  }\n  delete a[1] }\n',
  ],
  [
    'foreach increments an element of its array',
    'foreach-modified',
    'global a\nprobe begin { a[1] = 1\n  foreach (k in a+) {\n    a[k]++\n  }\n  println(a[1]) }\n',
    4,
    5,
    'global a\nprobe begin { a[1] = 1\n  foreach (k in a+) {\n    println(a[k] + 1)\n  }\n  a[1]++ }\n',
  ],
  [
    'foreach aggregates into its statistics array',
    'foreach-modified',
    'global s\nprobe begin { s[1] <<< 1\n  foreach (k in s) {\n    s[k] <<< 2\n  }\n  println(@count(s[1])) }\n',
    4,
    5,
    'global s\nprobe begin { s[1] <<< 1\n  foreach (k in s) {\n    println(@sum(s[k]))\n  }\n  s[1] <<< 2 }\n',
  ],
  [
    'foreach calls a function that writes its array',
    'foreach-modified',
    'global a\nfunction g() { a[2] = 3; return 1 }\nprobe begin { a[1] = 1\n  foreach (k in a) {\n    println(g() + k)\n  }\n  println(a[1]) }\n',
    5,
    13,
    'global a\nfunction g() { a[2] = 3; return 1 }\nprobe begin { a[1] = 1\n  foreach (k in a) {\n    println(k)\n  }\n  println(a[1] + g()) }\n',
  ],
  // ---- assignment to something that is not storage ----
  ['assignment to a literal in parentheses', 'lvalue-invalid', 'probe begin { (1) = 2 }\n', 1, 19, 'global x\nprobe begin { (x) = 2; println(x) }\n'],
  ['assignment to a sum', 'lvalue-invalid', 'global x\nprobe begin { x = 1; x + 1 = 2; println(x) }\n', 2, 28, 'global x\nprobe begin { x = 1; x = x + 2; println(x) }\n'],
  ['compound assignment to a conditional', 'lvalue-invalid', 'global x\nprobe begin { x = 1; (x ? 1 : 2) += 2; println(x) }\n', 2, 34, 'global x\nprobe begin { x = 1; x += x ? 1 : 2; println(x) }\n'],
  ['string append to a literal', 'lvalue-invalid', 'probe begin { "a" .= "b" }\n', 1, 19, 'global s\nprobe begin { s = "a"; s .= "b"; println(s) }\n'],
  ['aggregate into a sum', 'lvalue-invalid', 'global s\nprobe begin { (1 + 1) <<< 2; s <<< 1; println(@count(s)) }\n', 2, 23, 'global s\nprobe begin { s <<< 1 + 1; println(@count(s)) }\n'],
  ['assignment to a function call', 'lvalue-invalid', 'probe begin { f() = 2 }\nfunction f() { return 1 }\n', 1, 19, 'probe begin { println(f()) }\nfunction f() { return 1 }\n'],
  ['chained assignment to a literal', 'lvalue-invalid', 'global x\nprobe begin { x = 1 = 2; println(x) }\n', 2, 21, 'global x, y\nprobe begin { x = y = 2; println(x + y) }\n'],
  // ---- unresolved ----
  ['global read, never set', 'type-unresolved', 'global u\nprobe begin { print(u) }\n', 2, 21, 'global u\nprobe begin { u = 1; print(u) }\n'],
  // ---- target variables ----
  ['$return in a begin probe', 'target-unresolved', 'probe begin { print($return) }\n', 1, 21, 'probe begin { print(0) }\n'],
  ['target variable in a timer probe', 'target-unresolved', 'probe timer.s(1) { print($x) }\n', 1, 26, 'probe timer.s(1) { print(1) }\n'],
  ['target variable in a procfs probe', 'target-unresolved', 'probe procfs("f").read { $value = sprint($foo) }\n', 1, 42, 'probe procfs("f").read { $value = sprint(1) }\n'],
  // ---- foreach over statistics, @entry, target variables in functions, procfs $value, statistics ----
  [
    'foreach sorted by @sum over numbers',
    'type-mismatch',
    'global x\nprobe begin { x[1] = 1\n  foreach (k in x @sum+) println(k) }\n',
    3,
    17,
    'global x\nprobe begin { x[1] <<< 1\n  foreach (k in x @sum+) println(k) }\n',
  ],
  [
    'foreach sorted by @count over strings',
    'type-mismatch',
    'global x\nprobe begin { x[1, 2] = "a"\n  foreach ([k, l] in x @count- limit 2) println(k + l) }\n',
    3,
    22,
    'global x\nprobe begin { x[1, 2] = "a"\n  foreach ([k, l] in x- limit 2) println(k + l) }\n',
  ],
  [
    'foreach value of a statistic',
    'stat-as-value',
    'global s\nprobe begin { s[1] <<< 1\n  foreach (v = k in s) println(k) }\n',
    3,
    12,
    'global s\nprobe begin { s[1] <<< 1\n  foreach (k in s) println(@sum(s[k])) }\n',
  ],
  [
    'foreach value of a sorted statistic',
    'stat-as-value',
    'global s\nprobe begin { s["a"] <<< 1\n  foreach (v = k in s @max+) println(k) }\n',
    3,
    12,
    'global s\nprobe begin { s["a"] <<< 1\n  foreach (k in s @max+) println(@max(s[k])) }\n',
  ],
  ['@entry in a begin probe', 'entry-outside-return', 'probe begin { println(@entry(1)) }\n', 1, 23, 'probe begin { println(1) }\n'],
  [
    '@entry in a timer probe',
    'entry-outside-return',
    'global t\nprobe timer.s(1) { t = @entry(2); exit() }\nprobe end { println(t) }\n',
    2,
    24,
    'global t\nprobe timer.s(1) { t = 2; exit() }\nprobe end { println(t) }\n',
  ],
  ['@entry in a function', 'entry-outside-return', 'function f() { return @entry(1) }\nprobe begin { println(f()) }\n', 1, 23, 'function f() { return 1 }\nprobe begin { println(f()) }\n'],
  ['$return in a function', 'target-unresolved', 'function f() { return $return }\nprobe begin { println(f()) }\n', 1, 23, 'function f(r) { return r }\nprobe begin { println(f(0)) }\n'],
  [
    'target variable in a function',
    'target-unresolved',
    'function f() {\n  println($$parms)\n}\nprobe begin { f() }\n',
    2,
    11,
    'function f() {\n  println(@defined($$parms) ? $$parms : "")\n}\nprobe begin { f() }\n',
  ],
  [
    '$value read in a procfs read probe',
    'procfs-value',
    'global last\nprobe procfs("f").read { last = "<" . $value; $value = "x" }\nprobe end { println(last) }\n',
    2,
    39,
    'global last\nprobe procfs("f").read { last = "x"; $value = "x" }\nprobe end { println(last) }\n',
  ],
  [
    '$value written in a procfs write probe',
    'procfs-value',
    'global got\nprobe procfs("f").write { got = $value; $value = "" }\nprobe end { println(got) }\n',
    2,
    41,
    'global got\nprobe procfs("f").write { got = $value }\nprobe end { println(got) }\n',
  ],
  [
    '$value appended in a procfs write probe',
    'procfs-value',
    'probe procfs("f").write {\n  $value .= "!"\n}\n',
    2,
    3,
    'global got\nprobe procfs("f").write {\n  got .= $value\n}\nprobe end { println(got) }\n',
  ],
  ['statistic in a local', 'stat-local', 'probe begin { s <<< 1; println(@count(s)) }\n', 1, 15, 'global s\nprobe begin { s <<< 1; println(@count(s)) }\n'],
  [
    'statistic in a function local',
    'stat-local',
    'function f(n) {\n  t <<< n\n  return @avg(t)\n}\nprobe begin { println(f(2)) }\n',
    2,
    3,
    'global t\nfunction f(n) {\n  t <<< n\n  return @avg(t)\n}\nprobe begin { println(f(2)) }\n',
  ],
  ['statistic local drawn as a histogram', 'stat-local', 'probe begin {\n  h <<< 3\n  print(@hist_log(h))\n}\n', 2, 3, 'global h\nprobe begin {\n  h <<< 3\n  print(@hist_log(h))\n}\n'],
  [
    'two histogram shapes',
    'histogram-types',
    'global s\nprobe begin { s <<< 1\n  print(@hist_log(s))\n  print(@hist_linear(s, 0, 10, 1)) }\n',
    4,
    9,
    'global s\nprobe begin { s <<< 1\n  print(@hist_log(s))\n  print(@hist_log(s)) }\n',
  ],
  [
    'two linear histograms with different steps',
    'histogram-types',
    'global s\nprobe begin { s[1] <<< 1\n  print(@hist_linear(s[1], 0, 10, 1))\n  print(@hist_linear(s[1], 0, 10, 2)) }\n',
    4,
    9,
    'global s\nprobe begin { s[1] <<< 1\n  print(@hist_linear(s[1], 0, 10, 1))\n  print(@hist_linear(s[1], 0, 0xa, 1)) }\n',
  ],
  [
    'histogram shapes in two probes',
    'histogram-types',
    'global s\nprobe begin { s <<< 1; print(@hist_linear(s, 0, 10, 1)) }\nprobe end { print(@hist_log(s)) }\n',
    3,
    19,
    'global s\nprobe begin { s <<< 1; print(@hist_linear(s, 0, 10, 1)) }\nprobe end { print(@hist_linear(s, 0, 10, 1)) }\n',
  ],
  [
    'foreach over histograms of two shapes',
    'histogram-types',
    'global s\nprobe begin { s <<< 1\n  foreach (b in @hist_log(s)) println(b)\n  println(@hist_linear(s, 0, 100, 10)[2]) }\n',
    4,
    11,
    'global s\nprobe begin { s <<< 1\n  foreach (b in @hist_log(s)) println(b)\n  println(@hist_log(s)[2]) }\n',
  ],
];

/** Cases that need script arguments on stap's command line. */
const ARGS: Record<string, string[]> = { 'string script argument as a number': ['x'] };

export const SEMANTIC_CORPUS: SemanticCase[] = PAIRS.flatMap(([name, code, broken, line, column, fixed]) => [
  { name, text: broken, errorLine: line, errorColumn: column, code, args: ARGS[name] },
  { name: `${name} (fixed)`, text: fixed, args: ARGS[name] },
]);
