import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lex, numberValue } from '../../server/src/syntax/lexer';

const texts = (source: string) =>
  lex(source)
    .tokens.filter((t) => t.kind !== 'eof')
    .map((t) => t.text);

test('operators: longest match first', () => {
  const ops = '<<< <<= >>= == != <= >= && || ++ -- += -= *= /= %= &= |= ^= .= << >> -> =~ !~ { } ( ) [ ] ; , . : ? + - * / % & | ^ ! ~ = < >';
  assert.deepEqual(texts(ops), ops.split(' '));
  assert.deepEqual(texts('a<<<b<<=c->d'), ['a', '<<<', 'b', '<<=', 'c', '->', 'd']);
  assert.deepEqual(texts('x!~"a"'), ['x', '!~', '"a"']);
});

test('preprocessor markers, embedded C, comments', () => {
  assert.deepEqual(texts('%( %? %: %) %{ int x; %}'), ['%(', '%?', '%:', '%)', '%{ int x; %}']);
  const r = lex('# a\n// b\n/* c */ x');
  assert.deepEqual(
    r.comments.map((c) => c.text),
    ['# a', '// b', '/* c */'],
  );
  assert.deepEqual(texts('# a\n// b\n/* c */ x'), ['x']);
});

test('identifiers, target variables, script arguments', () => {
  assert.deepEqual(texts('$var$ $$parms$$ @cast $1 @2 $# @# _x9'), ['$var$', '$$parms$$', '@cast', '$1', '@2', '$#', '@#', '_x9']);
});

test('numbers as stap checks them', () => {
  assert.equal(numberValue('0x1f'), 31n);
  assert.equal(numberValue('017'), 15n);
  assert.equal(numberValue('18446744073709551615'), 18446744073709551615n);
  for (const bad of ['09', '0x', '12ab', '18446744073709551616']) assert.equal(numberValue(bad), undefined, bad);
  assert.equal(lex('x = 09').errors.length, 1);
});

test('unterminated strings and junk are errors, never exceptions', () => {
  assert.match(lex('"abc\n').errors[0].message, /unterminated string/);
  assert.match(lex('a ` b').errors[0].message, /invalid character/);
  assert.equal(lex('/* open').errors[0].severity, 'warning');
});

test('a message never repeats a huge token whole', () => {
  const big = '9'.repeat(1 << 20);
  const [e] = lex(`x = ${big}`).errors;
  assert.match(e.message, /^number invalid or out of range: '9{59}…'$/);
  assert.equal(e.end - e.start, big.length, 'the range still covers the whole token');
});
