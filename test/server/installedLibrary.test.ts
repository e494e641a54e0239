// The tapset library index and what it feeds: hover, Go to Definition and
// completion for library functions and probe aliases, from the installed
// tapsets (kernel-doc comments alone: test/unit/kernelDoc.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, test } from 'node:test';
import { CompletionItem, Hover } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyze } from '../../server/src/analysis/analyze';
import { buildTapsetIndex, EMPTY_INDEX, TapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { parse } from '../../server/src/syntax/parser';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { machineTarget } from '../../server/src/analysis/target';
import { definition } from '../../server/src/features/definition';
import { hover } from '../../server/src/features/hover';
import { completeScript, resolveCompletion } from '../../server/src/features/scriptCompletion';

const tapsetDir = findTapsetDir();
let index: TapsetIndex = EMPTY_INDEX;
let macros = new Map();
before(async () => {
  macros = loadLibraryMacros(tapsetDir);
  index = await buildTapsetIndex(tapsetDir, 'x86_64', machineTarget({ arch: 'x86_64' }), macros);
});

const open = (text: string) => ({ document: TextDocument.create('file:///t.stp', 'systemtap', 1, text), analysis: analyze(text, { libraryMacros: macros }) });
const offsetOf = (text: string, needle: string, delta = 1) => text.indexOf(needle) + delta;
const hoverText = (h: Hover | null) => (h ? (h.contents as { value: string }).value : undefined);
const lineOf = (file: string, line: number) => fs.readFileSync(file, 'utf8').split('\n')[line];

describe('the installed tapset library', { skip: !tapsetDir && 'systemtap is not installed' }, () => {
  test('indexes hundreds of functions and thousands of probe aliases, each at its name', () => {
    assert.ok(index.functions.size > 500, `${index.functions.size} functions`);
    assert.ok(index.probes.size > 1000, `${index.probes.size} probe aliases`);
    for (const [name, fns] of [...index.functions].filter((_, i) => i % 7 === 0)) {
      for (const f of fns) assert.equal(lineOf(f.at.file, f.at.line).slice(f.at.character, f.at.character + f.at.length), name, `${name} in ${f.at.file}:${f.at.line + 1}`);
    }
    const [open2] = index.probes.get('syscall.open')!;
    assert.match(lineOf(open2.at.file, open2.at.line), /^probe syscall\.open =/);
  });

  test('hover on a library function: its signature, its kernel-doc, its file', () => {
    const text = 'probe begin { printf("%s %d\\n", execname(), task_pid(task_current())) }\n';
    const { document, analysis } = open(text);
    const exec = hoverText(hover(analysis, document, offsetOf(text, 'execname'), index));
    assert.match(exec!, /function execname:string\(\)/);
    assert.match(exec!, /Returns the execname of a target process/);
    assert.match(exec!, /Defined in `tapset\/linux\/context\.stp`/);
    assert.match(hoverText(hover(analysis, document, offsetOf(text, 'task_pid'), index))!, /- `task`: task_struct pointer/);
    assert.equal(hover(analysis, document, offsetOf(text, '%s'), index), null, 'nothing in a string');
  });

  test('hover on a probe alias, and a script function shadows the library', () => {
    const text = 'function execname() { return "mine" }\nprobe ioblock.request { print(execname()) }\n';
    const { document, analysis } = open(text);
    assert.match(hoverText(hover(analysis, document, offsetOf(text, 'ioblock.request'), index))!, /Fires whenever making a generic block I\/O request/);
    assert.match(hoverText(hover(analysis, document, offsetOf(text, 'execname())'), index))!, /^```systemtap\nfunction execname\(\)\n```\n\nInferred: `execname:string\(\)`/);
  });

  test('Go to Definition into the tapset files', () => {
    const text = 'probe syscall.open { println(execname()) }\n';
    const { document, analysis } = open(text);
    const library = { macros, index, readFile: (f: string) => fs.readFileSync(f, 'utf8') };
    const [fn] = definition(analysis, document, offsetOf(text, 'execname'), library);
    assert.match(lineOf(URI.parse(fn.uri).fsPath, fn.range.start.line), /^function execname:string \(\)/);
    const [alias] = definition(analysis, document, offsetOf(text, 'syscall.open', 3), library);
    assert.match(lineOf(URI.parse(alias.uri).fsPath, alias.range.start.line), /^probe syscall\.open =/);
  });

  const labels = (items: CompletionItem[]) => items.map((i) => i.label);
  const completeAt = (text: string, marker = '|') => {
    const clean = text.replace(marker, '');
    const { document, analysis } = open(clean);
    return completeScript(analysis, document, text.indexOf(marker), index);
  };

  test('after probe: built-in probe points, then the tapset aliases one level at a time, replacing the dotted word', () => {
    const top = completeAt('probe |');
    const l = labels(top);
    assert.ok(l.includes('begin') && l.includes('kernel.function') && l.includes('syscall') && l.includes('ioblock'), l.slice(0, 30).join());
    assert.ok(!l.includes('syscall.open'), 'one level at a time');
    const syscall = top.find((i) => i.label === 'syscall')!;
    assert.equal((syscall.textEdit as { newText: string }).newText, 'syscall', 'no `.` of its own: a `.` typed after it must not make `syscall..`');
    assert.deepEqual(syscall.commitCharacters, ['.']);
    assert.equal(syscall.command?.command, 'editor.action.triggerSuggest', 'a level opens the next one');
    assert.ok(labels(completeAt('probe syscall|')).includes('syscall.open'), 'the level name as accepting it leaves it opens the level below');
    const sys = completeAt('probe syscall.op|');
    const open2 = sys.find((i) => i.label === 'syscall.open');
    assert.ok(open2 && 'range' in open2.textEdit! && open2.textEdit.range.start.character === 6, JSON.stringify(open2?.textEdit));
    assert.ok(sys.length < 1000, `${sys.length} items under syscall.`);
    assert.ok(labels(completeAt('probe begin, timer.|')).includes('timer.ms'));
    assert.ok(!labels(completeAt('probe begin { x = 1; syscall.|')).includes('syscall.open'), 'not in a body');
  });

  test('documentation comes on resolve, keeping the list small', () => {
    const sys = completeAt('probe ioblock.|');
    const request = sys.find((i) => i.label === 'ioblock.request')!;
    assert.equal(request.documentation, undefined);
    assert.match((resolveCompletion(request, index).documentation as { value: string }).value, /Fires whenever making a generic block I\/O request/);
    const exec = completeAt('probe begin { ex| }').find((i) => i.label === 'execname')!;
    assert.match((resolveCompletion(exec, index).documentation as { value: string }).value, /function execname:string\(\)/);
    assert.ok(JSON.stringify(completeAt('probe |')).length < 100_000, 'the list after probe stays small');
  });

  test("in a body: the script's functions and globals first, then library functions as call snippets, then keywords", () => {
    const items = completeAt('global counts\nfunction mine(a, b) { return a + b }\nprobe begin { ex| }\n');
    const l = labels(items);
    for (const name of ['counts', 'mine', 'execname', 'foreach']) assert.ok(l.includes(name), name);
    assert.ok(!l.includes('_stp_task_work_init') && !l.some((x) => String(x).startsWith('__')), 'library internals stay hidden');
    assert.equal(items.find((i) => i.label === 'mine')?.insertText, 'mine(${1}, ${2})');
    assert.equal(items.find((i) => i.label === 'execname')?.insertText, 'execname()');
    const sorted = [...items].sort((a, b) => a.sortText!.localeCompare(b.sortText!));
    assert.deepEqual(labels(sorted.slice(0, 2)).sort(), ['counts', 'mine']);
  });

  test('nothing in comments, strings or embedded C; after @ no functions', () => {
    assert.deepEqual(completeAt('# ex|\nprobe begin {}\n'), []);
    assert.deepEqual(completeAt('probe begin { print("ex|") }\n'), []);
    assert.deepEqual(completeAt('function f() %{ ex| %}\n'), []);
    assert.ok(
      completeAt('probe begin { x = @ex| }\n').every((i) => i.label.startsWith('@')),
      'after @ only @ operators and macros',
    );
  });
});

describe('installed tapset library, parsed', { skip: !tapsetDir && 'no tapset library installed' }, () => {
  test('every tapset file parses with zero errors', () => {
    const macros = loadLibraryMacros(tapsetDir);
    const failures: string[] = [];
    const files = listFiles(tapsetDir!, ['.stp', '.stpm']);
    assert.ok(files.length > 500, `only ${files.length} tapset files found`);
    for (const file of files) {
      const text = fs.readFileSync(file, 'utf8');
      const s = parse(text, { libraryMacros: macros });
      for (const e of s.errors) failures.push(`${file}:${new LineIndex(text).positionAt(e.start).line + 1}: ${e.message}`);
    }
    assert.deepEqual(failures, []);
  });
});
