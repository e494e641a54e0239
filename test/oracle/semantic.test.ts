// stap -p2 (elaboration) is the oracle for pass-2 errors: every case of the
// semantic corpus gets stap's verdict at its line and column, and our
// analysis reports an error iff stap does, at the same line. On the
// installed examples: no error of ours where stap accepts, or fails only for
// want of debuginfo. The agreement figures are printed.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { buildTapsetIndex, TapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { probeKind } from '../../server/src/analysis/semantic/probeKinds';
import { ProbeDecl } from '../../server/src/syntax/ast';
import { parse } from '../../server/src/syntax/parser';
import { DEFAULT_TARGET } from '../../server/src/syntax/preprocessor';
import { SEMANTIC_CORPUS } from '../support/semanticCorpus';
import { semanticErrors } from '../support/semanticVerdict';
import { ElaborationVerdict, stapElaborateAll } from '../support/stapElaborate';
import { exampleArgs, stapOrSkip } from '../support/stapOracle';

const stap = stapOrSkip();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-semantic-'));
const tapsetDir = findTapsetDir();
const libraryMacros = loadLibraryMacros(tapsetDir);
const EXAMPLE_DIRS = ['/usr/share/systemtap/examples', '/usr/share/doc/systemtap/examples'];
let index: TapsetIndex | undefined;
const library = async () => (index ??= await buildTapsetIndex(tapsetDir, process.arch === 'x64' ? 'x86_64' : process.arch, DEFAULT_TARGET, libraryMacros));

const ours = (text: string, args: string[] | undefined, lib: TapsetIndex) =>
  semanticErrors(text, {
    guru: true,
    libraryMacros,
    scriptArgs: args,
    librarySignatures: lib.functions,
    libraryGlobals: lib.globals,
    libraryProbes: lib.probes,
    libraryFunctions: new Set(lib.functions.keys()),
  });

describe('semantic corpus: stap -p2 agrees', { skip: !stap && 'stap not installed' }, () => {
  let verdicts: ElaborationVerdict[] = [];
  let lib: TapsetIndex;
  before(async () => {
    lib = await library();
    const jobs = SEMANTIC_CORPUS.map((c, i) => {
      const file = path.join(tmp, `case${i}.stp`);
      fs.writeFileSync(file, c.text);
      return { file, args: c.args };
    });
    verdicts = await stapElaborateAll(stap!, jobs);
  });
  SEMANTIC_CORPUS.forEach((c, i) => {
    test(c.name, () => {
      const v = verdicts[i];
      assert.equal(v.ok, c.errorLine === undefined, v.stderr);
      if (c.errorLine !== undefined) {
        assert.equal(v.errors[0]?.line, c.errorLine, v.stderr);
        if (c.errorColumn !== undefined) assert.equal(v.errors[0]?.column, c.errorColumn, v.stderr);
      }
      // Ours: an error iff stap gives one, at stap's first error's line, and none on a line where stap has none.
      const found = ours(c.text, c.args, lib);
      const stapLines = new Set(v.errors.map((e) => e.line));
      assert.equal(found.length > 0, !v.ok, `${v.stderr}\nours: ${JSON.stringify(found)}`);
      if (!v.ok)
        assert.ok(
          found.some((e) => e.line === v.errors[0].line && (c.errorColumn === undefined || e.column === v.errors[0].column)),
          `${v.stderr}\nours: ${JSON.stringify(found)}`,
        );
      assert.deepEqual(
        found.filter((e) => !stapLines.has(e.line)),
        [],
      );
      // Probe points: our words are stap's ("similar" lists included), but for the hint about include folders.
      if (c.code?.startsWith('probe-point')) {
        const stapWords = v.stderr
          .split('\n')
          .filter((l) => l.startsWith('semantic error: '))
          .map((l) => l.slice('semantic error: '.length).replace(/: (?:identifier|operator) '.*' at .*$/, ''));
        assert.ok(
          found.some((e) => stapWords.includes(e.message.replace(/; tapsets of your own: .*$/, ''))),
          `${v.stderr}\nours: ${JSON.stringify(found)}`,
        );
      }
    });
  });
  test('agreement figure', () => {
    const agree = SEMANTIC_CORPUS.filter((c, i) => {
      const v = verdicts[i];
      const found = ours(c.text, c.args, lib);
      return v.ok ? found.length === 0 : found.some((e) => e.line === v.errors[0].line);
    }).length;
    console.log(`semantic corpus: ${agree} of ${SEMANTIC_CORPUS.length} cases agree with stap -p2 (verdict and line)`);
    assert.equal(agree, SEMANTIC_CORPUS.length);
  });
});

const examples = EXAMPLE_DIRS.flatMap((d) => listFiles(d, ['.stp']));

/** Whether every probe of a script is one of stap's own points (begin, end, timer...), which need no kernel: stap -p2 can judge those here. */
function needsNoKernel(text: string): boolean {
  const script = parse(text, { libraryMacros });
  const probes = script.items.filter((i): i is ProbeDecl => i.kind === 'probe' && !i.alias);
  return probes.length > 0 && probes.every((p) => probeKind(p, text).builtIn);
}

describe('installed examples: no error of ours that stap -p2 does not give', { skip: (!stap || examples.length === 0) && 'stap or its examples not installed' }, () => {
  test(`all ${examples.length} examples`, async () => {
    const lib = await library();
    const all = examples.map((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const args = exampleArgs(file, text);
      // Syntax is the parser's business (test/oracle/examples.test.ts); an unknown function, a warning's.
      const found = ours(text, args, lib).filter((e) => e.code !== 'function-unknown' && e.code !== 'syntax');
      return { file, text, args, found };
    });
    // stap -p2 runs on those it can judge without a kernel, and on those where we give an error (a second each, at best).
    const asked = all.filter((e) => e.found.length > 0 || needsNoKernel(e.text));
    const verdicts = await stapElaborateAll(
      stap!,
      asked.map((e) => ({ file: e.file, guru: true, args: e.args })),
    );
    const falseErrors: string[] = [];
    const missed: string[] = [];
    asked.forEach((e, i) => {
      const v = verdicts[i];
      const stapLines = new Set(v.errors.map((x) => x.line));
      for (const x of e.found) if (!stapLines.has(x.line)) falseErrors.push(`${e.file}:${x.line}:${x.column}: ${x.code}: ${x.message}`);
      if (v.errors.length && !e.found.length) missed.push(`${e.file}:${v.errors[0].line}: ${v.errors[0].message}`);
    });
    const accepted = verdicts.filter((v) => v.ok).length;
    const ourErrors = all.reduce((n, e) => n + e.found.length, 0);
    console.log(
      `installed examples: ${examples.length}; ${asked.length} judged by stap -p2 on the fake kernel tree, which accepts ${accepted}; our pass-2 errors on all: ${ourErrors}, of which stap does not give ${falseErrors.length}; stap's errors we miss: ${missed.length}${missed.length ? `\n  ${missed.join('\n  ')}` : ''}`,
    );
    assert.deepEqual(falseErrors, []);
  });
});
