// stap's error output read into located messages, and package.json's problem
// matcher, on output written out by hand. The real stap's output is read in
// test/oracle/stapOutput.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { parseStapOutput } from '../../client/src/check/stapOutput';
import { REPO_ROOT } from '../support/paths';

describe('stap output without stap', () => {
  test('file names with colons and spaces', () => {
    const out = "semantic error: unresolved function foo: identifier 'foo' at /tmp/a b:c.stp:2:7\n        source:   x = foo(1)\n";
    assert.deepEqual(parseStapOutput(out)[0].location, { file: '/tmp/a b:c.stp', line: 2, column: 7, token: 'foo' });
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const pattern = manifest.contributes.problemPatterns.find((p: { name: string }) => p.name === 'stap');
    const m = new RegExp(pattern.regexp).exec(out.split('\n')[0]);
    assert.deepEqual([m?.[pattern.file], m?.[pattern.line], m?.[pattern.column]], ['/tmp/a b:c.stp', '2', '7']);
    // A location whose file name stap leaves out cannot be placed by a matcher: no match, rather than a wrong one.
    assert.equal(new RegExp(pattern.regexp).exec("semantic error: type mismatch (long): identifier 'a' at :2:24"), null);
  });
  test('lines that are not messages are ignored; an unlocated error stands alone', () => {
    const out = 'Pass 1: parsed user script and 481 library scripts\nsemantic error: no probes found\nPass 2: analysis failed.  [man error::pass2]\n';
    assert.deepEqual(parseStapOutput(out), [{ severity: 'error', message: 'no probes found', location: undefined, related: [] }]);
  });
});
