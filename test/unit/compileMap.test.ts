// The compile check's reading of gcc: real output of `stap -p4 -g -k` on a
// guru script with a mistyped struct member, against Debian's 6.1 headers,
// which stap 4.8's runtime does not compile against. Captured in
// test/fixtures/compile: the script, stap's stderr, and the head of the
// generated C the errors point into (its temporary folder renamed /tmp/STAPTMP).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { mapCompileOutput } from '../../server/src/environment/doctor/compileMap';
import { scanEmbeddedRegions } from '../../server/src/environment/doctor/embeddedRegions';
import { characterOfDisplayColumn, parseGccOutput } from '../../server/src/environment/doctor/gccOutput';
import { runtimeErrors } from '../../server/src/environment/doctor/runtimeTest';

const fixtures = path.join(__dirname, '..', '..', '..', 'test', 'fixtures', 'compile');
const read = (name: string) => fs.readFileSync(path.join(fixtures, name), 'utf8');
const GENERATED = '/tmp/STAPTMP/stap_32379_src.c';

describe("gcc's output", () => {
  const output = parseGccOutput(read('nmae.stderr'));

  test('every error is read, with its file, line, display column, caret width and fix-it', () => {
    const errors = output.diagnostics.filter((d) => d.severity === 'error');
    assert.deepEqual(
      errors.map((d) => `${path.basename(d.file)}:${d.line}:${d.column}+${d.width}`),
      ['stp_task_work.c:107:40+4', 'stp_task_work.c:13:26+1', 'stap_32379_src.c:235:58+4'],
    );
    const member = errors[2];
    assert.equal(member.message, "'struct net_device' has no member named 'nmae'; did you mean 'name'?");
    assert.equal(member.fixIt, 'name');
  });

  test('notes stay with the error before them; the include chain is kept for the header, not for the generated file', () => {
    const [first, second, member] = output.diagnostics;
    assert.equal(first.notes.length, 1);
    assert.match(first.notes[0].message, /^expected 'struct callback_head \*'/);
    assert.equal(second.notes.length, 1);
    assert.match(second.notes[0].message, /in expansion of macro 'task_work_cancel'/);
    assert.deepEqual(
      first.includedFrom.map((i) => path.basename(i.file)),
      ['stp_utrace.c', 'task_finder2.c', 'task_finder.c', 'runtime.h', 'runtime.h', 'stap_32379_src.c'],
    );
    assert.deepEqual(member.includedFrom, []);
  });

  test('modpost names a kernel function the kernel does not export', () => {
    const parsed = parseGccOutput('ERROR: modpost: "kallsyms_lookup_name" [/tmp/stapX/stap_1.ko] undefined!\n');
    assert.deepEqual(parsed.undefinedSymbols, [{ symbol: 'kallsyms_lookup_name' }]);
  });

  test('a display column counts a tab to the next multiple of 8', () => {
    assert.equal(characterOfDisplayColumn('\tsnprintf(x, dev->nmae);', 9), 1);
    assert.equal(characterOfDisplayColumn('ab\tc', 9), 3);
    assert.equal(characterOfDisplayColumn('abc', 2), 1);
    assert.equal(characterOfDisplayColumn('abc', 40), 3);
  });

  test("the runtime's errors, for the environment report: file, line and gcc's words, each once", () => {
    assert.deepEqual(runtimeErrors(read('nmae.stderr'), 2), [
      "stp_task_work.c:107: passing argument 2 of '(bool (*)(struct task_struct *, struct callback_head *))kallsyms_task_work_cancel' from incompatible pointer type",
      "stp_task_work.c:13: incompatible types when assigning to type 'struct callback_head *' from type 'bool' {aka '_Bool'}",
    ]);
  });
});

describe('placing gcc findings in the script', () => {
  const script = read('nmae.stp');
  const mapping = mapCompileOutput(parseGccOutput(read('nmae.stderr')), script, scanEmbeddedRegions(script), (file) => (file === GENERATED ? read('nmae_src.c') : undefined));

  test("the mistyped member lands on `nmae` in the script's %{ %}, with gcc's text and its did-you-mean", () => {
    assert.equal(mapping.script.length, 1);
    const [d] = mapping.script;
    assert.equal(d.severity, 'error');
    assert.equal(d.message, "'struct net_device' has no member named 'nmae'; did you mean 'name'?");
    const lines = script.split('\n');
    assert.equal(lines[d.start.line].slice(d.start.character, d.end.character), 'nmae');
    assert.deepEqual([d.start.line, d.start.character, d.end.character], [6, 50, 54]);
    // gcc's fix-it replaces exactly that text: the editor's quick fix.
    assert.equal(d.fixIt, 'name');
  });

  test("an error in the generated C outside the script's regions (a tapset's C) is told apart from the runtime's", () => {
    const gcc = `${GENERATED}:5:1: error: unknown type name 'x'\n`;
    const placed = mapCompileOutput(parseGccOutput(gcc), script, scanEmbeddedRegions(script), (file) => (file === GENERATED ? read('nmae_src.c') : undefined));
    assert.deepEqual(
      placed.elsewhere.map((d) => [d.line, d.generated]),
      [[5, true]],
    );
  });

  test("the runtime's errors are not the script's: reported apart, once each", () => {
    assert.deepEqual(
      mapping.elsewhere.map((d) => `${path.basename(d.file)}:${d.line}`),
      ['stp_task_work.c:107', 'stp_task_work.c:13'],
    );
  });

  test('without the generated C, nothing is placed in the script', () => {
    const blind = mapCompileOutput(parseGccOutput(read('nmae.stderr')), script, scanEmbeddedRegions(script), () => undefined);
    assert.equal(blind.script.length, 0);
    assert.equal(blind.elsewhere.length, 3);
    assert.deepEqual(
      blind.elsewhere.map((d) => d.generated),
      [false, false, false],
    );
  });

  test('the same region copied twice into the generated C is found in both copies', () => {
    const code = '\n\tint x = y->nmae;\n';
    const text = `%{${code}%}\n`;
    const generated = `/* a */\n{${code}}\n/* b */\n{${code}}\n`;
    const second = generated.split('\n').findIndex((l, i) => i > 3 && l.includes('nmae')) + 1;
    const gcc = `/tmp/T/s.c:${second}:19: error: no member named 'nmae'\n`;
    const placed = mapCompileOutput(parseGccOutput(gcc), text, scanEmbeddedRegions(text), () => generated);
    assert.deepEqual(
      placed.script.map((d) => [d.start.line, d.start.character]),
      [[1, 11]],
    );
  });

  test("an unexported kernel function is placed at its first call in the script's C", () => {
    const text = 'function f:long () %{\n\tSTAP_RETVALUE = kallsyms_lookup_name("x");\n%}\n';
    const placed = mapCompileOutput(parseGccOutput('ERROR: modpost: "kallsyms_lookup_name" [/tmp/s.ko] undefined!\n'), text, scanEmbeddedRegions(text), () => undefined);
    assert.deepEqual(
      placed.script.map((d) => [d.start.line, d.start.character, d.end.character]),
      [[1, 17, 37]],
    );
  });
});

describe("the script's %{ %} regions", () => {
  test('found past comments and strings that mention %{', () => {
    const text = '# %{ not code\n// %{ nor this\n/* %{ */ probe begin { print("%{") }\n%{ int a; %}\nfunction f() %{ /* %} */ %}\n';
    const regions = scanEmbeddedRegions(text);
    assert.deepEqual(
      regions.map((r) => r.code),
      [' int a; ', ' /* '],
    );
    assert.equal(text.slice(regions[0].codeStart, regions[0].codeStart + 8), ' int a; ');
  });

  test('an unclosed region runs to the end, and the scan ends', () => {
    assert.deepEqual(
      scanEmbeddedRegions('%{ int a;').map((r) => r.code),
      [' int a;'],
    );
  });
});
