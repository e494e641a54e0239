// Macro chains and conditionals nested far deeper than the JS stack: the
// preprocessor reads them from a stack of frames. Inputs of 20,000 to 100,000
// levels, seconds in all; the rest of the preprocessor limits are in
// test/unit/preprocessorLimits.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { chain, messages, nestedUses, run, texts } from '../support/macros';

describe('expansion does not nest JS calls', () => {
  test('a chain of 33 macros', () => {
    assert.deepEqual(texts(chain(33)), ['probe', 'begin', '{', 'print', '(', '1', ')', '}']);
  });

  test('a chain of 50,000 macros, as stap accepts it', () => {
    const text = chain(50_000);
    const r = run(text);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(r.tokens.map((t) => t.text).slice(4, 7), ['(', '1', ')']);
  });

  test('conditionals nested 100,000 deep', () => {
    const depth = 100_000;
    const taken = `probe begin { ${'%( arch == "x86_64" %? '.repeat(depth)}print(1)${' %)'.repeat(depth)} }\n`;
    assert.deepEqual(texts(taken), ['probe', 'begin', '{', 'print', '(', '1', ')', '}']);
    const untaken = `probe begin { %( arch == "none" %? ${'%( arch == "x86_64" %? '.repeat(depth)}print(1)${' %)'.repeat(depth)} %: print(2) %) }\n`;
    const r = run(untaken);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.tokens.map((t) => t.text),
      ['probe', 'begin', '{', 'print', '(', '2', ')', '}', ''],
    );
    assert.equal(r.inactive.length, 1);
    // Unclosed: each one reported, none throws.
    assert.equal(messages(`probe begin { ${'%( arch == "x86_64" %? '.repeat(depth)} }`).length, depth);
  });

  test('a macro used in its own arguments, nested 100,000 deep', () => {
    const r = run(`@define m(x) %( @x %)\nprobe begin { print(${nestedUses('m', 100_000, '1')}) }\n`);
    assert.deepEqual(r.errors, []);
    assert.deepEqual(
      r.tokens.map((t) => t.text),
      ['probe', 'begin', '{', 'print', '(', '1', ')', '}', ''],
    );
  });

  test('macro bodies using conditionals, 20,000 deep', () => {
    let text = '@define c0 %( 0 %)\n';
    for (let i = 1; i < 20_000; i++) text += `@define c${i} %( %( arch == "x86_64" %? @c${i - 1} + 1 %: nope %) %)\n`;
    const r = run(`${text}probe begin { print(@c19999) }\n`);
    assert.deepEqual(r.errors, []);
    assert.equal(r.tokens.filter((t) => t.text === '+').length, 19_999);
  });

  test('a macro with 50,000 parameters, each used once', () => {
    const n = 50_000;
    const params = Array.from({ length: n }, (_, i) => `p${i}`);
    const text = `@define f(${params.join(', ')}) %( ${params.map((p) => `@${p}`).join(' ')} %)\nprobe begin { @f(${params.map((_, i) => i).join(', ')}) }\n`;
    const r = run(text);
    assert.deepEqual(r.errors, []);
    assert.equal(r.tokens.length, n + 5);
    assert.equal(r.tokens[n + 2].text, String(n - 1));
  });

  test('recursion is still refused, through several macros and through arguments', () => {
    assert.deepEqual(messages('@define a %( @b %)\n@define b %( @a %)\nprobe begin { print(@a) }\n'), ['recursive use of macro @a']);
    assert.deepEqual(messages('@define r(x) %( @r(@x) %)\nprobe begin { print(@r(1)) }\n'), ['recursive use of macro @r']);
    // An argument holding a use of the macro is read where the macro was used: no recursion.
    assert.deepEqual(texts('@define m(x) %( (@x) %)\nprobe begin { print(@m(@m(2))) }\n').slice(4, 11), ['(', '(', '(', '2', ')', ')', ')']);
  });
});
