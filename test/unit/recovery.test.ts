// Half-typed code: a declaration cut short, as while it is being typed, must
// not take the declarations after it with it. The first error stays where
// stap reports it (checked against the real stap in test/oracle/recovery.test.ts);
// the declarations after the cut keep their outline entries and hovers
// (real scripts cut at every kind of point: test/server/recoveryRealScripts.test.ts).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { findTapsetDir, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { hover } from '../../server/src/features/hover';
import { documentSymbols } from '../../server/src/features/symbols';
import { lex } from '../../server/src/syntax/lexer';
import { parse } from '../../server/src/syntax/parser';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { FOLLOWING, FOLLOWING_NAMES, RECOVERY_CASES } from '../support/recoveryCases';

const libraryMacros = loadLibraryMacros(findTapsetDir());

/** Outline entries from `from` on, their offsets moved back by `from`: comparable with those of FOLLOWING alone. */
function outlineFrom(text: string, from: number, guru: boolean) {
  const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
  const analysis = analyze(text, { syntaxOnly: true, guru, libraryMacros });
  return documentSymbols(analysis, document)
    .filter((s) => document.offsetAt(s.range.start) >= from)
    .map((s) => ({ name: s.name, kind: s.kind, detail: s.detail, start: document.offsetAt(s.range.start) - from, end: document.offsetAt(s.range.end) - from }));
}

function hoverAt(text: string, offset: number) {
  const analysis = analyze(text, { syntaxOnly: true, guru: true, libraryMacros });
  return hover(analysis, TextDocument.create('file:///t.stp', 'systemtap', 1, text), offset)?.contents;
}

describe('a declaration cut short above complete ones', () => {
  const whole = outlineFrom(FOLLOWING, 0, true);
  test('the declarations after the cut, alone, have the outline the cases expect', () => {
    assert.deepEqual(
      whole.map((s) => s.name),
      FOLLOWING_NAMES,
    );
  });

  for (const c of RECOVERY_CASES) {
    test(c.name, () => {
      const following = FOLLOWING + (c.after ?? '');
      const text = `${c.cut}\n${following}`;
      const from = c.cut.length + 1;
      const analysis = analyze(text, { syntaxOnly: true, guru: !!c.guru, libraryMacros });
      const [first] = analysis.findings.filter((f) => f.severity === 'error');
      assert.ok(first, 'the cut is an error');
      if (c.error !== 'eof') {
        const at = new LineIndex(text).positionAt(first.start);
        assert.deepEqual({ line: at.line + 1, column: at.character + 1 }, c.error, `first error: ${first.message}`);
      }
      const alone = outlineFrom(following, 0, true);
      const kept = c.kept ?? alone.map((s) => s.name);
      assert.deepEqual(
        outlineFrom(text, from, !!c.guru),
        alone.filter((s) => kept.includes(s.name)),
      );
      if (kept.includes('end')) {
        const call = FOLLOWING.indexOf('helper(@twice');
        assert.deepEqual(hoverAt(text, from + call), hoverAt(FOLLOWING, call));
      }
    });
  }
});

describe('where recovery resumes', () => {
  test('a line-initial keyword taken into a probe point: the error stays at the token after it, the next probe parses', () => {
    const text = 'probe syscall.\nprobe begin { println(execname()) }\n';
    const s = parse(text);
    assert.deepEqual(
      s.errors.map((e) => [text.slice(e.start, e.end), e.message]),
      [['begin', "expected '{', saw 'begin'"]],
    );
    assert.deepEqual(
      s.items.map((i) => [i.kind, text.slice(i.start, i.end)]),
      [['probe', 'probe begin { println(execname()) }']],
    );
  });

  test('a declaration that parsed with errors and took in the next one is read again up to it', () => {
    const text = 'probe kernel.function("f") { x = $p->\nprobe begin { y = 1 }\nfunction g() { }\n';
    const s = parse(text);
    assert.deepEqual(
      s.items.map((i) => [i.kind, text.slice(i.start, i.end)]),
      [
        ['probe', 'probe kernel.function("f") { x = $p->'],
        ['probe', 'probe begin { y = 1 }'],
        ['function', 'function g() { }'],
      ],
    );
    // stap's first error: `function` where a statement should be, in the probe it read on.
    assert.equal(text.slice(s.errors[0].start, s.errors[0].end), 'function');
  });

  test('a keyword that does not start a line is no place to resume', () => {
    const text = 'probe syscall. probe begin { println(1) }\nprobe end { }\n';
    const s = parse(text);
    assert.deepEqual(
      s.items.map((i) => text.slice(i.start, i.end)),
      ['probe end { }'],
    );
  });

  test('valid code with a declaration keyword at the start of a line inside a declaration is untouched', () => {
    // A probe point component named like a keyword, written on its own line.
    const text = 'probe kernel.\nfunction("f") { x = 1 }\n';
    const s = parse(text);
    assert.deepEqual(s.errors, []);
    assert.deepEqual(
      s.items.map((i) => i.kind),
      ['probe'],
    );
  });

  test('a declaration with warnings only is no failure: a keyword it took in as a member name stays one', () => {
    // Valid for stap: `$p->probe` on two lines; the deep parentheses only get a warning here.
    const text = 'probe kernel.function("f") {\n  x = $p->\nprobe\n  y = ((((1))))\n}\nprobe end { }\n';
    const s = parse(text, { maxNesting: 3 });
    assert.deepEqual(
      s.errors.map((e) => e.severity),
      ['warning'],
    );
    assert.deepEqual(
      s.items.map((i) => text.slice(i.start, i.end).split('\n')[0]),
      ['probe kernel.function("f") {', 'probe end { }'],
    );
  });

  test('after -> a keyword is a member name, where statement recovery does not stop', () => {
    const text = 'probe begin {\n  x = @nosuch->private->y\n  z = 1\n}\nprobe end { }\n';
    const s = parse(text, { libraryMacros, reportUnknownOperators: true });
    assert.equal(s.errors.length, 1);
    assert.deepEqual(
      s.items.map((i) => text.slice(i.start, i.end).split('\n')[0]),
      ['probe begin {', 'probe end { }'],
    );
  });

  test('an unclosed %{ ends before the next line that starts a declaration', () => {
    const text = 'function f() %{ int x;\n  if (x)\nprobe begin { }\n';
    const { tokens, errors } = lex(text);
    assert.equal(tokens[4].kind, 'embedded');
    assert.equal(tokens[4].text, '%{ int x;\n  if (x)');
    assert.deepEqual(
      errors.map((e) => e.message),
      ["unterminated embedded C, expected '%}'"],
    );
    assert.equal(tokens[5].text, 'probe');
  });

  test('an unclosed %{ closed by a later %} takes in what is between, as stap reads it', () => {
    const text = 'function f() %{ int x;\nprobe begin { }\nfunction g() %{ return; %}\n';
    const s = parse(text);
    assert.deepEqual(s.errors, []);
    assert.deepEqual(
      s.items.map((i) => i.kind),
      ['function'],
    );
  });

  test('an unclosed @define body ends before the next declaration; the macro is not defined', () => {
    const text = '@define m(a) %( (@a +\nprobe begin { println(1) }\n';
    const s = parse(text);
    assert.deepEqual(
      s.errors.map((e) => [text.slice(e.start, e.end), e.message]),
      [['m', "unterminated macro definition, expected '%)'"]],
    );
    assert.deepEqual(s.macros, []);
    assert.deepEqual(
      s.items.map((i) => i.kind),
      ['probe'],
    );
  });

  test('an unclosed macro argument list is reported at the use, and ends before the next declaration', () => {
    const text = '@define m(a) %( @a %)\nprobe begin { x = @m(1 +\nprobe end { println(2) }\n';
    const s = parse(text);
    assert.equal(text.slice(s.errors[0].start, s.errors[0].end), '@m');
    assert.equal(s.errors[0].message, 'could not find end of macro invocation');
    assert.deepEqual(
      s.items.map((i) => text.slice(i.start, i.end).split('\n')[0]),
      ['probe begin { x =', 'probe end { println(2) }'],
    );
  });

  test('an unclosed comment makes the rest of the file a comment, as for stap', () => {
    const text = 'probe begin { }\n/* half typed\nprobe end { }\n';
    const s = parse(text);
    assert.deepEqual(
      s.errors.map((e) => e.severity),
      ['warning'],
    );
    assert.equal(s.items.length, 1);
  });
});
