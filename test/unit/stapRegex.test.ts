// stap's regex parser as stapRegex.ts follows it: each pattern with the
// verdict the real stap 4.8 gave for it (`stap -p2` on `r =~ "PATTERN"`),
// message and position, accepted patterns included.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { stapRegexProblem } from '../../server/src/analysis/semantic/stapRegex';

/** The pattern as written between the quotes, and stap's `message@position`, or 'ok'. */
const VERDICTS: [string, string][] = [
  ['(a', 'expected ), found end of regex@1'],
  ['a)', 'ok'],
  ['[a', 'unclosed character class@1'],
  ['a]', 'ok'],
  ['a{3,2}', 'ok'],
  ['*a', "unexpected '*'@0"],
  ['+a', "unexpected '+'@0"],
  ['?a', "unexpected '?'@0"],
  ['a**', 'ok'],
  ['[[:foo:]]', "unknown character class 'foo'@-"],
  ['[[:alpha:]]', 'ok'],
  ['\\\\1', 'ok'],
  ['(a)\\\\1', 'ok'],
  ['a{1', 'unexpected end of regex@3'],
  ['a{,3}', 'expected number@3'],
  ['a{x}', 'expected number@3'],
  ['a|*', "unexpected '*'@2"],
  ['()', 'ok'],
  ['a||b', 'ok'],
  ['[]a]', 'ok'],
  ['[^]', 'unclosed character class@2'],
  ['[z-a]', 'Inverted character range z-a@4'],
  ['\\\\d', 'ok'],
  ['a{2}{3}', 'ok'],
  ['^*', "postfix closure '*' applied to anchoring operator@1"],
  ['a{99999}', '99999 is too large@8'],
  ['(?:a)', 'ok'],
  ['\\\\', 'unexpected end of regex@2'],
  ['a\\\\', 'unexpected end of regex@3'],
  ['{', "unexpected '{'@0"],
  ['a{', 'expected number@2'],
  ['.', 'ok'],
  ['$a', 'ok'],
  ['a^', 'ok'],
  ['[a-]', 'ok'],
  ['[[.a.]]', 'ok'],
  ['[[=a=]]', 'ok'],
  ['a{1,2', 'expected }, found end of regex@4'],
  ['x{0}', 'ok'],
  ['a+?', 'ok'],
  ['\\\\x41', 'ok'],
  ['[\\\\]]', 'ok'],
  ['(|a)', 'ok'],
  ['\\\\(', 'ok'],
  ['\\\\b', 'ok'],
];

describe("stap's regex parser", () => {
  for (const [pattern, verdict] of VERDICTS) {
    test(`${pattern}: ${verdict}`, () => {
      const problem = stapRegexProblem(pattern);
      assert.equal(problem ? `${problem.message}@${problem.position ?? '-'}` : 'ok', verdict);
    });
  }
  test('patterns of the installed examples parse', () => {
    for (const pattern of ['^[0-9]+$', '\\\\.so$', '(foo|bar)*baz', '[a-z0-9_]+', 'a{2,}']) assert.equal(stapRegexProblem(pattern), undefined, pattern);
  });
});
