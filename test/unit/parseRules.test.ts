// stap's parse-time rules (docs/parse-rules.md) beyond the corpus: what our
// messages say, where they point, and the trees the accepted forms give.
// Whether stap agrees on each verdict is checked in test/oracle/ (the corpus)
// and test/oracle/parseRules.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { parseArgs } from '../../server/src/cli/args';
import { Expr, GlobalDecl, ProbeDecl, Statement } from '../../server/src/syntax/ast';
import { lex } from '../../server/src/syntax/lexer';
import { parse } from '../../server/src/syntax/parser';
import { DEFAULT_TARGET } from '../../server/src/syntax/preprocessor';

/** Each error and warning as [severity, message, the text it covers]. */
const problems = (text: string, options: Parameters<typeof parse>[1] = {}) => parse(text, options).errors.map((e) => [e.severity ?? 'error', e.message, text.slice(e.start, e.end)]);
const errorsOf = (text: string, options: Parameters<typeof parse>[1] = {}) => problems(text, options).filter(([s]) => s === 'error');

/** The expression of the first statement of the first probe. */
function firstExpr(text: string): Expr {
  const s = parse(text);
  assert.deepEqual(s.errors, []);
  const body = (s.items[0] as ProbeDecl).body!;
  return (body.children[0] as Statement).children[0] as Expr;
}

describe('pretty-printing suffixes', () => {
  test('a suffix after an index or a call is the last component', () => {
    const e = firstExpr('probe begin { print($p[1] $$, f()->c$) }');
    const [index, call] = e.children;
    assert.deepEqual(
      index.children.map((c) => [c.kind, c.text]),
      [
        ['target', '$p'],
        ['number', '1'],
        ['identifier', '$$'],
      ],
    );
    assert.deepEqual(
      call.children.map((c) => [c.kind, c.text]),
      [
        ['call', 'f'],
        ['identifier', 'c$'],
      ],
    );
  });

  test('nothing may follow a suffix, wherever it is', () => {
    for (const [text, at] of [
      ['probe begin { print($p$->a) }', '->'],
      ['probe begin { print($p->a$[0]) }', '['],
      ['probe begin { print(@cast(p, "t")$->a) }', '->'],
    ]) {
      assert.deepEqual(errorsOf(text), [['error', `'${at}' cannot follow a pretty-printing suffix ('$' or '$$'): it prints the whole value as a string`, at]], text);
    }
  });

  test('a second suffix is left over, where stap reports it', () => {
    assert.deepEqual(errorsOf('probe begin { print($p $ $) }'), [['error', "expected ',' or ')' after arguments of print(), saw '$'", '$']]);
    assert.equal(parse('probe begin { print($p $ $) }').errors[0].start, 'probe begin { print($p $ '.length);
  });
});

describe('histograms', () => {
  test('a whole histogram outside print is an error at the operator', () => {
    const [[, message, at]] = errorsOf('global s\nprobe end { x = @hist_log(s) + 1 }');
    assert.equal(at, '@hist_log');
    assert.match(message, /whole histogram, not a value/);
  });

  test('print, println, sprint and sprintln print a whole histogram as their only argument', () => {
    for (const f of ['print', 'println', 'sprint', 'sprintln']) assert.deepEqual(errorsOf(`global s\nprobe end { x = ${f}(@hist_log(s)) }`), [], f);
    assert.deepEqual(errorsOf('global s\nprobe end { print(@hist_log(s), 1) }'), [
      ['error', "expected ')' after the histogram, saw ',': print() prints a whole histogram only as its one argument", ','],
    ]);
  });

  test("@hist_linear's bounds are literal numbers, negative ones too", () => {
    assert.deepEqual(errorsOf('global s\nprobe end { print(@hist_linear(s, -5, 0x10, 010)) }'), []);
    assert.deepEqual(errorsOf('global s\nprobe end { print(@hist_linear(s, 0, 1 + 1, 1)) }'), [['error', "expected ',', saw '+'", '+']]);
    assert.deepEqual(errorsOf('global s\nprobe end { print(@hist_linear(s, 0, n, 1)) }'), [
      ['error', "expected a literal number, saw 'n': @hist_linear's start, stop and interval are literal numbers", 'n'],
    ]);
  });
});

describe('print functions', () => {
  test('a literal format or delimiter comes first; @N and an unknown $N count as one', () => {
    assert.deepEqual(errorsOf('probe begin { printf(f, 1) }'), [['error', "expected a literal string as the format of printf(), saw 'f'", 'f']]);
    assert.deepEqual(errorsOf('probe begin { sprintdln(d, 1, 2) }'), [['error', "expected a literal string as the delimiter of sprintdln(), saw 'd'", 'd']]);
    assert.deepEqual(errorsOf('probe begin { printf(@1 "\\n", 1); printf($1, 2); printf("a" "b") }'), []);
  });

  test('print and sprint need a value, the d forms two after the delimiter, at the closing parenthesis', () => {
    assert.deepEqual(errorsOf('probe begin { x = sprint() }'), [['error', 'sprint() needs a value to print, saw none', ')']]);
    assert.deepEqual(errorsOf('probe begin { printdln(",", 1) }'), [['error', 'printdln() needs at least two values to print after its delimiter, saw one', ')']]);
    assert.deepEqual(errorsOf('probe begin { println(); x = sprintln() }'), []);
  });

  test('a print function is not a variable', () => {
    assert.deepEqual(errorsOf('probe begin { x = printf }'), [['error', "expected '(' after 'printf', saw '}': printf is stap's built-in print function, not a variable", '}']]);
  });
});

describe('statistics and @ operator arguments', () => {
  test('stap skips stray tokens after a statistic: a warning, not an error', () => {
    assert.deepEqual(problems('global s\nprobe end { print(@count(s 1 2)) }'), [['warning', "stap skips '1 2' here without a word: only ',' or ')' may follow the argument of @count", '1 2']]);
    assert.deepEqual(errorsOf('global s\nprobe end { print(@count(s, 1)) }'), [['error', '@count takes one argument', ',']]);
    assert.deepEqual(errorsOf('global s\nprobe end { print(@variance(s, 1, 2)) }'), [['error', '@variance takes at most 2 arguments', ',']]);
  });

  test('@kregister, @uderef and @probewrite take what stap takes', () => {
    assert.deepEqual(errorsOf('probe begin { a = @uregister(-1); b = @kderef(8, p); c = @probewrite($v); d = @probewrite(w) }'), []);
    assert.deepEqual(errorsOf('probe begin { b = @uderef(p, 8) }'), [['error', "expected a literal number, saw 'p': @uderef takes the size in bytes, then the address", 'p']]);
  });

  test('@perf, @cast and @const want a non-empty string', () => {
    assert.deepEqual(errorsOf('probe begin { x = @perf(""); y = @cast(p, "" "")->a; z = @const("") }'), [
      ['error', 'expected a non-empty string as the first argument of @perf', '""'],
      ['error', 'expected a non-empty string as the second argument of @cast', '""'],
      ['error', 'expected a non-empty string as the first argument of @const', '""'],
    ]);
  });

  test('@const, @kregister and @kderef need -g in pass 1, also from a tapset macro', () => {
    const errors = (text: string, guru: boolean) =>
      analyze(text, { syntaxOnly: true, guru })
        .findings.filter((f) => f.severity === 'error')
        .map((f) => f.message);
    assert.deepEqual(errors('probe begin { x = @const("A") + @kregister(0) + @kderef(1, 2) + @uregister(0) }', false), [
      'using @const operator not permitted; need stap -g',
      'using @kregister operator not permitted; need stap -g',
      'using @kderef operator not permitted; need stap -g',
    ]);
    assert.deepEqual(errors('probe begin { x = @const("A") }', true), []);
    // A library macro, as the .stpm reader makes them.
    const body = lex('@const("X")').tokens.slice(0, -1);
    const macros = new Map([['C', { name: 'C', params: [], body, start: 0, end: 0, nameStart: 0, nameEnd: 0, file: '/t/m.stpm' }]]);
    const fromMacro = analyze('probe begin { x = @C }', { syntaxOnly: true, libraryMacros: macros }).findings.filter((f) => f.severity === 'error');
    assert.deepEqual(
      fromMacro.map((f) => f.message),
      ['using @const operator not permitted; need stap -g (in the expansion of the macro used here)'],
    );
  });
});

describe('unary operators', () => {
  test('one ++ or -- per value; prefixes repeat; a negative literal may follow & and ++', () => {
    assert.deepEqual(errorsOf('probe begin { a = - - ! ~x; b = -++y; c = &-1; d = ++-1; e = ++&$p }'), []);
    assert.deepEqual(errorsOf('probe begin { x = ++ --y }'), [['error', "expected a value after '++', saw '--': stap applies '++' and '--' to a value, not to another operator", '--']]);
  });

  test("'&' taken twice is reported at the outer '&', and the parse goes on", () => {
    assert.deepEqual(problems('probe begin { x = &(&$p)->a; y = 1 }'), [['error', "cannot take the address more than once: this '&' applies to an address already ('&' inside the parentheses)", '&']]);
  });

  test('[k] alone is k; after it, as after `in`, only looser operators', () => {
    assert.deepEqual(errorsOf('global a\nprobe begin { x = [1] | 2; y = [1, 2] in a && 1 }'), []);
    assert.deepEqual(errorsOf('global a\nprobe begin { x = [1] < 2 }'), [['error', "expected statement, saw '<'", '<']]);
  });
});

describe('declarations', () => {
  test('a second global of a name points at the first', () => {
    const s = parse('global a\nglobal b, a\nprivate b\n');
    assert.deepEqual(
      s.errors.map((e) => [e.message, e.related?.message]),
      [
        ["duplicate global name: 'a' is already declared in this file", 'first declared here'],
        ["global versus private declaration conflict: 'b' is declared both global and private in this file", 'first declared here'],
      ],
    );
    assert.equal((s.items[1] as GlobalDecl).vars.length, 2, 'the duplicate is still declared, for the features');
  });

  test('array sizes: 1 to 2^31-1, or a script argument', () => {
    assert.deepEqual(errorsOf('global a[2147483647], b[$1]\n'), []);
    assert.deepEqual(errorsOf('global a[2147483648]\n'), [['error', 'array size out of range: 2147483648 is not between 1 and 2147483647', '2147483648']]);
    assert.deepEqual(errorsOf('global a[-1]\n'), [['error', 'array size out of range: -1 is not between 1 and 2147483647', '-1']]);
  });

  test('a function priority is a literal number above 0', () => {
    const s = parse('function f() : 2 { }\n');
    assert.deepEqual(s.errors, []);
    assert.equal(s.items[0].kind === 'function' && s.items[0].priority?.text, '2');
    assert.deepEqual(errorsOf('function f() : "x" { }\n'), [['error', "expected a literal number as the function's priority, saw '\"x\"'", '{']]);
  });

  test('probe A = B = POINTS names two aliases', () => {
    const p = parse('probe a = b += begin { }\n').items[0] as ProbeDecl;
    assert.deepEqual(
      p.points.map((x) => x.components[0].name),
      ['a', 'b'],
    );
    assert.equal(p.alias?.op, '+=');
    assert.deepEqual(
      p.alias?.points.map((x) => x.components[0].name),
      ['begin'],
    );
  });

  test("'?', '!' and conditions of alternatives in braces only at the end", () => {
    assert.deepEqual(errorsOf('probe {a?, b if (x)} { }\nprobe {a, b}.c? { }\n'), []);
    assert.deepEqual(errorsOf('probe {a, b if (x)}.c { }\n'), [['error', "'?', '!' or a condition may only end a probe point, not an alternative in braces followed by '.'", 'b']]);
    assert.deepEqual(errorsOf('probe {a?, b}? { }\n'), [['error', "'?' or '!' given twice: an alternative in the braces before already has one", '?']]);
  });
});

describe('@define', () => {
  test("'define' cannot be a macro's name; a built-in operator's name gives a warning", () => {
    assert.deepEqual(problems('@define define %( 1 %)\n@define cast %( 2 %)\nprobe begin { print(@cast) }\n'), [
      ['error', "attempt to redefine '@define': it is how macros are defined", 'define'],
      ['warning', "macro redefines built-in operator '@cast': in this file, @cast expands this macro", 'cast'],
    ]);
  });

  test('a second definition points at the first, and the first stays', () => {
    const s = parse('@define m %( 1 %)\n@define m %( 2 %)\nprobe begin { x = @m }\n');
    assert.equal(s.errors[0].related?.message, "macro '@m' first defined here");
    assert.deepEqual(
      s.macros.map((m) => m.body.map((t) => t.text).join(' ')),
      ['1'],
    );
  });

  test('@define in a macro body is an error in the body, when the macro is used', () => {
    const text = '@define a %( @define b %( 1 %) %)\nprobe begin { @a }\n';
    assert.deepEqual(errorsOf(text), [['error', "'@define' forbidden inside macro body: macros are defined at the top of a file, not by expanding one", '@define']]);
    assert.equal(parse(text).errors[0].start, text.indexOf('@define b'));
    assert.deepEqual(errorsOf('@define a %( @define b %( 1 %) %)\nprobe begin { }\n'), []);
  });
});

describe('%( %) conditions', () => {
  const taken = (cond: string, target = DEFAULT_TARGET) => {
    const s = parse(`probe begin { %( ${cond} %? x = 1 %: x = 2 %) }`, { target });
    return { errors: s.errors.map((e) => e.message), value: s.errors.length ? undefined : (((s.items[0] as ProbeDecl).body!.children[0] as Statement).children[0] as Expr).children[1].text };
  };

  test('guru_mode: == or != with 0 or 1', () => {
    assert.deepEqual(taken('guru_mode == 1', { ...DEFAULT_TARGET, guruMode: true }), { errors: [], value: '1' });
    assert.deepEqual(taken('guru_mode != 0'), { errors: [], value: '2' });
    assert.deepEqual(taken('guru_mode == 2').errors, ['expected 0 or 1: guru_mode is 0 or 1']);
    assert.deepEqual(taken('guru_mode <= 1').errors, ["expected '==' or '!=': guru_mode is compared by (in)equality only"]);
  });

  test('CONFIG_ options against numbers are read as numbers', () => {
    const target = { ...DEFAULT_TARGET, kernelConfig: { CONFIG_HZ: '250', CONFIG_SMP: 'y', CONFIG_OFF: '0x10' } };
    assert.deepEqual(taken('CONFIG_HZ >= 100', target), { errors: [], value: '1' });
    assert.deepEqual(taken('CONFIG_OFF == 16', target), { errors: [], value: '1' });
    assert.deepEqual(taken('CONFIG_UNSET == 0', target), { errors: [], value: '1' });
    assert.deepEqual(taken('CONFIG_SMP == 1', target).errors, ["Config option value not a number: CONFIG_SMP is 'y' for this kernel"]);
    assert.deepEqual(taken('CONFIG_HZ < CONFIG_OFF', target), { errors: [], value: '2' });
  });

  test('operand types are checked before the operator, as stap does', () => {
    assert.deepEqual(taken('1 =~ "a"').errors, ['expected number literal as right value']);
    assert.deepEqual(taken('kernel_v x 1').errors, ['expected string literal: kernel_v is compared with a version string']);
    assert.deepEqual(taken('"a" x "b"').errors, ['expected comparison operator']);
    assert.deepEqual(taken('@1 == 1').errors, ['expected string literal as right value']);
    // A script argument whose value is not known: no error, and the then-branch is kept.
    assert.deepEqual(taken('$1 == x'), { errors: [], value: '1' });
  });
});

describe('script arguments', () => {
  const withArgs = (text: string, args?: string[]) => problems(text, { scriptArgs: args });

  test('when known they are pasted in: $N as tokens, @N as a string, $# and @# as the count', () => {
    const s = parse('global a = $1, b = @2, c = $#, d = @#\nprobe begin { }\n', { scriptArgs: ['-5', 'x "y"'] });
    assert.deepEqual(s.errors, []);
    assert.deepEqual(
      (s.items[0] as GlobalDecl).vars.map((v) => [v.init?.kind, v.init?.text]),
      [
        ['number', '-5'],
        ['string', '"x \\"y\\""'],
        ['number', '2'],
        ['string', '"2"'],
      ],
    );
    // The pasted tokens are placed at the $N they replace.
    const init = (s.items[0] as GlobalDecl).vars[0].init!;
    assert.equal('global a = $1, b'.slice(init.start, init.end), '$1');
  });

  test('out of range when known, except in an untaken branch; $0 always', () => {
    assert.deepEqual(withArgs('probe begin { print($2) }', ['a']), [['error', 'command line argument out of range: $2, but 1 script argument is given', '$2']]);
    assert.deepEqual(withArgs('probe begin { print(@1) }', []), [['error', 'command line argument out of range: @1, but no script arguments are given', '@1']]);
    assert.deepEqual(withArgs('probe begin { print($0) }'), [['error', 'command line argument out of range: $0, but arguments are numbered from 1', '$0']]);
    assert.deepEqual(withArgs('probe begin { print($9) }'), [], 'unknown arguments: $9 may be given');
    assert.deepEqual(withArgs('probe begin { %( arch == "none" %? print($9) %) }', ['a']), []);
  });

  test("those of a file's last run (the editor) make warnings that say where they come from", () => {
    const lastRun = (text: string, args: string[]) => problems(text, { scriptArgs: args, scriptArgsSource: 'last run' });
    assert.deepEqual(lastRun('probe begin { print($2) }', ['a']), [
      ['warning', "command line argument out of range: $2, but 1 script argument is given (with the arguments of this file's last run)", '$2'],
    ]);
    assert.deepEqual(lastRun('probe begin { print($1) }', ['"open']), [
      ['warning', 'in script argument $1 ("\\"open"): unterminated string literal (with the arguments of this file\'s last run)', '$1'],
    ]);
    assert.deepEqual(lastRun('probe begin { print($1, @1) }', ['a']), []);
  });

  test("an argument's text is read as stap reads it", () => {
    assert.deepEqual(withArgs('probe begin { print($1) }', ['"open']), [['error', 'in script argument $1 ("\\"open"): unterminated string literal', '$1']]);
    assert.deepEqual(withArgs('probe begin { print($1) }', ['$2', 'x']), [['error', 'invalid nested substitution of command line arguments: script argument $1 is "$2", which names another', '$1']]);
    assert.deepEqual(withArgs('probe $1.function("f") { }', ['kernel']), []);
  });

  test('stap-check --args takes all that follows', () => {
    const o = parseArgs(['-g', 'a.stp', '--args', '1', '-x', '--format']);
    assert.ok(typeof o === 'object');
    assert.deepEqual([o.files, o.scriptArgs, o.format], [['a.stp'], ['1', '-x', '--format'], 'text']);
    const none = parseArgs(['a.stp']);
    assert.ok(typeof none === 'object' && none.scriptArgs === undefined);
  });
});

describe('empty scripts', () => {
  const errors = (text: string, isLibrary = false) =>
    analyze(text, { syntaxOnly: true, isLibrary })
      .findings.filter((f) => f.severity === 'error')
      .map((f) => f.message);

  test('no token, or none left after preprocessing: an error at the start; a tapset file may be empty', () => {
    assert.match(errors('')[0], /^this script is empty: /);
    assert.match(errors('# a comment\n/* and another */\n')[0], /^this script is empty: /);
    assert.match(errors('%( arch == "none" %? probe begin { } %)\n')[0], /^this script is empty after preprocessing: /);
    assert.match(errors('@define m %( 1 %)\n')[0], /^this script is empty after preprocessing: /);
    assert.deepEqual(errors('@define m %( 1 %)\n', true), []);
  });

  test('a file whose tokens were all errors has those errors only', () => {
    assert.deepEqual(errors('%)\n'), ["incomplete conditional - missing '%('"]);
  });
});

describe("'}%' in embedded C", () => {
  test('a warning at the }%, also when it ends the block', () => {
    const text = 'function f() %{ if (x) { y(); }% %}\nfunction g() %{ }%}\n';
    const warnings = analyze(text, { guru: true }).findings.filter((f) => f.message.includes("'}%'"));
    assert.deepEqual(
      warnings.map((w) => [w.severity, text.slice(w.start, w.end)]),
      [
        ['warning', '}%'],
        ['warning', '}%'],
      ],
    );
    assert.deepEqual(
      warnings.map((w) => w.start),
      [text.indexOf('}%'), text.lastIndexOf('}%')],
    );
  });
});
