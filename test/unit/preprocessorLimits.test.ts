// The preprocessor against hostile input: patterns that make a backtracking
// matcher explode, macros that double at every level. Chains and nesting far
// deeper than the JS stack take seconds: test/server/deepMacros.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parse } from '../../server/src/syntax/parser';
import { EXPANSION_BUDGET } from '../../server/src/syntax/preprocessor';
import { globMatch } from '../../server/src/syntax/versions';
import { messages, nestedUses, run, texts } from '../support/macros';

/** Exponential work takes minutes: the test ends at this timeout instead of hanging the run. */
const HANG = { timeout: 120_000 };

describe('glob patterns: fnmatch(3) with flags 0', () => {
  // [pattern, text, what glibc 2.36 fnmatch(pattern, text, 0) says]
  const CASES: [string, string, boolean][] = [
    ['x86_64', 'x86_64', true],
    ['i?86', 'i686', true],
    ['i?86', 'x86_64', false],
    ['*', '', true],
    ['*', 'anything', true],
    ['x86*', 'x86_64', true],
    ['*64', 'x86_64', true],
    ['*_*', 'x86_64', true],
    ['6.*', '6.1.0-18-amd64', true],
    ['6.1.*-amd64', '6.1.0-18-amd64', true],
    ['6.1.*-arm64', '6.1.0-18-amd64', false],
    ['arm*', 'aarch64', false],
    ['**', 'abc', true],
    ['?', '', false],
    ['*?', '', false],
    ['*?', 'a', true],
    ['?*?', 'a', false],
    ['[abc]', 'b', true],
    ['[abc]', 'd', false],
    ['[!abc]', 'd', true],
    ['[!abc]', 'a', false],
    ['[^abc]', 'd', true],
    ['[^abc]', 'c', false],
    ['[a-z]', 'm', true],
    ['[a-z]', 'M', false],
    ['[z-a]', 'm', false],
    ['[]]', ']', true],
    ['[]a]', 'a', true],
    ['[!]]', ']', false],
    ['[!]]', 'x', true],
    ['[]-a]', '^', true],
    ['[a-]', '-', true],
    ['[-a]', '-', true],
    ['[\\]]', ']', true],
    ['[\\]a]', 'a', true],
    ['[a\\-z]', '-', true],
    ['[a\\-z]', 'm', false],
    ['\\*', '*', true],
    ['\\*', 'a', false],
    ['x86\\_64', 'x86_64', true],
    ['a\\', 'a', false],
    ['a\\', 'a\\', false],
    ['[', '[', true],
    ['[a', '[a', true],
    ['[a', 'a', false],
    ['[!', '[!', true],
    ['[\\', '[\\', false],
    ['[[:digit:]]', '5', true],
    ['[[:digit:]]', 'x', false],
    ['[![:digit:]]', 'x', true],
    ['[[:alpha:][:digit:]]', 'q', true],
    ['[[:foo:]]', 'f', false],
    ['[a[:foo:]]', 'a', true],
    ['[[:alpha]', '[', true],
    ['[[=a=]]', 'a', true],
    ['[[.a.]]', 'a', true],
    ['[[.ab.]]', 'a', false],
    ['*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(38), false],
    ['*[!-]*', '--x--', true],
  ];
  test('agrees with glibc on a table of cases', () => {
    const wrong = CASES.filter(([p, t, expected]) => globMatch(p, t) !== expected).map(([p, t, e]) => `${JSON.stringify(p)} ~ ${JSON.stringify(t)}: expected ${e}`);
    assert.deepEqual(wrong, []);
  });

  // A backtracking matcher takes minutes on these: the timeout ends the test then.
  test('many stars: answered, without backtracking', HANG, () => {
    for (const stars of [20, 50, 1000]) {
      assert.equal(globMatch(`${'*'.repeat(stars)}Z`, '6.1.0-18-amd64-with-a-long-local-version-suffix'), false);
    }
    assert.equal(globMatch('*a'.repeat(500) + 'b', 'a'.repeat(5000)), false);
  });

  test('a 20-star kernel_vr condition is evaluated', HANG, () => {
    const value = texts(`probe begin { %( kernel_vr == "${'*'.repeat(20)}Z" %? print(1) %: print(2) %) }`, { kernelRelease: '6.1.0-18-amd64' });
    assert.deepEqual(value, ['probe', 'begin', '{', 'print', '(', '2', ')', '}']);
  });
});

describe('macro expansion budget', () => {
  test('a macro doubling at each of 30 levels stops at the budget, at its outermost use', HANG, () => {
    const use = nestedUses('d', 30, '1');
    const text = `@define d(x) %( @x + @x %)\nprobe begin { println(${use}) }\nfunction after() { return 2 }\nprobe end { print(after()) }\n`;
    const s = parse(text);
    assert.deepEqual(
      s.errors.map((e) => [e.message, text.slice(e.start, e.end)]),
      [[`macro @d expands to more than ${EXPANSION_BUDGET} tokens: expansion stopped`, use]],
    );
    // The rest of the file is still there.
    assert.deepEqual(
      s.items.map((i) => i.kind),
      ['probe', 'function', 'probe'],
    );
    // Nothing of the stopped expansion is kept.
    assert.deepEqual(texts(text).slice(0, 8), ['probe', 'begin', '{', 'println', '(', ')', '}', 'function']);
  });

  test('the budget counts the argument tokens each use substitutes, not only body tokens', () => {
    // 2^16 copies of a 10-token argument: 655,360 tokens from 16 three-token bodies.
    const arg = Array(10).fill('1').join(' + ');
    const r = run(`@define d(x) %( @x @x %)\nprobe begin { print(${nestedUses('d', 16, arg)}) }\n`);
    assert.deepEqual(
      r.errors.map((e) => e.message),
      [`macro @d expands to more than ${EXPANSION_BUDGET} tokens: expansion stopped`],
    );
    assert.ok(r.expandedTokens > EXPANSION_BUDGET && r.expandedTokens < EXPANSION_BUDGET + 100, `${r.expandedTokens}`);
    // 2^13 copies fit.
    const fits = run(`@define d(x) %( @x @x %)\nprobe begin { print(${nestedUses('d', 13, arg)}) }\n`);
    assert.deepEqual(fits.errors, []);
    assert.equal(fits.tokens.length, 2 ** 13 * 19 + 8);
  });

  test('once the budget is spent, later uses are refused, each with a diagnostic', () => {
    const text = `@define d(x) %( @x @x %)\n@define one %( 1 %)\nprobe begin { ${nestedUses('d', 25, '1')} @one }\n`;
    const r = run(text);
    assert.deepEqual(
      r.errors.map((e) => [e.message, text.slice(e.start, e.end)]),
      [
        [`macro @d expands to more than ${EXPANSION_BUDGET} tokens: expansion stopped`, nestedUses('d', 25, '1')],
        [`macro @one not expanded: this file's macros already expanded to more than ${EXPANSION_BUDGET} tokens`, '@one'],
      ],
    );
  });

  test('an untaken branch in a macro body counts too', HANG, () => {
    // 4^12 uses of a macro whose body is one skipped 4-token branch: no output, much work.
    const text = `@define z %( %( 1 == 0 %? a b c d %) %)\n@define q(x) %( @x @x @x @x %)\nprobe begin { ${nestedUses('q', 12, '@z')} }\n`;
    assert.deepEqual(messages(text), [`macro @q expands to more than ${EXPANSION_BUDGET} tokens: expansion stopped`]);
  });

  test('a huge macro name is not repeated whole in a message', () => {
    const name = 'n'.repeat(1_000_000);
    const [message] = messages(`@define ${name} %( @${name} %)\nprobe begin { @${name} }\n`);
    assert.match(message, /^recursive use of macro @n{59}…$/);
    const [saw] = messages(`@define "${'s'.repeat(1_000_000)}" %( 1 %)\n`);
    assert.ok(saw.length < 150, saw.slice(0, 150));
  });
});

describe('macro semantics kept by the frame stack', () => {
  test('an argument names the parameters of the macro it was written in', () => {
    const text = '@define f(x) %( [@x] %)\n@define g(y) %( @f(@y + 1) %)\nprobe begin { print(@g(2)) }\n';
    assert.deepEqual(texts(text).slice(5, 10), ['[', '2', '+', '1', ']']);
  });

  test('tokens from a body are placed at the outermost use and remember their origin', () => {
    const text = '@define inner %( 7 %)\n@define outer %( @inner %)\nprobe begin { print(@outer) }\n';
    const seven = run(text).tokens.find((t) => t.text === '7')!;
    assert.equal(text.slice(seven.start, seven.end), '@outer');
    assert.equal(text.slice(seven.macroOrigin!.start, seven.macroOrigin!.end), '7');
  });

  test('a macro can hold a whole condition, && and || included, as stap reads it', () => {
    // stap -p1 takes the else-branch here: the && part is false for kernel 6.1.
    const text = '@define C %( arch == "x86_64" && kernel_v >= "9.0" %)\nprobe begin { %( @C %? print(1) %: print(2) %) }\n';
    assert.deepEqual(texts(text), ['probe', 'begin', '{', 'print', '(', '2', ')', '}']);
    const nested = '@define A %( %( 1 == 1 %? arch %: nope %) %)\nprobe begin { %( @A == "x86_64" %? print(1) %: print(2) %) }\n';
    assert.deepEqual(texts(nested), ['probe', 'begin', '{', 'print', '(', '1', ')', '}']);
  });

  test('a conditional is closed in the text it was opened in', () => {
    assert.deepEqual(messages('@define m %( %( 1 == 1 %? 1 %: 2 %) %)\nprobe begin { %( arch == "x86_64" %? @m %) }\n'), []);
    assert.deepEqual(messages('@define m %( 1 %: 2 %)\nprobe begin { %( arch == "x86_64" %? @m %) }\n'), [`incomplete conditional - missing '%('`]);
  });
});
