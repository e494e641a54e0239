// Completion after `$` and `@` beyond the kernel's names: the script
// arguments (with the last run's values), the `$$` names only in probes that
// have target variables, `$value` in procfs probes, and the library's macros.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { completionList, CompletionExtras } from '../../server/src/features/completion';
import { parse } from '../../server/src/syntax/parser';

const LIBRARY_MACROS = new Map(parse('@define choose_defined(value_if_defined, alternate) %( 1 %)\n@define __internal %( 2 %)\n').macros.map((m) => [m.name, { ...m, file: '/tapset/x.stpm' }]));

function itemsAt(marked: string, extras: CompletionExtras = {}, trigger?: string) {
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
  return completionList(analyze(text, {}), document, offset, undefined, trigger, undefined, extras).items;
}
const labelsAt = (marked: string, extras?: CompletionExtras, trigger?: string) => itemsAt(marked, extras, trigger).map((i) => i.label);

describe('$ outside kernel probes', () => {
  test('in begin, end and timer probes: the script arguments only', () => {
    assert.deepEqual(labelsAt('probe begin { x = $|', {}, '$'), ['$1', '$#']);
    assert.deepEqual(labelsAt('probe timer.s(1) { x = $|'), ['$1', '$#']);
  });

  test('up to the highest the script names, or the last run gave, with its values', () => {
    assert.deepEqual(labelsAt('probe begin { x = $3; y = $|'), ['$1', '$2', '$3', '$#']);
    const items = itemsAt('probe begin { x = $|', { scriptArgs: ['100', 'eth0'] });
    assert.deepEqual(
      items.map((i) => [i.label, i.detail]),
      [
        ['$1', 'last run: "100"'],
        ['$2', 'last run: "eth0"'],
        ['$#', 'last run: 2'],
      ],
    );
  });

  test('in a function: no probe point, so no $$ names', () => {
    assert.deepEqual(labelsAt('function f() { return $|'), ['$1', '$#']);
  });

  test('$value in procfs probes', () => {
    assert.deepEqual(labelsAt('probe procfs("x").write { v = $|'), ['$value', '$1', '$#']);
  });

  test('$$return only in .return probes of code that has target variables', () => {
    const labels = labelsAt('probe process("/bin/ls").function("main").return { $|');
    assert.ok(labels.includes('$$return') && labels.includes('$$parms') && labels.includes('$1'), labels.join());
  });

  test('half-typed: a probe without its closing brace still knows what it is', () => {
    assert.deepEqual(labelsAt('probe end { if (x) { y = $|\n'), ['$1', '$#']);
  });
});

describe('@ beyond the operators', () => {
  test("the library's macros with their parameters, not its internals", () => {
    const items = itemsAt('probe begin { x = @|', { libraryMacros: LIBRARY_MACROS });
    const choose = items.find((i) => i.label === '@choose_defined');
    assert.ok(choose, items.map((i) => i.label).join());
    assert.equal(choose.textEdit?.newText, '@choose_defined(${1:value_if_defined}, ${2:alternate})');
    assert.match(choose.detail!, /library macro \(x\.stpm\)/);
    assert.ok(!items.some((i) => i.label === '@__internal'));
  });

  test("a script's own macro hides the library's of the same name", () => {
    const items = itemsAt('@define choose_defined(a) %( @a %)\nprobe begin { x = @|', { libraryMacros: LIBRARY_MACROS });
    const chooses = items.filter((i) => i.label === '@choose_defined');
    assert.equal(chooses.length, 1);
    assert.equal(chooses[0].detail, 'macro');
  });

  test('every @ operator of stap 4.8, with its doc, and the script arguments as strings', () => {
    const items = itemsAt('probe begin { x = @|', { scriptArgs: ['a'] });
    const labels = items.map((i) => i.label);
    for (const op of [
      '@count',
      '@sum',
      '@min',
      '@max',
      '@avg',
      '@variance',
      '@hist_log',
      '@hist_linear',
      '@cast',
      '@var',
      '@defined',
      '@entry',
      '@perf',
      '@kregister',
      '@uregister',
      '@kderef',
      '@uderef',
      '@probewrite',
      '@const',
    ]) {
      const item = items.find((i) => i.label === op);
      assert.ok(item?.documentation, op);
    }
    assert.ok(labels.includes('@1') && labels.includes('@#'), labels.join());
  });
});
