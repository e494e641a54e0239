// stap's pass-2 checks: every case of the semantic corpus (whose verdicts
// test/oracle/semantic.test.ts checks against the real stap), and what the
// analysis must not say where it cannot be sure.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hover } from '../../server/src/features/hover';
import { analyze, AnalysisOptions } from '../../server/src/analysis/analyze';
import { analyzeSemantics } from '../../server/src/analysis/semantic';
import { describeFunction, describeVariable } from '../../server/src/analysis/semantic/types';
import { parse } from '../../server/src/syntax/parser';
import { SEMANTIC_CORPUS } from '../support/semanticCorpus';
import { ELIDED_PROBES, NEVER_ASSIGNED_GLOBALS } from '../support/semanticWarnings';
import { semanticErrors, TEST_LIBRARY, TEST_LIBRARY_PROBES } from '../support/semanticVerdict';

const errors = (text: string) => semanticErrors(text).map((e) => `${e.line}:${e.column} ${e.code}`);

describe('semantic corpus: our errors where stap gives them', () => {
  for (const c of SEMANTIC_CORPUS) {
    test(c.name, () => {
      const ours = semanticErrors(c.text, { scriptArgs: c.args, guru: c.guru });
      if (c.errorLine === undefined) {
        assert.deepEqual(ours, []);
        return;
      }
      const first = ours.find((e) => e.line === c.errorLine && (c.errorColumn === undefined || e.column === c.errorColumn));
      assert.ok(first, `expected an error at ${c.errorLine}:${c.errorColumn}, got ${JSON.stringify(ours)}`);
      assert.equal(first.code, c.code);
      // Nothing on lines where stap says nothing.
      assert.deepEqual(
        ours.filter((e) => e.line !== c.errorLine),
        [],
      );
    });
  }
});

describe('type mismatch: the site that fixed the type is related information', () => {
  test('the first assignment is named, with its type', () => {
    const text = 'global x\nprobe begin { x = 1\n  x = "s" }\n';
    const [finding] = analyze(text, {}).findings.filter((f) => f.code === 'type-mismatch');
    assert.match(finding.message, /^type mismatch \(string\)/);
    assert.equal(text.slice(finding.related![0].start, finding.related![0].end), 'x');
    assert.equal(finding.related![0].start, text.indexOf('x = 1'));
    assert.match(finding.related![0].message, /first inferred here \(long\)/);
  });
  test('a clash of array arity names the first use', () => {
    const text = 'global a\nprobe begin { a[1] = 1; a[1, 2] = 2 }\n';
    const [finding] = analyze(text, {}).findings.filter((f) => f.code === 'array-arity');
    assert.equal(finding.related![0].start, text.indexOf('a[1]'));
  });
});

describe('modifying the array a foreach walks', () => {
  const mutations = (text: string) => errors(text).filter((e) => e.endsWith('foreach-modified'));
  test("stap's words, once per loop, at the first write", () => {
    const found = semanticErrors('global a\nprobe begin { a[1] = 1; foreach (k in a) { a[k] = 2; delete a } }\n');
    assert.deepEqual(
      found.map((e) => `${e.line}:${e.column} ${e.code}`),
      ['2:44 foreach-modified'],
    );
    assert.match(found[0].message, /^variable 'a' modified during 'foreach' iteration/);
  });
  test('reading it, nested loops over it and writing another array are fine', () => {
    assert.deepEqual(mutations('global a, b\nprobe begin { a[1] = 1; foreach (k in a) { foreach (j in a) b[j] = a[k]; print(b[k]) } }\n'), []);
  });
  test('a write after the loop is fine', () => {
    assert.deepEqual(mutations('global a\nprobe begin { a[1] = 1; foreach (k in a) print(k); delete a }\n'), []);
  });
  test('a function that writes it only through another call is not judged (stap looks one call deep)', () => {
    assert.deepEqual(mutations('global a\nfunction h() { a[2] = 3 }\nfunction g() { h(); return 1 }\nprobe begin { a[1] = 1; foreach (k in a) print(g()) }\n'), []);
  });
  test("a function's parameter of the same name is not the global", () => {
    assert.deepEqual(mutations('global a\nfunction g(a) { a = 3; return a }\nprobe begin { a[1] = 1; foreach (k in a) print(g(k)) }\n'), []);
  });
  test('a loop in a function no probe calls is not judged (stap drops the function)', () => {
    assert.deepEqual(mutations('global a\nfunction f() { foreach (k in a) a[k] = 1 }\nprobe begin { a[1] = 1; print(a[1]) }\n'), []);
  });
});

describe('assignment to something that is not storage', () => {
  const lvalues = (text: string) => errors(text).filter((e) => e.endsWith('lvalue-invalid'));
  test("stap's words, at the operator", () => {
    const [found] = semanticErrors('probe begin { (1) = 2 }\n');
    assert.equal(found.column, 19);
    assert.match(found.message, /^Expecting lvalue for assignment/);
  });
  test('variables, array elements, parenthesized ones, target variables and members are storage', () => {
    assert.deepEqual(lvalues('global x, a\nprobe begin { (x) = 1; a[1] = 2; ((a[2])) += 3; print(x + a[1]) }\n'), []);
    assert.deepEqual(lvalues('probe kernel.function("f") { $x = 1; $p->y = 2; @cast($p, "task_struct")->pid = 3 }\n'), []);
  });
  test('a function no probe calls is not judged (stap drops it)', () => {
    assert.deepEqual(lvalues('function f() { 1 = 2 }\nprobe begin { print(1) }\n'), []);
  });
  test('half-typed assignments say nothing of lvalues', () => {
    const text = 'global x\nprobe begin { x = 1; (x + 1) = 2 }\n';
    for (let i = 0; i <= text.length; i++) analyze(text.slice(0, i), {});
  });
});

describe('where the analysis cannot be sure, it says nothing', () => {
  test('target variables take the type their context asks for', () => {
    assert.deepEqual(errors('global g\nprobe kernel.function("f") { g = $x; g = "s"; print(g . $y$) }\n'), []);
    assert.deepEqual(errors('probe kernel.function("f").return { x = @cast($p, "task_struct")->pid; print(x + $return) }\n'), []);
  });
  test('calls of unknown functions and untyped library functions leave their values untyped', () => {
    assert.deepEqual(
      semanticErrors('probe begin { x = mystery(); print(x); y = 1; mystery2(y) }\n').filter((e) => e.code !== 'function-unknown'),
      [],
    );
  });
  test("a probe on an alias reads the alias's variables", () => {
    assert.deepEqual(errors('global names\nprobe syscall.open { names[filename] = execname(); print(argstr) }\n'), []);
  });
  test('an undeclared array may be a tapset global when the library globals are not known', () => {
    assert.deepEqual(semanticErrors('probe begin { x[1] = "x"; foreach (a in x) print(a) }\n', { libraryGlobals: undefined }), []);
  });
  test("the library's globals are used undeclared", () => {
    assert.deepEqual(errors('probe begin { argv[1] = "x"; foreach (a in argv) print(a) }\n'), []);
  });
  test('an undeclared array in a function no probe calls is not reported (stap drops the function)', () => {
    assert.deepEqual(errors('function f() { return x[1] }\nprobe begin { print(1) }\n'), []);
  });
  test('an undeclared array is reported once, at its first use, with its arity', () => {
    const found = semanticErrors('probe begin { x[1,2] = 2; println(x[1,2])\n  y[1] = 1 }\n');
    assert.deepEqual(
      found.map((e) => `${e.line}:${e.column} ${e.code}`),
      ['1:15 array-undeclared'],
    );
    assert.match(found[0].message, /^unresolved arity-2 global array x, missing global declaration\?/);
  });
  test('a parameter indexed is not an undeclared global array', () => {
    assert.deepEqual(
      errors('function f(p) { return p[1] }\nprobe begin { print(f(1)) }\n').filter((e) => e.endsWith('array-undeclared')),
      [],
    );
  });
  test('$N is whatever its argument pastes in; @N is a string', () => {
    assert.deepEqual(errors('probe begin { printf("%s %d\\n", $1, $2); print($3 . "x") }\n'), []);
  });
  test('targets guarded by @defined are not judged', () => {
    assert.deepEqual(errors('probe begin { print(@defined($x) ? $x : 0) }\n'), []);
    assert.deepEqual(errors('probe begin { if (@defined($return)) print($return) }\n'), []);
  });
  test('a function no probe calls is typed, but "unresolved" is not said there', () => {
    assert.deepEqual(errors('function f(a) { print(a) }\nprobe begin { print(1) }\n'), []);
  });
  test('a variable read only to be assigned to a local nothing reads is dropped by stap, so it is not unresolved', () => {
    assert.deepEqual(errors('probe begin { x = y; print(1) }\n'), []);
  });
  test('library code is left to stap', () => {
    assert.deepEqual(analyze('function f:string() { return 1 }\n', { isLibrary: true }).findings, []);
  });
  test('a script with syntax errors gets no type errors', () => {
    assert.deepEqual(
      analyze('global x\nprobe begin { x = 1; x = "s"; if ( }\n', {}).findings.filter((f) => f.code !== 'syntax'),
      [],
    );
  });
  test('printf conversions: flags, widths, precisions and %m/%M (an address)', () => {
    assert.deepEqual(errors('probe begin { printf("%.4m %.2M %5.2s|%-8x|%#o|%+d|% d|%ld|%c|%*d|%%\\n", 1, 2, "ab", 3, 4, 5, 6, 7, 65, 4, 8) }\n'), []);
  });
  test("a for loop's parts are told apart by their semicolons, not those inside strings", () => {
    assert.deepEqual(errors('probe begin { for (s = "a;b"; s != ""; s = "") print(s) }\n'), []);
  });
  test('subscripts of target variables are numbers; member names are not variables', () => {
    assert.deepEqual(errors('probe kernel.function("f") { i = 1; print($p[i]->next->comm$, @cast($q, "task_struct")->pid) }\n'), []);
  });
  test('overloads by arity: each call finds its own', () => {
    assert.deepEqual(errors('function f(a) { return a + 1 }\nfunction f(a, b) { return a . b }\nprobe begin { print(f(1), f("a", "b")) }\n'), []);
  });
});

describe('half-typed and hostile scripts', () => {
  test('every prefix of a script analyses without throwing', () => {
    const text = 'global a, s\nfunction f(x:long) { return x . "" }\nprobe begin { a[1, "k"] = f(2); s <<< 3; foreach ([i, j] in a- limit 2) printf("%d %s %d\\n", i, j, @count(s)) }\n';
    for (let i = 0; i <= text.length; i++) analyze(text.slice(0, i), { librarySignatures: TEST_LIBRARY });
  });
  test('a tree deeper than the analysis goes gives nothing rather than a crash', () => {
    const text = `probe begin { x = ${'('.repeat(3000)}1${')'.repeat(3000)}; x = "s"; print(x) }\n`;
    const script = parse(text, {});
    assert.deepEqual(analyzeSemantics(script, text).findings, []);
  });
});

describe('inferred types for the hover', () => {
  test('variables, arrays and functions', () => {
    const text = 'global a, s\nfunction f(x) { return x . "" }\nprobe begin { a[1, "k"] = f("v"); s <<< 1 }\n';
    const { references } = analyzeSemantics(parse(text, {}), text);
    const at = (needle: string) => references.get(text.indexOf(needle))!;
    assert.equal(describeVariable(at('a, s') as never), 'string[long, string]');
    assert.equal(describeVariable(at('s\n') as never), 'stats');
    assert.equal(describeFunction(at('f("v")') as never), 'f:string(x:string)');
  });
});

describe('hover shows the inferred types', () => {
  const hoverAt = (text: string, needle: string) => {
    const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
    const h = hover(analyze(text, { librarySignatures: TEST_LIBRARY }), document, text.indexOf(needle) + 1);
    return h ? (h.contents as { value: string }).value : '';
  };
  const text = 'global count\nfunction name_of(p) { return sprintf("%d", p) }\nprobe begin { count[name_of(1)] <<< 2; x = "s"; print(x, @count(count["1"])) }\n';
  test('a global array of statistics, where declared', () => {
    assert.match(hoverAt(text, 'count\n'), /global count: stats\[string\]/);
  });
  test('a local, with the line that fixed its type', () => {
    const value = hoverAt(text, 'x = "s"');
    assert.match(value, /local x: string/);
    assert.match(value, /line 3/);
  });
  test('a parameter, and a function with its inferred signature', () => {
    assert.match(hoverAt(text, 'p) {'), /parameter p: long/);
    assert.match(hoverAt(text, 'name_of(1)'), /Inferred: `name_of:string\(p:long\)`/);
  });
});

describe('probe context, statistics: what stays silent', () => {
  const codes = (text: string) => errors(text).map((e) => e.replace(/^\S+ /, ''));
  test('@entry in a .return probe, or guarded by @defined, is not judged', () => {
    assert.deepEqual(codes('probe kernel.function("vfs_read").return { println(@entry($count)) }\n'), []);
    assert.deepEqual(codes('probe begin { if (@defined(@entry(1))) println(1) }\n'), []);
  });
  test('@entry and target variables in a function no probe calls are dropped, as stap drops the function', () => {
    assert.deepEqual(codes('function f() { return @entry($x) }\nprobe begin { println(1) }\n'), []);
  });
  test('a function may test a target variable with @defined', () => {
    assert.deepEqual(codes('function f() { return @defined($x) ? $x : 0 }\nprobe begin { println(f()) }\n'), []);
  });
  test('a procfs read probe fills $value with = and .=; a write probe reads it', () => {
    assert.deepEqual(codes('probe procfs("f").read { $value = "a"; $value .= "b" }\n'), []);
    assert.deepEqual(codes('global g\nprobe procfs("f").write { g = $value }\nprobe end { println(g) }\n'), []);
    assert.deepEqual(codes('probe procfs("f").read { $value = "a" }\n'), []);
  });
  test('a local only aggregated into is elided by stap, not refused', () => {
    assert.deepEqual(codes('probe begin { s <<< 1 }\n'), []);
  });
  test('a stat local is reported once, as stap suppresses the similar ones', () => {
    assert.deepEqual(codes('probe begin { s <<< 1; t <<< 1; println(@count(s) + @count(t)) }\n'), ['stat-local']);
  });
  test('the same histogram shape, however its numbers are written, is one shape', () => {
    assert.deepEqual(codes('global s\nprobe begin { s <<< 1; print(@hist_linear(s, 0, 16, 1)); print(@hist_linear(s, 0, 0x10, 01)) }\n'), []);
  });
  test('sorting a statistic by @sum, and by its value, is fine', () => {
    assert.deepEqual(codes('global s\nprobe begin { s[1] <<< 1; foreach (k in s @sum-) println(k); foreach (k in s-) println(k) }\n'), []);
  });
  test('library code is not judged', () => {
    const findings = analyzeSemantics(
      parse('function f() { return @entry($x) }\nprobe begin { s <<< 1; println(@count(s), f()) }\n'),
      'function f() { return @entry($x) }\nprobe begin { s <<< 1; println(@count(s), f()) }\n',
      { isLibrary: true },
    ).findings;
    assert.deepEqual(
      findings.filter((f) => ['entry-outside-return', 'stat-local', 'target-unresolved'].includes(f.code)),
      [],
    );
  });
});

describe("pass-2 warnings: stap's elided assignments and never-assigned locals", () => {
  // Each expectation is what stap 4.8 prints at -p2 for the same script (line:column of its WARNING).
  const warnings = (text: string, libraryGlobals: ReadonlySet<string> | null = new Set(['argv'])) => {
    const found = analyze(text, { libraryGlobals: libraryGlobals ?? undefined }).findings.filter((f) => f.code === 'elided-assignment' || f.code === 'local-never-assigned');
    return found.map((f) => {
      const before = text.slice(0, f.start).split('\n');
      return `${before.length}:${before[before.length - 1].length + 1} ${f.code}${f.tags?.includes('unnecessary') ? ' faded' : ''}`;
    });
  };
  test('an assignment nothing reads is elided, at its operator, faded; a local never assigned is a warning at its read', () => {
    assert.deepEqual(warnings('global g\nprobe begin { x = 1; print(y + 1) }\n'), ['2:17 elided-assignment faded', '2:28 local-never-assigned']);
  });
  test('each unread assignment, in probes and functions, parameters included', () => {
    assert.deepEqual(warnings('function f(a) { b = a; return 1 }\nprobe begin { x = 1; x = 2; println(f(3)) }\n'), [
      '1:19 elided-assignment faded',
      '2:17 elided-assignment faded',
      '2:24 elided-assignment faded',
    ]);
  });
  test('what an elision makes unread is removed without a word, as stap does', () => {
    assert.deepEqual(warnings('probe begin { a = 1; b = a }\n'), ['1:24 elided-assignment faded']);
    assert.deepEqual(warnings('probe begin { a = 1; b = strlen(sprint(a)) }\n'), ['1:24 elided-assignment faded']);
  });
  test('what stays silent: globals, read-modify-writes, loop variables, reads in any form', () => {
    assert.deepEqual(warnings('global g\nprobe begin { g = 1 }\n'), []);
    assert.deepEqual(warnings('probe begin { x = 1; x += 2; println(x) }\n'), []);
    assert.deepEqual(warnings('global a\nprobe begin { a[1] = 1; foreach (v = k in a) println(k, v) }\n'), []);
    assert.deepEqual(warnings('probe begin { i = 0; i++; try { error("e") } catch (m) { println(m, i) } }\n'), []);
    assert.deepEqual(warnings('function f(p) { return @cast(p, "task_struct")->pid }\nprobe begin { println(f(0)) }\n'), []);
  });
  test("never-assigned is not said where the name may be the library's or an alias's", () => {
    assert.deepEqual(warnings('probe begin { println(argv[1]) }\n'), []);
    assert.deepEqual(warnings('probe begin { println(y + 1) }\n', null), []);
    assert.deepEqual(warnings('probe syscall.open { println(filename) }\n'), []);
  });
  test('embedded C may read any local: nothing is said', () => {
    assert.deepEqual(warnings('probe begin { x = 1; println(%{ 1 %}) }\n'), []);
  });
});

describe("pass-2 warnings: stap's never-assigned globals", () => {
  const places = (text: string, globalOptions: string[] = []) =>
    analyze(text, { libraryGlobals: new Set(['argv']), libraryProbes: TEST_LIBRARY_PROBES, globalValues: globalOptions.map((g) => g.slice(0, g.indexOf('='))) })
      .findings.filter((f) => f.code === 'global-never-assigned')
      .map((f) => {
        const before = text.slice(0, f.start).split('\n');
        return `${before.length}:${before[before.length - 1].length + 1} ${text.slice(f.start, f.end)}`;
      });
  for (const c of NEVER_ASSIGNED_GLOBALS) test(c.name, () => assert.deepEqual(places(c.text, c.globalOptions), c.neverAssigned));
  test('a warning at the declaration, not faded, with the read as related information and the -G way out', () => {
    const text = 'global traced\nprobe begin { if (traced) println(1) }\n';
    const [f] = analyze(text, {}).findings.filter((x) => x.code === 'global-never-assigned');
    assert.equal(f.severity, 'warning');
    assert.equal(f.tags, undefined);
    assert.match(f.message, /^never-assigned global variable 'traced': .*stap -G traced=VALUE/);
    assert.equal(f.related![0].start, text.indexOf('traced)'));
  });
  test('a global stap -G sets is assigned: from the options (stap-check -G, the Run arguments) or the #! line; other names change nothing', () => {
    const text = 'global traced, other\nprobe begin { if (traced || other) println(1) }\n';
    const names = (t: string, options: Partial<AnalysisOptions> = {}) =>
      analyze(t, options)
        .findings.filter((f) => f.code === 'global-never-assigned')
        .map((f) => t.slice(f.start, f.end));
    assert.deepEqual(names(text), ['traced', 'other']);
    assert.deepEqual(names(text, { globalValues: ['traced', 'unknown'] }), ['other']);
    assert.deepEqual(names(`#!/usr/bin/stap -G other=1\n${text}`, { globalValues: ['traced'] }), []);
    assert.deepEqual(names(`#!/usr/bin/stap -G Traced=1\n${text}`), ['traced', 'other'], 'names are told apart by case');
    // -G does not type the global: stap still says "unresolved type" where nothing else does.
    assert.deepEqual(
      semanticErrors('global x\nprobe begin { println(x) }\n', { globalValues: ['x'] }).map((e) => e.code),
      ['type-unresolved'],
    );
  });
  test('library code and half-typed files are left alone', () => {
    assert.deepEqual(
      analyze('global a\nprobe begin { println(a + 1) }\n', { isLibrary: true }).findings.filter((x) => x.code === 'global-never-assigned'),
      [],
    );
    for (const text of ['global a\nprobe begin { println(a', 'global\nprobe begin { a = ', 'global a, b\nprobe begin { foreach ([k in a- ']) assert.doesNotThrow(() => analyze(text, {}));
  });
});

describe("pass-2 warnings: stap's elided probes", () => {
  const elided = (text: string) => analyze(text, { libraryProbes: TEST_LIBRARY_PROBES }).findings.filter((f) => f.code === 'probe-elided');
  const places = (text: string) =>
    elided(text).map((f) => {
      const before = text.slice(0, f.start).split('\n');
      return `${before.length}:${before[before.length - 1].length + 1}`;
    });
  for (const c of ELIDED_PROBES) test(c.name, () => assert.deepEqual(places(c.text), c.elided));
  test("a hint with stap's words, the whole probe faded when nothing of it is left", () => {
    const text = 'probe begin, end { }\n';
    const [f] = elided(text);
    assert.equal(f.severity, 'hint');
    assert.deepEqual(f.tags, ['unnecessary']);
    assert.deepEqual([f.start, f.end], [0, text.length - 1]);
    assert.match(f.message, /^Probes 'begin', 'end' have been elided: /);
    assert.match(elided('probe begin { }\n')[0].message, /^Probe 'begin' has been elided: /);
  });
  test('a probe some of whose points stay is not faded: only its keyword carries the hint', () => {
    const text = 'probe begin, kernel.function("f") { }\n';
    const [f] = elided(text);
    assert.deepEqual([f.start, f.end, f.tags], [0, 5, undefined]);
  });
  test('an alias shared with other uses is not faded where it is defined', () => {
    const text = 'probe a = b { }\nprobe b = begin { }\nprobe a { }\n';
    const [f] = elided(text);
    assert.equal(text.slice(f.start, f.end), 'b');
    assert.equal(f.tags, undefined);
  });
  test('silent where stap may keep the body: calls, assignments, target variables, embedded C, conditions, aliases of the library, kernel points', () => {
    for (const text of [
      'probe begin { f() }\nfunction f() { }\n',
      'global g\nprobe begin { g = 1 }\n',
      'probe begin { $x }\n',
      'probe begin { %{ /* */ %} }\n',
      'global on\nprobe begin if (on) { }\n',
      'probe syscall.open { }\n',
      'probe timer.profile { }\n',
      'probe kernel.function("f") { }\n',
      'probe begin { foreach (k in a) { } }\n',
      'probe begin { delete a }\n',
    ])
      assert.deepEqual(places(text), [], text);
  });
  test('elided probes count as absent for "no probes found"; a point stap cannot resolve stops it first', () => {
    const noProbes = (text: string) => analyze(text, { libraryProbes: TEST_LIBRARY_PROBES }).findings.filter((f) => f.code === 'no-probes');
    const [f] = noProbes('probe begin { }\nprobe end { ; }\n');
    assert.match(f.message, /^no probes found: every probe of this script does nothing/);
    assert.equal(f.related?.length, 2);
    assert.equal(noProbes('probe begin { }\nprobe end { println(1) }\n').length, 0);
    assert.equal(noProbes('probe begin, timer.ms(0) { }\n').length, 0);
    assert.equal(noProbes('probe begin { }\nprobe syscall.open { }\n').length, 0);
  });
});

describe('no probes found', () => {
  const noProbes = (text: string, options: Partial<AnalysisOptions> = {}) => analyze(text, { libraryProbes: TEST_LIBRARY_PROBES, ...options }).findings.filter((f) => f.code === 'no-probes');
  test('on the first line of the first declaration, with every dropped point as related information', () => {
    const text = '#! /usr/bin/env stap\nglobal n\nprobe timer.ms(0)?,\n  syscall.opne! { n++ }\n';
    const [f] = noProbes(text);
    assert.equal(text.slice(f.start, f.end), 'global n');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /^no probes found: /);
    assert.deepEqual(
      f.related!.map((r) => text.slice(r.start, r.end).replace(/\s+/g, ' ')),
      ['timer.ms(0)?', 'syscall.opne!'],
    );
  });
  test('what stays silent: library code, empty files, a point that may resolve, a first name a tapset folder may define', () => {
    assert.deepEqual(noProbes('function f() { return 1 }\n', { isLibrary: true }), []);
    assert.deepEqual(noProbes(''), []);
    assert.deepEqual(noProbes('// nothing\n'), []);
    assert.deepEqual(noProbes('probe kernel.function("nosuch")? { println(1) }\n'), []);
    assert.deepEqual(noProbes('probe mytapset.point? { println(1) }\n'), []);
    assert.deepEqual(noProbes('probe syscall.opne?, begin { println(1) }\n'), []);
    assert.deepEqual(noProbes('probe begin if (0) { println(1) }\n'), []);
  });
  test('without the library, an optional alias is not judged', () => {
    assert.deepEqual(noProbes('probe syscall.opne? { println(1) }\n', { libraryProbes: undefined }), []);
    assert.equal(noProbes('probe timer.ms(0)? { println(1) }\n', { libraryProbes: undefined }).length, 1);
  });
  test('probes in a branch %( %) leaves out do not count; half-typed files get no verdict', () => {
    assert.equal(noProbes('function f() { return 1 }\n%( kernel_v < "2.6" %? probe begin { println(f()) } %)\n').length, 1);
    assert.deepEqual(noProbes('function f() { return 1 }\nprobe begin { println(f(\n'), []);
  });
});
