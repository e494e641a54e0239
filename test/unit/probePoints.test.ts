// Probe points as stap's pass 2 resolves them: the "similar" list computed as
// stap computes it, the errors at stap's locations, the quick fix, and what
// must stay silent (optional points, aliases of include folders, half-typed
// points, no library, script arguments, what lies past an alias).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Diagnostic, Range } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, AnalysisOptions } from '../../server/src/analysis/analyze';
import { stapEditScore, stapSimilar } from '../../server/src/analysis/semantic/stapSimilar';
import { codeActions } from '../../server/src/features/codeActions';
import { semanticErrors, TEST_LIBRARY_PROBES } from '../support/semanticVerdict';

const pointFindings = (text: string, options: Partial<AnalysisOptions> = {}) =>
  analyze(text, { libraryProbes: TEST_LIBRARY_PROBES, ...options }).findings.filter((f) => f.code.startsWith('probe-point'));
const messages = (text: string, options: Partial<AnalysisOptions> = {}) => pointFindings(text, options).map((f) => `${f.severity} ${f.message}`);
const located = (text: string) => semanticErrors(text).map((e) => `${e.line}:${e.column} ${e.code}`);

describe("stap's similar list", () => {
  test('edits cost 2, edits before the first character 1, a change of case 1', () => {
    assert.equal(stapEditScore('open', 'open'), 0);
    assert.equal(stapEditScore('opne', 'open'), 4);
    assert.equal(stapEditScore('opne', 'clone'), 4); // "cl" before the start: 1 each, then one deletion
    assert.equal(stapEditScore('MS', 'ms'), 2);
    assert.equal(stapEditScore('', 'abc'), 3);
  });
  test('lowest scores first, ties in byte order, five at most', () => {
    // What stap 4.8 prints for `syscall.opne` among these.
    assert.deepEqual(stapSimilar('opne', ['pipe', 'open', 'mount', 'iopl', 'clone', 'write', 'openat']), ['clone', 'open', 'iopl', 'mount', 'pipe']);
    assert.deepEqual(stapSimilar('b', ['c', 'B', 'a']), ['B', 'a', 'c']);
    assert.deepEqual(stapSimilar('x', []), []);
  });
});

describe('probe points: errors with stap words, at stap locations', () => {
  test('a misspelt component, with the similar names of its level', () => {
    // As stap 4.8 prints it for `timer.mss(10)`.
    assert.deepEqual(messages('probe timer.mss(10) { }\n'), ['error probe point mismatch (similar: ms, s, ns, us, msec)']);
    assert.deepEqual(located('probe procfs.reed { $value = "1" }\n'), ['1:14 probe-point-unknown']);
  });
  test('the first component naming nothing known is a warning: a tapset folder of the user may define it', () => {
    const [finding] = pointFindings('probe game.kbd { }\n');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /^probe point mismatch \(similar: .*\); tapsets of your own: add their folder to systemtap.includePaths/);
  });
  test('a known name with a parameter of the wrong kind is an error', () => {
    assert.deepEqual(messages('probe begin("x") { }\n'), ['error probe point mismatch (similar: begin, end, init, vm, never)']);
  });
  test('the point is related information where the component is not its start', () => {
    const [finding] = pointFindings('probe syscall.opne { }\n');
    assert.deepEqual(finding.related, [{ start: 6, end: 18, message: 'while resolving probe point' }]);
  });
  test('a point cut short lists what may follow, as stap does', () => {
    assert.deepEqual(messages('probe procfs("f") { }\n'), ['error probe point truncated (follow:  read umask(number) write)']);
  });
  test('components after a complete point of stap own', () => {
    assert.deepEqual(located('probe kernel.function("f").foo { }\n'), ['1:28 probe-point-unknown']);
    assert.deepEqual(messages('probe begin.foo { }\n'), ['error invalid suffix for probe']);
  });
  test('points that need debuginfo are judged by their form only', () => {
    assert.deepEqual(messages('probe kernel.function("f"), module("m").function("g").return, process("/bin/ls").function("main") { }\n'), []);
    assert.deepEqual(messages('probe kernel.trace(1) { }\n'), ['error probe point mismatch (similar: trace, data, mark, function, statement)']);
  });
  test('values the builders refuse, at the point', () => {
    assert.deepEqual(located('probe begin, timer.ms(0) { }\n'), ['1:14 probe-point-invalid']);
    assert.deepEqual(messages('probe timer.ns(1) { }\n'), ['error interval value out of range (100000, 86400000000000)']);
    assert.deepEqual(messages('probe timer.ms(1).randomize(2) { }\n'), ['error randomization value out of range']);
    assert.deepEqual(messages('probe timer.jiffies(1000001) { }\n'), ['error invalid interval for jiffies timer']);
    assert.deepEqual(messages('probe procfs("a/./b").read { }\n'), ["error procfs path cannot be relative (and contain '.' or '..')"]);
    assert.deepEqual(messages('probe timer.s(1).randomize(1), timer.ms(0x10), procfs("a/b").umask(0777).write { }\n'), []);
  });
  test('netfilter names without guru mode: the priority first, then the hook, then the family', () => {
    const nf = (rest: string, options: Partial<AnalysisOptions> = {}) => messages(`probe netfilter.${rest} { }\n`, options);
    assert.deepEqual(nf('hook("BOGUS").pf("NFPROTO_IPV4")'), ['error unsupported netfilter hook "BOGUS" for protocol family "2"; need stap -g']);
    assert.deepEqual(nf('pf("2").hook("NF_INET_LOCAL_IN")'), ['error unsupported netfilter protocol family "2"; need stap -g']);
    assert.deepEqual(nf('hook("BOGUS").pf("BOGUS").priority("y")'), ['error unsupported netfilter priority "y" for protocol family "BOGUS"; need stap -g']);
    assert.deepEqual(nf('hook("NF_ARP_IN").pf("NFPROTO_ARP").priority("NF_IP_PRI_FIRST")'), ['error unsupported netfilter priority "NF_IP_PRI_FIRST" for protocol family "3"; need stap -g']);
    // What C++ reads as a 32-bit number to the end (stap 4.8 measured): blanks before, a sign, decimal digits.
    for (const ok of [' 5', '+5', '-0', '010', '2147483647', '-2147483648', 'NF_IP_PRI_LAST']) assert.deepEqual(nf(`hook("NF_IP_FORWARD").pf("NFPROTO_IPV4").priority("${ok}")`), [], ok);
    for (const bad of ['5 ', '0x10', '2147483648', '-2147483649', '']) assert.equal(nf(`hook("NF_IP_FORWARD").pf("NFPROTO_IPV4").priority("${bad}")`).length, 1, bad);
  });
  test('netfilter names in guru mode: any, as stap -g hands them to the C compiler', () => {
    const text = 'probe netfilter.hook("NF_INET_INGRESS").pf("NFPROTO_INET").priority("NF_IP_PRI_RAW_BEFORE_DEFRAG") { }\n';
    assert.equal(messages(text).length, 1);
    assert.deepEqual(messages(text, { guru: true }), []);
    assert.deepEqual(messages(`#!/usr/bin/stap -vg\n${text}`), []);
    assert.deepEqual(messages(`#!/usr/bin/env -S stap -g\n${text}`), []);
    assert.equal(messages(`#!/usr/bin/stap -v\n${text}`).length, 1);
  });
  test('one error for each point that fails', () => {
    assert.deepEqual(located('probe timer.ms(0), begn, timer.hz(0) { }\n'), ['1:7 probe-point-invalid', '1:20 probe-point-unknown', '1:26 probe-point-invalid']);
  });
  test('globs: a match anywhere is enough; none is stap error, suggested by what comes before the glob', () => {
    assert.deepEqual(messages('probe syscall.*, syscall.open*, ti*.ms(1), begi* { }\n'), []);
    assert.deepEqual(messages('probe syscall.zz* { }\n'), ["error probe point mismatch: didn't find any wildcard matches (similar: exit, open, close)"]);
    assert.deepEqual(messages('probe timer.m* { }\n'), ["error probe point mismatch: didn't find any wildcard matches (similar: ms, s, hz, ns, us)"]);
    assert.deepEqual(messages('probe nev**x { }\n').length, 1);
  });
});

describe('probe points: silent where stap says nothing or this analysis cannot know', () => {
  test('optional and sufficient points', () => {
    assert.deepEqual(messages('probe syscall.opne ?, begn !, timer.ms(0) ?, netfilter.hook("x").pf("y") ? { }\n'), []);
  });
  test('aliases of the library, of include folders (they are in the index) and of the script', () => {
    const probes = new Map([...TEST_LIBRARY_PROBES, ['mytap.event', []]]);
    assert.deepEqual(messages('probe mytap.event, syscall.open.return, init { }\n', { libraryProbes: probes }), []);
    assert.deepEqual(messages('probe my.alias = begin { }\nprobe my.alias, my.* { }\n'), []);
  });
  test('an alias under a false %( %) condition does not exist; under a true one it does', () => {
    assert.deepEqual(messages('%( kernel_v >= "2.6" %? probe my.a = begin { } %)\nprobe my.a { }\n'), []);
    assert.deepEqual(messages('%( kernel_v < "2.6" %? probe my.a = begin { } %)\nprobe my.a { }\n').length, 1);
  });
  test('what follows an alias is its expansion business', () => {
    assert.deepEqual(messages('probe syscall.open.foo, timer.profile.x { }\n'), []);
  });
  test('half-typed points are syntax errors only', () => {
    for (const text of ['probe syscall. { }\n', 'probe timer.ms( { }\n', 'probe begn', 'probe procfs("f").', 'probe {begn'])
      assert.deepEqual(
        pointFindings(text).map((f) => f.message),
        [],
        text,
      );
  });
  test('without the library only the values of stap own points are judged', () => {
    assert.deepEqual(messages('probe begn, syscall.opne, timer.mss(1) { }\n', { libraryProbes: undefined }), []);
    assert.deepEqual(messages('probe timer.ms(0) { }\n', { libraryProbes: undefined }), ['error interval value out of range (1, 86400000)']);
  });
  test('parameters that are script arguments, alternatives in braces, families of other builds', () => {
    assert.deepEqual(messages('probe timer.ms($1), procfs(@1).read { }\n'), []);
    assert.deepEqual(messages('probe {begn, end} { }\n'), []);
    assert.deepEqual(messages('probe java("x").class("y").method("z") { }\n'), []);
  });
  test('globs over globs are given up on, not followed through the whole tree', () => {
    const text = Array.from({ length: 200 }, (_, i) => `probe *.*.*.*.*.*.*.*${i % 2 ? '' : '.zz'}, **.**.**.zz { }\n`).join('');
    assert.deepEqual(messages(text), []);
  });
  test('alias definitions are resolved where they are used, and library code not at all', () => {
    assert.deepEqual(messages('probe my.a = begn { }\n'), []);
    assert.deepEqual(messages('probe begn { }\n', { isLibrary: true }), []);
  });
});

describe('probe points: quick fix', () => {
  test("replaces the misspelt component by stap's first suggestion", () => {
    const text = 'probe syscall.opne { }\n';
    const document = TextDocument.create('file:///t.stp', 'systemtap', 1, text);
    const analysis = analyze(text, { libraryProbes: TEST_LIBRARY_PROBES });
    const finding = analysis.findings.find((f) => f.code === 'probe-point-unknown')!;
    const range = Range.create(document.positionAt(finding.start), document.positionAt(finding.end));
    const diagnostic: Diagnostic = { range, message: finding.message, code: finding.code };
    const actions = codeActions(analysis, document, range, [diagnostic]);
    const fix = actions.find((a) => a.title === 'Change to open');
    assert.ok(fix, JSON.stringify(actions));
    assert.deepEqual(fix.edit?.changes?.['file:///t.stp'], [{ range, newText: 'open' }]);
  });
  test('none where the name is right and its parameter is not', () => {
    assert.equal(pointFindings('probe begin("x") { }\n')[0].replacement, undefined);
  });
});
