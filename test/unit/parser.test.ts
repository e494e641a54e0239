import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FunctionDecl, ProbeDecl } from '../../server/src/syntax/ast';
import { parse } from '../../server/src/syntax/parser';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { seededRandom } from '../support/fuzz';

const lineOf = (text: string, offset: number) => new LineIndex(text).positionAt(offset).line + 1;

describe('syntax tree', () => {
  test('function with typed parameters and embedded body', () => {
    const text = 'private function add:long(x:long, y) %{ STAP_RETVALUE = STAP_ARG_x; %}\n';
    const s = parse(text);
    assert.deepEqual(s.errors, []);
    const fn = s.items[0] as FunctionDecl;
    assert.equal(fn.kind, 'function');
    assert.equal(fn.name.text, 'add');
    assert.equal(fn.returnType?.text, 'long');
    assert.deepEqual(
      fn.params.map((p) => [p.text, p.type?.text]),
      [
        ['x', 'long'],
        ['y', undefined],
      ],
    );
    assert.equal(fn.isPrivate, true);
    assert.equal(fn.body?.kind, 'embedded');
    if (fn.body?.kind === 'embedded') assert.equal(text.slice(fn.body.codeStart, fn.body.codeEnd), ' STAP_RETVALUE = STAP_ARG_x; ');
  });

  test('probe points with components, arguments, optional marker', () => {
    const s = parse('probe kernel.function("ip_output@net/ipv4/ip_output.c").return ?, timer.ms(100) { }\n');
    const p = s.items[0] as ProbeDecl;
    assert.deepEqual(s.errors, []);
    assert.deepEqual(
      p.points[0].components.map((c) => c.name),
      ['kernel', 'function', 'return'],
    );
    assert.equal(p.points[0].components[1].arg?.text, '"ip_output@net/ipv4/ip_output.c"');
    assert.equal(p.points[0].optional, true);
    assert.equal(p.points[1].components[1].arg?.text, '100');
  });

  test('untaken preprocessor branch is an inactive range', () => {
    const text = 'probe begin { %( arch == "no-such-arch" %? print(1) %: print(2) %) }\n';
    const s = parse(text);
    assert.deepEqual(s.errors, []);
    assert.equal(s.inactive.length, 1);
    assert.match(text.slice(s.inactive[0].start, s.inactive[0].end), /print\(1\)/);
  });
});

describe('error recovery', () => {
  test('one typo gives one error and the next declarations still parse', () => {
    const text = 'probe begin {\n  x = ;\n  y = 2\n}\nfunction f() { }\nglobal g\n';
    const s = parse(text);
    assert.equal(s.errors.length, 1);
    assert.equal(lineOf(text, s.errors[0].start), 2);
    assert.deepEqual(
      s.items.map((i) => i.kind),
      ['probe', 'function', 'global'],
    );
  });

  test('a missing brace is reported at the next declaration, pointing at the open brace', () => {
    const text = 'probe begin {\n  if (1) {\n    print(1)\n}\nprobe end { }\n';
    const s = parse(text);
    assert.equal(s.errors.length, 1);
    assert.equal(lineOf(text, s.errors[0].start), 5);
    assert.equal(lineOf(text, s.errors[0].related!.start), 1);
    assert.equal(s.items.length, 2);
  });

  test('a missing brace at end of file points at the unclosed brace', () => {
    const text = 'probe begin {\n  print(1)\n';
    const s = parse(text);
    assert.equal(s.errors.length, 1);
    assert.equal(text.slice(s.errors[0].start, s.errors[0].end), '{');
  });
});

describe('robustness', () => {
  test('random bytes do not throw', () => {
    const random = seededRandom(7);
    const bytes = Buffer.from(Array.from({ length: 20000 }, () => Math.floor(random() * 256)));
    const s = parse(bytes.toString('latin1'));
    assert.ok(s.errors.length > 0);
  });
});
