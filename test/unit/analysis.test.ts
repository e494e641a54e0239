import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { readShebang } from '../../server/src/analysis/shebang';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { hover } from '../../server/src/features/hover';

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

const findings = (text: string, code: string, options: { guru?: boolean; isLibrary?: boolean } = {}) => analyze(text, { cParser, ...options }).findings.filter((f) => f.code === code);

describe('STAP_ARG_ names', () => {
  test('a name that is no parameter is an error on exactly that identifier', () => {
    const text = 'function add:long(a:long, b:long) %{ STAP_RETVALUE = STAP_ARG_a + STAP_ARG_y; %}\n';
    const [f, ...rest] = findings(text, 'stap-arg-unknown', { guru: true });
    assert.equal(rest.length, 0);
    assert.equal(text.slice(f.start, f.end), 'STAP_ARG_y');
    assert.equal(f.severity, 'error');
    assert.match(f.message, /'y' is not a parameter of function add \(parameters: a, b\)/);
  });

  test('parameters that exist are fine', () => {
    assert.deepEqual(findings('function f(x, y) %{ STAP_ARG_x = STAP_ARG_y; %}\n', 'stap-arg-unknown', { guru: true }), []);
  });

  test('STAP_ARG_ in comments and strings does not count', () => {
    const text = 'function f(x) %{ /* STAP_ARG_nope */ // STAP_ARG_nope2\n char *s = "STAP_ARG_nope3"; STAP_ARG_x = 0; %}\n';
    assert.deepEqual(findings(text, 'stap-arg-unknown', { guru: true }), []);
  });

  test('STAP_ARG_ in top-level C is outside any function', () => {
    const text = '%{ int g(void) { return STAP_ARG_x; } %}\n';
    const [f] = findings(text, 'stap-arg-outside-function', { guru: true });
    assert.equal(text.slice(f.start, f.end), 'STAP_ARG_x');
  });

  test('positions stay right after non-ASCII text', () => {
    const text = '# héllo wörld 日本\nfunction f(x) %{ /* é */ STAP_ARG_q = 1; %}\n';
    const [f] = findings(text, 'stap-arg-unknown', { guru: true });
    assert.equal(text.slice(f.start, f.end), 'STAP_ARG_q');
  });
});

describe('guru mode', () => {
  const body = 'function f() %{ %}\nprobe begin { f() }\n';
  test('#! line running stap without -g: warning naming the line', () => {
    const [f] = findings('#!/usr/bin/stap -v\n' + body, 'guru-mode-required');
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /without -g/);
  });
  test('#! line with -g, -vg, -gp1 or env -S stap -g: nothing', () => {
    for (const line of ['#!/usr/bin/stap -g', '#!/usr/bin/stap -vg', '#! stap -gp1', '#!/usr/bin/env -S stap -v -g']) {
      assert.deepEqual(findings(line + '\n' + body, 'guru-mode-required'), [], line);
    }
  });
  test('no #! line: an information note', () => {
    const [f] = findings(body, 'guru-mode-required');
    assert.equal(f.severity, 'information');
  });
  test('library files and declared guru mode never get it', () => {
    assert.deepEqual(findings(body, 'guru-mode-required', { isLibrary: true }), []);
    assert.deepEqual(findings(body, 'guru-mode-required', { guru: true }), []);
  });
  test('no embedded C: nothing', () => {
    assert.deepEqual(findings('#!/usr/bin/stap\nprobe begin { }\n', 'guru-mode-required'), []);
  });
});

describe('shebang', () => {
  test('reads -g inside option clusters, not option arguments', () => {
    assert.equal(readShebang('#!/usr/bin/stap -vg\n')?.guru, true);
    assert.equal(readShebang('#!/usr/bin/stap -p2 -c "ping -g"\n')?.guru, false);
    assert.equal(readShebang('#!/usr/bin/stap -cg\n')?.guru, false); // -c takes "g"
    assert.equal(readShebang('#!/bin/sh -g\n')?.runsStap, false);
  });
  test('reads the globals -G sets, as stap reads its options', () => {
    assert.deepEqual(readShebang('#!/usr/bin/stap -G x=5 -Gy=abc -vG z_1=-2\n')?.globalValues, ['x', 'y', 'z_1']);
    assert.deepEqual(readShebang('#!/usr/bin/env -S stap -v -G traced_pid=0\n')?.globalValues, ['traced_pid']);
    // Not of stap's pattern (stap refuses those), an option's argument, after the script's `--`, or not stap.
    assert.deepEqual(readShebang('#!/usr/bin/stap -G 1x=5 -G x= -G x=a/b -c -G -- -G w=1\n')?.globalValues, []);
    assert.deepEqual(readShebang('#!/bin/sh -G x=1\n')?.globalValues, []);
    assert.equal(readShebang('#!/usr/bin/stap -Gg=1\n')?.guru, false, '-G takes "g=1"');
  });
});

describe('STAP_RETVALUE and the return type', () => {
  test('a :long function used as a string buffer', () => {
    const text = 'function f:long() %{ snprintf(STAP_RETVALUE, MAXSTRINGLEN, "%s", "x"); %}\n';
    const [f] = findings(text, 'retvalue-type-mismatch', { guru: true });
    assert.equal(text.slice(f.start, f.end), 'STAP_RETVALUE');
    assert.match(f.message, /int64_t, not a string buffer/);
  });
  test('a :string function assigned a number', () => {
    const text = 'function f:string() %{ STAP_RETVALUE = 42; %}\n';
    assert.match(findings(text, 'retvalue-type-mismatch', { guru: true })[0].message, /char buffer/);
  });
  test('right uses are fine', () => {
    const ok = 'function f:string() %{ strlcpy(STAP_RETVALUE, "x", MAXSTRINGLEN); STAP_RETVALUE[0] = 0; %}\nfunction g:long() %{ STAP_RETVALUE = 1; %}\n';
    assert.deepEqual(findings(ok, 'retvalue-type-mismatch', { guru: true }), []);
  });
  test('no declared type: a warning for scripts, nothing for the library, nothing for STAP_RETURN()', () => {
    const text = 'function f() %{ STAP_RETVALUE = 1; %}\n';
    assert.equal(findings(text, 'retvalue-without-type', { guru: true })[0].severity, 'warning');
    assert.deepEqual(findings(text, 'retvalue-without-type', { isLibrary: true }), []);
    assert.deepEqual(findings('function f() %{ if (1) STAP_RETURN(); %}\n', 'retvalue-without-type', { guru: true }), []);
  });
  test('no declared type, but the callers fix one: typed as stap types it, no warning', () => {
    const called = 'function f() %{ STAP_RETVALUE = 1; %}\nprobe begin { printf("%d\\n", f()) }\n';
    assert.deepEqual(findings(called, 'retvalue-without-type', { guru: true }), []);
    const untyped = 'function f() %{ STAP_RETVALUE = 1; %}\nprobe begin { f() }\n';
    assert.equal(findings(untyped, 'retvalue-without-type', { guru: true }).length, 1);
  });
});

describe('parameters and THIS', () => {
  test('an unused parameter is a faded hint; a used one is not', () => {
    const [f, ...rest] = findings('function f(a, b) %{ int x = STAP_ARG_a; %}\n', 'param-unused', { guru: true });
    assert.equal(rest.length, 0);
    assert.match(f.message, /'b'/);
    assert.deepEqual(f.tags, ['unnecessary']);
  });
  test('THIS->x is the old spelling of STAP_ARG_x', () => {
    const text = 'function f:long(x) %{ THIS->__retvalue = THIS->x; %}\n';
    const all = findings(text, 'deprecated-this', { guru: true });
    assert.deepEqual(
      all.map((f) => [text.slice(f.start, f.end), f.replacement]),
      [
        ['THIS->__retvalue', 'STAP_RETVALUE'],
        ['THIS->x', 'STAP_ARG_x'],
      ],
    );
  });
});

describe('what needs guru mode', () => {
  test('writing a target variable, @const: named in the message', () => {
    const [w] = findings('#!/usr/bin/stap\nprobe kernel.function("f") { $count = 0 }\n', 'guru-mode-required');
    assert.match(w.message, /writing the target variable \$count/);
    const [c] = findings('#!/usr/bin/stap\nprobe begin { print(@const("HZ")) }\n', 'guru-mode-required');
    assert.match(c.message, /@const/);
    assert.deepEqual(findings('#!/usr/bin/stap\nprobe kernel.function("f") { x = $count }\n', 'guru-mode-required'), []);
  });
  test('-g that nothing needs: a hint', () => {
    const [h] = findings('#!/usr/bin/stap -g\nprobe begin { print(1) }\n', 'guru-mode-unneeded');
    assert.equal(h.severity, 'hint');
    assert.deepEqual(findings('#!/usr/bin/stap -g\nfunction f() %{ %}\n', 'guru-mode-unneeded'), []);
  });
});

describe('C syntax inside %{ %}', () => {
  test('a real C mistake is a warning at its place', () => {
    const text = 'function f:long(x:long) %{\n  int y = STAP_ARG_x +;\n  STAP_RETVALUE = y;\n%}\n';
    const [w] = findings(text, 'embedded-c-syntax', { guru: true });
    assert.equal(w.severity, 'warning');
    assert.equal(text.slice(0, w.start).split('\n').length, 2);
  });
  test('kernel idioms are not mistakes', () => {
    const ok = [
      'function f:long(p:long) %{ STAP_RETVALUE = (long)list_entry(((struct list_head *)(long)STAP_ARG_p)->prev, struct page, lru); %}',
      'function g(p:long) %{ struct list_head *_p; list_for_each(_p, (struct list_head *)(long)STAP_ARG_p) { (void)_p; } %}',
      'function h:string(a:long) %{ const char __user *u = (const char __user *)(long)STAP_ARG_a; (void)u; %}',
      'function i:long() %{\n#ifdef CONFIG_SMP\n  if (1) {\n#else\n  if (0) {\n#endif\n  }\n  STAP_RETVALUE = 0;\n%}',
    ];
    for (const text of ok) assert.deepEqual(findings(text + '\n', 'embedded-c-syntax', { guru: true }), [], text);
  });
  test("a macro of the script's C used as a statement is not a mistake; a real one beside it still is", () => {
    const macro = '%{\n#define N(v) case v: return #v;\nstatic const char *opname(int op)\n{\n\tswitch (op) {\n\tN(1)\n\tN(2)\n\tdefault: return "?";\n\t}\n}\n%}\n';
    const use = 'function op:string(o:long) %{ strlcpy(STAP_RETVALUE, opname(STAP_ARG_o), MAXSTRINGLEN); %}\n';
    assert.deepEqual(findings(macro + use, 'embedded-c-syntax', { guru: true }), []);
    const broken = 'function bad:long() %{\n  int y = 1 +;\n  STAP_RETVALUE = y;\n%}\n';
    const text = macro + use + broken;
    const [w, ...rest] = findings(text, 'embedded-c-syntax', { guru: true });
    assert.deepEqual(rest, []);
    assert.ok(w.start > text.indexOf('function bad'));
    // Without the #define, the same uses are errors.
    assert.notDeepEqual(findings(macro.replace('#define N(v) case v: return #v;', '') + use, 'embedded-c-syntax', { guru: true }), []);
  });
});

describe('limits for the editor', () => {
  const text = 'function f:long(x:long) %{ STAP_RETVALUE = STAP_ARG_y; %}\nprobe begin { println(nosuch(), f(1)) }\nprobe end { println(1 }\n';
  const codes = (limits: { maxCheckedLength: number; checkBudgetMs: number }) => analyze(text, { cParser, libraryFunctions: new Set(['execname']), limits }).findings.map((f) => f.code);

  test('within the limits everything is checked, and nothing says otherwise', () => {
    const all = codes({ maxCheckedLength: 1 << 20, checkBudgetMs: 60_000 });
    for (const code of ['syntax', 'stap-arg-unknown', 'guru-mode-required', 'function-unknown']) assert.ok(all.includes(code as never), code);
    assert.ok(!all.includes('analysis-limited' as never));
  });

  test('a file over the size limit keeps its syntax errors, and says once what it skipped', () => {
    const limited = analyze(text, { cParser, libraryFunctions: new Set(['execname']), limits: { maxCheckedLength: 10, checkBudgetMs: 60_000 } }).findings;
    assert.deepEqual(limited.map((f) => f.code).sort(), ['analysis-limited', 'syntax']);
    const note = limited.find((f) => f.code === 'analysis-limited')!;
    assert.equal(note.severity, 'information');
    assert.equal(note.start, 0);
    assert.match(note.message, /embedded C, guru mode, unknown functions/);
    assert.match(note.message, /stap-check/);
  });

  test('checks not started within the time budget are skipped and named', () => {
    const late = analyze(text, { cParser, libraryFunctions: new Set(['execname']), limits: { maxCheckedLength: 1 << 20, checkBudgetMs: -1 } }).findings;
    assert.deepEqual(late.map((f) => f.code).sort(), ['analysis-limited', 'syntax']);
    assert.match(late.find((f) => f.code === 'analysis-limited')!.message, /took over -1 ms/);
  });
});

describe('checks run when first asked for', () => {
  // The unknown-function check looks each call up in the library's names: what it asks tells whether it ran.
  class CountingSet extends Set<string> {
    lookups = 0;
    override has(name: string): boolean {
      this.lookups++;
      return super.has(name);
    }
  }
  const text = 'probe begin { println(execname(), nosuch()) }\n';
  const index = { functions: new Map([['execname', [{ name: 'execname', signature: 'execname:string()', at: { file: '/t/x.stp', line: 0, character: 0, length: 8 } }]]]), probes: new Map() };

  test('the parse is done at once, the checks once and only when a result is read', () => {
    const names = new CountingSet(['execname']);
    const analysis = analyze(text, { cParser, libraryFunctions: names });
    assert.equal(analysis.script.items.length, 1);
    assert.equal(names.lookups, 0);
    assert.deepEqual(
      analysis.findings.map((f) => f.code),
      ['function-unknown'],
    );
    const lookups = names.lookups;
    assert.ok(lookups > 0);
    void analysis.semantics;
    void analysis.cFacts;
    void analysis.findings;
    assert.equal(names.lookups, lookups);
  });

  test('a hover on a library function answers from the parse and the index alone', () => {
    const names = new CountingSet(['execname']);
    const analysis = analyze(text, { cParser, libraryFunctions: names });
    const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
    const h = hover(analysis, document, text.indexOf('execname') + 1, index);
    assert.match((h?.contents as { value: string }).value, /execname:string\(\)/);
    assert.equal(names.lookups, 0);
  });

  test('checks that throw leave the parse findings as they were for the next read', () => {
    let fail = true;
    const names = new CountingSet(['execname']);
    names.has = (name: string) => {
      if (fail) throw new Error('boom');
      return Set.prototype.has.call(names, name);
    };
    const analysis = analyze('probe begin { println(nosuch()) \n', { cParser, libraryFunctions: names });
    assert.throws(() => analysis.findings, /boom/);
    fail = false;
    assert.deepEqual(analysis.findings.map((f) => f.code).sort(), ['function-unknown', 'syntax']);
  });
});
