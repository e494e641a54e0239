// The guru-mode finding: one readable sentence naming everything that needs
// -g, each place listed as related information (clickable under the
// diagnostic in VS Code, `note:` lines in stap-check's output).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { Finding } from '../../server/src/analysis/diagnostic';
import { describeReasons, guruReasons, MAX_LISTED_REASONS } from '../../server/src/analysis/guruMode';
import { findEmbeddedRegions } from '../../server/src/embedded/regions';
import { checkText } from '../../server/src/cli/checkFiles';
import { textReport } from '../../server/src/cli/output';
import { toDiagnostics } from '../../server/src/features/diagnostics';
import { parse } from '../../server/src/syntax/parser';

const guruFinding = (text: string): Finding => {
  const found = analyze(text).findings.filter((f) => f.code === 'guru-mode-required');
  assert.equal(found.length, 1, `one guru finding, got ${found.length}`);
  return found[0];
};
const at = (text: string, f: { start: number; end: number }) => text.slice(f.start, f.end);

// Six places need guru mode: three %{ %} blocks, two writes and an @const.
const SCRIPT = [
  '%{ #include <linux/netdevice.h> %}', // 0
  'function a() %{ %}',
  'probe kernel.function("x") { $y = 1; $z++; print(@const("HZ")) }',
  'function b() %{ %}',
  '',
].join('\n');

describe('guru mode message', () => {
  test('says what needs guru mode, grouped, in the order it appears, and how to run it', () => {
    const f = guruFinding(SCRIPT);
    assert.equal(f.message, "this script needs guru mode for embedded C ('%{ %}', 3 blocks), writing target variables ($y, $z) and @const: run it with 'stap -g'");
    assert.equal(f.severity, 'information');
    assert.equal(at(SCRIPT, f), '%{');
    assert.equal(f.start, 0);
  });

  test('every place is listed as related information, in text order, each saying what it is', () => {
    const related = guruFinding(SCRIPT).related!;
    assert.deepEqual(
      related.map((r) => [at(SCRIPT, r), r.message]),
      [
        ['%{', "embedded C ('%{ %}') needs guru mode"],
        ['%{', "embedded C ('%{ %}') needs guru mode"],
        ['$y', 'writing the target variable $y needs guru mode'],
        ['$z', 'writing the target variable $z needs guru mode'],
        ['@const', '@const needs guru mode'],
        ['%{', "embedded C ('%{ %}') needs guru mode"],
      ],
    );
    assert.deepEqual(
      related.map((r) => SCRIPT.slice(0, r.start).split('\n').length),
      [1, 2, 3, 3, 3, 4],
    );
  });

  test('with a #! line lacking -g: a warning naming the line first, then the places', () => {
    const text = '#!/usr/bin/stap -v\n' + SCRIPT;
    const f = guruFinding(text);
    assert.equal(f.severity, 'warning');
    assert.match(f.message, /^this script needs guru mode for embedded C \('%\{ %\}', 3 blocks\), writing target variables \(\$y, \$z\) and @const, but its '#!' line runs stap without -g/);
    assert.equal(f.related![0].message, "the '#!' line runs stap without -g");
    assert.equal(at(text, f.related![0]), '#!/usr/bin/stap -v');
    assert.equal(f.related!.length, 7);
  });

  test('one place: a short sentence, no list repeating the diagnostic itself', () => {
    const f = guruFinding('function f() %{ %}\n');
    assert.equal(f.message, "this script needs guru mode for embedded C ('%{ %}'): run it with 'stap -g'");
    assert.equal(f.related, undefined);
    const w = guruFinding('#!/usr/bin/stap\nprobe kernel.function("f") { $count = 0 }\n');
    assert.match(w.message, /^this script needs guru mode for writing the target variable \$count, but its '#!' line/);
    assert.deepEqual(
      w.related!.map((r) => r.message),
      ["the '#!' line runs stap without -g"],
    );
  });

  test('thousands of blocks: the list stops, and says how many more and where the last is', () => {
    const text = 'function f() %{ %}\n'.repeat(MAX_LISTED_REASONS + 30);
    const related = guruFinding(text).related!;
    assert.equal(related.length, MAX_LISTED_REASONS + 1);
    assert.equal(related[MAX_LISTED_REASONS].message, 'and 30 more places that need guru mode, the last of them here');
    assert.equal(related[MAX_LISTED_REASONS].start, text.lastIndexOf('%{'));
  });
});

describe('describeReasons', () => {
  const describe1 = (text: string) => {
    const script = parse(text);
    return describeReasons(guruReasons(script, findEmbeddedRegions(script)));
  };
  test('counts repeated writes and operators; long name lists are cut', () => {
    assert.equal(describe1('probe kernel.function("x") { $y = 1; $y = 2 }\n'), 'writing the target variable $y (2 times)');
    assert.equal(describe1('probe begin { print(@const("A"), @const("B"), @kregister(0)) }\n'), '@const (2 times) and @kregister');
    assert.equal(describe1('probe kernel.function("x") { $a = 1; $b = 1; $c = 1; $d = 1; $e = 1 }\n'), 'writing target variables ($a, $b, $c, 2 more)');
    assert.equal(describe1('probe kernel.function("x") { $a = 1; $b->c = 1 }\n'), 'writing target variables ($a, $b)');
  });
});

describe('related information reaches the editor and stap-check', () => {
  test('LSP diagnostics carry each place as related information with its range', () => {
    const document = TextDocument.create('file:///g.stp', 'systemtap', 1, SCRIPT);
    const d = toDiagnostics(analyze(SCRIPT), document).find((x) => x.code === 'guru-mode-required')!;
    assert.equal(d.relatedInformation?.length, 6);
    const writeY = d.relatedInformation![2];
    assert.equal(writeY.location.uri, 'file:///g.stp');
    assert.deepEqual(writeY.location.range, { start: { line: 2, character: 29 }, end: { line: 2, character: 31 } });
    assert.equal(writeY.message, 'writing the target variable $y needs guru mode');
  });

  test('stap-check text: the finding, then one note line per place, gcc style', () => {
    const lines = textReport([checkText('g.stp', SCRIPT, {})])
      .trimEnd()
      .split('\n');
    assert.equal(lines[0], "g.stp:1:1: info: this script needs guru mode for embedded C ('%{ %}', 3 blocks), writing target variables ($y, $z) and @const: run it with 'stap -g' [guru-mode-required]");
    assert.deepEqual(lines.slice(1), [
      "g.stp:1:1: note: embedded C ('%{ %}') needs guru mode",
      "g.stp:2:14: note: embedded C ('%{ %}') needs guru mode",
      'g.stp:3:30: note: writing the target variable $y needs guru mode',
      'g.stp:3:38: note: writing the target variable $z needs guru mode',
      'g.stp:3:50: note: @const needs guru mode',
      "g.stp:4:14: note: embedded C ('%{ %}') needs guru mode",
    ]);
  });

  test('stap-check JSON keeps the related places as ranges', () => {
    const report = checkText('g.stp', SCRIPT, {});
    const d = report.diagnostics.find((x) => x.code === 'guru-mode-required')!;
    assert.deepEqual(d.related![0], { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, message: "embedded C ('%{ %}') needs guru mode" });
    assert.equal(JSON.parse(JSON.stringify(report)).diagnostics[0].related.length, 6);
  });

  test('control characters in a related message stay escaped', () => {
    const out = textReport([
      {
        file: 'x.stp',
        diagnostics: [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } },
            severity: 'error',
            code: 'syntax',
            message: 'm',
            related: [{ range: { start: { line: 1, character: 2 }, end: { line: 1, character: 3 } }, message: 'a\nb\x1b' }],
          },
        ],
      },
    ]);
    assert.equal(out, 'x.stp:1:1: error: m [syntax]\nx.stp:2:3: note: a\\nb\\x1b\n');
  });
});
