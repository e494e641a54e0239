// Calls to functions that exist nowhere, caught before stap's pass 2.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../../server/src/analysis/analyze';
import { codeActions } from '../../server/src/features/codeActions';
import { toDiagnostics } from '../../server/src/features/diagnostics';

const LIBRARY = new Set(['execname', 'pid', 'gettimeofday_us', 'exit']);
const unknown = (text: string, options: { libraryFunctions?: ReadonlySet<string> } = { libraryFunctions: LIBRARY }) =>
  analyze(text, options)
    .findings.filter((f) => f.code === 'function-unknown')
    .map((f) => [text.slice(f.start, f.end), f.replacement]);

describe('unknown functions', () => {
  test('a typo of a library function, with the nearest name', () => {
    assert.deepEqual(unknown('probe begin { println(execnme()); exit() }\n'), [['execnme', 'execname']]);
  });
  test('script functions, library functions and the printing built-ins are known', () => {
    assert.deepEqual(unknown('function f(x) { return x }\nprobe begin { printf("%d %s\\n", f(pid()), sprintf("%d", 1)); printdln(",", 1, 2); exit() }\n'), []);
  });
  test('a function defined after its use is known', () => {
    assert.deepEqual(unknown('probe begin { g() }\nfunction g() { }\n'), []);
  });
  test('calls from a macro expansion and `$N(...)` are not judged', () => {
    assert.deepEqual(unknown('@define M %( nosuch() %)\nprobe begin { @M }\n'), []);
    assert.deepEqual(unknown('probe begin { println($1(1)) }\n'), []);
  });
  test('without the library index nothing is checked', () => {
    assert.deepEqual(unknown('probe begin { nosuch() }\n', {}), []);
    assert.deepEqual(unknown('probe begin { nosuch() }\n'), [['nosuch', undefined]]);
  });
  test('published as a warning, with a quick fix to the nearest name', () => {
    const text = 'probe begin { println(execnme()) }\n';
    const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
    const analysis = analyze(text, { libraryFunctions: LIBRARY });
    const [d] = toDiagnostics(analysis, document).filter((x) => x.code === 'function-unknown');
    assert.equal(d.severity, 2);
    assert.match(d.message, /unknown function 'execnme'.*did you mean 'execname'/);
    const [fix] = codeActions(analysis, document, d.range, [d]);
    assert.equal(fix.title, 'Change to execname');
    assert.equal(TextDocument.applyEdits(document, fix.edit!.changes![document.uri]), 'probe begin { println(execname()) }\n');
  });
});
