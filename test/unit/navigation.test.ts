// Outline, folding and Go to Definition, on the analysis of small scripts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { describe, test } from 'node:test';
import { DocumentHighlightKind, SymbolKind } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyze, AnalysisOptions } from '../../server/src/analysis/analyze';
import { findTapsetDir, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { EMPTY_INDEX } from '../../server/src/analysis/tapsetIndex';
import { definition } from '../../server/src/features/definition';
import { foldingRanges } from '../../server/src/features/folding';
import { highlights, invalidName, prepareRename, references, rename } from '../../server/src/features/references';
import { signatureHelp } from '../../server/src/features/signatureHelp';
import { documentSymbols } from '../../server/src/features/symbols';

const open = (text: string, options: AnalysisOptions = {}) => ({ document: TextDocument.create('file:///t.stp', 'systemtap', 1, text), analysis: analyze(text, options) });

const SCRIPT = `# Counts packets per device.
@define HALF(x) %( (@x) / 2 %)
global packets, total = 0

function devname:string(skb:long) %{
  snprintf(STAP_RETVALUE, MAXSTRINGLEN, "%s", "x");
%}

probe kernel.function("ip_output"),
      kernel.function("ip_finish_output") {
  packets[devname($skb)]++
  total += @HALF(2)
}

probe end {
  foreach (d in packets) printf("%s %d\\n", d, packets[d])
}
`;

describe('outline', () => {
  test('probes, functions, globals and macros, in text order, with signatures', () => {
    const { document, analysis } = open(SCRIPT);
    const symbols = documentSymbols(analysis, document).map((s) => [s.name, s.kind, s.detail ?? '', s.selectionRange.start.line]);
    assert.deepEqual(symbols, [
      ['@HALF', SymbolKind.Constant, '(x)', 1],
      ['packets', SymbolKind.Variable, 'global', 2],
      ['total', SymbolKind.Variable, 'global', 2],
      ['devname', SymbolKind.Function, '(skb:long):string %{ %}', 4],
      ['kernel.function("ip_output"), kernel.function("ip_finish_output")', SymbolKind.Event, '', 8],
      ['end', SymbolKind.Event, '', 14],
    ]);
  });
  test('a half-typed script still has an outline', () => {
    const { document, analysis } = open('global a\nfunction f(x) {\n  return x +\nprobe begin { f(1) }\n');
    const names = documentSymbols(analysis, document).map((s) => s.name);
    assert.ok(names.includes('a') && names.includes('f'), JSON.stringify(names));
  });
});

describe('folding', () => {
  test('functions, probes, %{ %}, %( %) branches and comment runs fold; closing lines stay', () => {
    const text = '// one\n// two\n// three\nprobe begin {\n  x = 1\n  exit()\n}\n%( kernel_v < "2.6" %?\nprobe end {\n  print(1)\n}\n%)\n';
    const { document, analysis } = open(text);
    const ranges = foldingRanges(analysis, document).map((r) => [r.startLine, r.endLine, r.kind ?? '']);
    assert.deepEqual(ranges, [
      [0, 2, 'comment'],
      [3, 5, ''],
      [7, 10, ''],
    ]);
  });
});

describe('go to definition', () => {
  const at = (text: string, needle: string, nth = 0, options: AnalysisOptions = {}) => {
    const { document, analysis } = open(text, options);
    let offset = -1;
    for (let i = 0; i <= nth; i++) offset = text.indexOf(needle, offset + 1);
    return definition(analysis, document, offset + 1, { macros: options.libraryMacros ?? new Map(), index: EMPTY_INDEX, readFile: (f) => fs.readFileSync(f, 'utf8') }).map((l) => [
      l.uri,
      l.range.start.line,
      l.range.start.character,
    ]);
  };
  test('a call goes to its function, a global to its declaration, an @macro to its @define', () => {
    assert.deepEqual(at(SCRIPT, 'devname($skb)'), [['file:///t.stp', 4, 9]]);
    assert.deepEqual(at(SCRIPT, 'packets[d]'), [['file:///t.stp', 2, 7]]);
    assert.deepEqual(at(SCRIPT, 'total +='), [['file:///t.stp', 2, 16]]);
    assert.deepEqual(at(SCRIPT, 'HALF(2)'), [['file:///t.stp', 1, 8]]);
  });
  test('nothing for locals, comments, strings and embedded C', () => {
    assert.deepEqual(at(SCRIPT, 'd in packets'), []);
    assert.deepEqual(at(SCRIPT, 'packets per device'), []);
    assert.deepEqual(at(SCRIPT, '"%s %d'), []);
    assert.deepEqual(at(SCRIPT, 'STAP_RETVALUE'), []);
  });
  const tapsetDir = findTapsetDir();
  test('a tapset library macro goes to its .stpm file', { skip: !tapsetDir && 'systemtap is not installed' }, () => {
    const libraryMacros = loadLibraryMacros(tapsetDir);
    const macro = libraryMacros.get('choose_defined');
    assert.ok(macro?.file, 'the installed tapsets define @choose_defined');
    const [[uri, line]] = at('probe begin { x = @choose_defined($y, 0) }\n', 'choose_defined', 0, { libraryMacros });
    assert.equal(uri, URI.file(macro.file).toString());
    assert.match(fs.readFileSync(macro.file, 'utf8').split('\n')[Number(line)], /@define choose_defined/);
  });
});

describe('references, highlights and rename', () => {
  const TEXT = 'global hits\nfunction bump(n) { hits += n; return hits }\nprobe begin { bump(1); bump(hits) }\nprobe end { hits = 0; x = 1; print(x) }\n';
  const spans = (ranges: { range: { start: { line: number; character: number } } }[]) => ranges.map((r) => `${r.range.start.line}:${r.range.start.character}`);
  test('a function: its declaration and every call; a global: every read and write', () => {
    const { document, analysis } = open(TEXT);
    assert.deepEqual(spans(references(analysis, document, TEXT.indexOf('bump(1)') + 1, true)), ['1:9', '2:14', '2:23']);
    assert.deepEqual(spans(references(analysis, document, TEXT.indexOf('bump(1)') + 1, false)), ['2:14', '2:23']);
    assert.deepEqual(spans(references(analysis, document, TEXT.indexOf('hits') + 1, true)), ['0:7', '1:19', '1:37', '2:28', '3:12']);
    assert.deepEqual(
      highlights(analysis, document, TEXT.indexOf('hits') + 1).map((h) => h.kind),
      [DocumentHighlightKind.Write, DocumentHighlightKind.Read, DocumentHighlightKind.Read, DocumentHighlightKind.Read, DocumentHighlightKind.Read],
    );
  });
  test('locals, library functions and keywords are not ours to rename', () => {
    const { document, analysis } = open(TEXT);
    assert.equal(prepareRename(analysis, document, TEXT.indexOf('x = 1') + 1), null);
    assert.equal(prepareRename(analysis, document, TEXT.indexOf('print(x)') + 1), null);
    assert.deepEqual(references(analysis, document, TEXT.indexOf('x = 1') + 1, true), []);
  });
  test('rename rewrites the declaration and every use; a bad name is refused', () => {
    const { document, analysis } = open(TEXT);
    const edit = rename(analysis, document, TEXT.indexOf('bump(1)') + 1, 'add_hits')!;
    assert.equal(
      TextDocument.applyEdits(document, edit.changes![document.uri]),
      'global hits\nfunction add_hits(n) { hits += n; return hits }\nprobe begin { add_hits(1); add_hits(hits) }\nprobe end { hits = 0; x = 1; print(x) }\n',
    );
    assert.match(invalidName('9lives')!, /not a SystemTap identifier/);
    assert.match(invalidName('probe')!, /keyword/);
    assert.equal(invalidName('fine_name'), undefined);
  });
});

describe('signature help', () => {
  const help = (text: string) => {
    const clean = text.replace('|', '');
    const { analysis } = open(clean);
    const h = signatureHelp(analysis, text.indexOf('|'), EMPTY_INDEX);
    return h && { label: h.signatures[0].label, active: h.activeParameter };
  };
  test('the active parameter of a half-typed call, nested calls and arrays included', () => {
    const fn = 'function add:long(a:long, b:long) { return a + b }\n';
    assert.deepEqual(help(`${fn}probe begin { x = add(1, |`), { label: 'add:long(a:long, b:long)', active: 1 });
    assert.deepEqual(help(`${fn}probe begin { x = add(f(1, 2), |) }`), { label: 'add:long(a:long, b:long)', active: 1 });
    assert.deepEqual(help(`${fn}probe begin { x = add(arr[1, 2]|) }`), { label: 'add:long(a:long, b:long)', active: 0 });
    assert.deepEqual(help('probe begin { printf("%d", |'), { label: 'printf(format:string, value, ...)', active: 1 });
  });
  test('nothing outside a call, after its body ends, or in embedded C', () => {
    assert.equal(help('probe begin { x = 1| }'), null);
    assert.equal(help('probe begin { if (x) { y = |'), null);
    assert.equal(help('function f() %{ g(1, | %}'), null);
  });
});
