// stap's error output read into located messages, from the real stap on
// broken scripts (fake kernel tree), and package.json's problem matchers
// checked against the same output. Output written out by hand is read in
// test/unit/stapOutput.test.ts.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { characterColumn, parseStapOutput } from '../../client/src/check/stapOutput';
import { REPO_ROOT } from '../support/paths';
import { fakeKernelTree, stapOrSkip } from '../support/stapOracle';

const stap = stapOrSkip();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-output-'));

/** stderr of `stap -p2` on a script. */
function stapErrors(name: string, text: string, extra: string[] = []): { file: string; stderr: string } {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  try {
    execFileSync(stap!, ['-r', fakeKernelTree(), '-p2', ...extra, file], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    return { file, stderr: '' };
  } catch (e) {
    return { file, stderr: String((e as { stderr: string }).stderr) };
  }
}

describe('stap -p2 output, from the real stap', { skip: !stap && 'stap is not installed' }, () => {
  test('a semantic error: message, file, line, column and token', () => {
    const { file, stderr } = stapErrors('unresolved.stp', 'probe begin {\n  x = foo(1)\n  print(x)\n}\n');
    const [m, ...rest] = parseStapOutput(stderr);
    assert.equal(rest.length, 0, stderr);
    assert.equal(m.severity, 'error');
    assert.match(m.message, /^unresolved function foo/);
    assert.deepEqual(m.location, { file, line: 2, column: 7, token: 'foo' });
  });
  test('a parse error, located on the line after it', () => {
    const { file, stderr } = stapErrors('parse.stp', 'probe begin { x = 1 +\n}\n');
    assert.deepEqual(parseStapOutput(stderr), [{ severity: 'error', message: 'expected literal string or number', location: { file, line: 2, column: 1, token: '}' }, related: [] }]);
  });
  test('embedded C without -g, as stap reports it', () => {
    const { file, stderr } = stapErrors('guru.stp', 'function f:long(a:long) %{ STAP_RETVALUE = STAP_ARG_a; %}\nprobe begin { print(f(1)) }\n');
    const [m] = parseStapOutput(stderr);
    assert.match(m.message, /need stap -g/);
    assert.equal(m.location?.file, file);
    assert.equal(m.location?.line, 1);
  });
  test('warnings, a type mismatch with where the type was inferred, and the file name stap leaves out', () => {
    const { file, stderr } = stapErrors('types.stp', 'global a\nprobe begin { a = "x"; a = 1; print(z) }\n');
    const messages = parseStapOutput(stderr);
    const warning = messages.find((m) => m.severity === 'warning' && /never-assigned local variable 'z'/.test(m.message));
    assert.deepEqual(warning?.location, { file, line: 2, column: 37, token: 'z' });
    const mismatch = messages.find((m) => /^type mismatch/.test(m.message));
    assert.ok(mismatch, stderr);
    assert.deepEqual(mismatch.location, { file, line: 2, column: 24, token: 'a' }, 'an empty file name is the last one named');
    assert.deepEqual(mismatch.related, [{ message: 'type was first inferred here (string)', location: { file, line: 2, column: 15, token: 'a' } }]);
  });
  test('an unlocated follow-up joins the probe-point error it explains', () => {
    const { file, stderr } = stapErrors('debuginfo.stp', 'probe kernel.function("ip_output") { print(1) }\n');
    const [m, ...rest] = parseStapOutput(stderr);
    assert.equal(rest.length, 0, stderr);
    assert.match(m.message, /^while resolving probe point: .*debuginfo/);
    assert.equal(m.location?.file, file);
  });
  test('a string token keeps its quotes, and byte columns become character columns', () => {
    const line = 'probe begin { s = "héé"; print(1 + "ab c") }';
    const { file, stderr } = stapErrors('string.stp', `${line}\n`);
    const m = parseStapOutput(stderr).find((x) => x.location?.token.startsWith('"'));
    assert.ok(m?.location, stderr);
    assert.equal(m.location.file, file);
    assert.equal(m.location.token, '"ab c"');
    const at = characterColumn(line, m.location.column);
    assert.equal(line.slice(at, at + m.location.token.length), '"ab c"');
    assert.notEqual(at, m.location.column - 1, 'é is two bytes: columns differ');
  });
  test('a script that stap accepts gives nothing', () => {
    assert.deepEqual(parseStapOutput(stapErrors('fine.stp', 'probe begin { println("hi"); exit() }\n').stderr), []);
  });

  test("package.json's $stap and $stap-parse problem matchers find the same locations", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8'));
    const pattern = manifest.contributes.problemPatterns.find((p: { name: string }) => p.name === 'stap');
    const parseMatcher = manifest.contributes.problemMatchers.find((m: { name: string }) => m.name === 'stap-parse');
    const semantic = stapErrors('unresolved2.stp', 'probe begin {\n  x = foo(1)\n  print(x)\n}\n');
    const line = semantic.stderr
      .split('\n')
      .map((l) => new RegExp(pattern.regexp).exec(l))
      .find(Boolean);
    assert.ok(line, semantic.stderr);
    assert.deepEqual([line[pattern.file], line[pattern.line], line[pattern.column]], [semantic.file, '2', '7']);
    assert.match(line[pattern.message], /^unresolved function foo/);

    const parse = stapErrors('parse2.stp', 'probe begin { x = 1 +\n}\n');
    const lines = parse.stderr.split('\n');
    const [first, second] = parseMatcher.pattern.map((p: { regexp: string }) => new RegExp(p.regexp));
    const at = lines.findIndex((l) => first.test(l));
    assert.ok(at >= 0, parse.stderr);
    const location = second.exec(lines[at + 1]);
    assert.ok(location, lines[at + 1]);
    assert.deepEqual(location.slice(1, 4), [parse.file, '2', '1']);
  });
});
