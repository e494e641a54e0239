// Inlay hints with the inferred types: where they go, what they say, and
// where they must not appear (a written type, an unknown one, a half-typed file).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, EDITOR_LIMITS } from '../../server/src/analysis/analyze';
import { inferredTypeHintsOn, inlayHints } from '../../server/src/features/inlayHints';
import { TEST_LIBRARY } from '../support/semanticVerdict';

/** Each hint as `line:character label`. */
function hintsOf(text: string): string[] {
  const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
  return inlayHints(analyze(text, { librarySignatures: TEST_LIBRARY, limits: EDITOR_LIMITS }), document).map((h) => `${h.position.line}:${h.position.character} ${h.label as string}`);
}

describe('inlay hints: inferred types', () => {
  test('globals, locals, parameters and return types', () => {
    const text = ['global count, names', 'function f(a) { return sprintf("%d", a) }', 'probe begin { count = 1; s = f(2); names[s] = count }'].join('\n');
    assert.deepEqual(hintsOf(text), ['0:12 : long', '0:19 : long[string]', '1:12 : long', '1:13 : string', '2:26 : string']);
  });

  test('once per variable: after its first reference only', () => {
    const text = 'probe begin { x = 1; x = 2; print(x) }';
    assert.deepEqual(hintsOf(text), ['0:15 : long']);
  });

  test('none where the script wrote the type', () => {
    const text = 'function f:string(a:long) { return sprint(a) }\nprobe begin { print(f(1)) }';
    assert.deepEqual(hintsOf(text), []);
  });

  test('none for an unknown type, nor for a function that returns nothing', () => {
    // `y` takes its type from a target variable; `g` returns nothing.
    const text = 'function g() { }\nprobe kernel.function("f") { y = $x; g() }';
    assert.deepEqual(hintsOf(text), []);
  });

  test('after the size of a sized global array', () => {
    const text = 'global a[100]\nprobe begin { a["k"] = 1 }';
    assert.deepEqual(hintsOf(text), ['0:13 : long[string]']);
  });

  test('statistics', () => {
    assert.deepEqual(hintsOf('global s\nprobe begin { s <<< 1 }'), ['0:8 : stats']);
  });

  test('a range asks for the hints inside it only', () => {
    const text = 'global a\nprobe begin { a = 1; b = "s" }';
    const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
    const hints = inlayHints(analyze(text, {}), document, { start: { line: 1, character: 0 }, end: { line: 1, character: 40 } });
    assert.deepEqual(
      hints.map((h) => h.label),
      [': string'],
    );
  });

  test('the tooltip names the line that fixed the type', () => {
    const text = 'probe begin {\n  x = 1\n}';
    const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
    const [hint] = inlayHints(analyze(text, {}), document);
    assert.match((hint.tooltip as { value: string }).value, /local x: type inferred on line 2/);
  });

  test('half-typed files give what they can, and never throw', () => {
    const text = 'global n\nfunction f(a\nprobe begin { n = 1; x = ';
    for (let cut = 0; cut <= text.length; cut++) hintsOf(text.slice(0, cut));
    assert.ok(hintsOf(text).includes('0:8 : long'));
    // stap-check (no editor limits) reports only findings: it does not infer types it would throw away.
    assert.equal(analyze(text, {}).semantics?.references.size, 0);
    // No `)` yet: no return-type hint dangling in the parameter list.
    assert.ok(!hintsOf('function f(a\n{ return 1 }').some((h) => h.startsWith('0:')));
  });

  test('the setting is read as the client sends it', () => {
    assert.equal(inferredTypeHintsOn({ inferredTypes: true }), true);
    assert.equal(inferredTypeHintsOn({ inferredTypes: false }), false);
    assert.equal(inferredTypeHintsOn({ inferredTypes: 'yes' }), false);
    assert.equal(inferredTypeHintsOn(undefined), false);
  });
});
