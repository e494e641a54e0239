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
import { analyze } from '../../server/src/analysis/analyze';
import { probeKind } from '../../server/src/analysis/semantic/probeKinds';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { ProbeDecl } from '../../server/src/syntax/ast';
import { parse } from '../../server/src/syntax/parser';
import { DEFAULT_TARGET } from '../../server/src/syntax/preprocessor';
import { SEMANTIC_CORPUS } from '../support/semanticCorpus';
import { ELIDED_PROBES, NEVER_ASSIGNED_GLOBALS } from '../support/semanticWarnings';
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

const ours = (text: string, args: string[] | undefined, lib: TapsetIndex, guru = true) =>
  semanticErrors(text, {
    guru,
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
      return { file, args: c.args, guru: c.guru };
    });
    verdicts = await stapElaborateAll(stap!, jobs);
  });
  SEMANTIC_CORPUS.forEach((c, i) => {
    test(c.name, () => {
      const v = verdicts[i];
      assert.equal(v.ok, c.errorLine === undefined, v.stderr);
      if (c.unlocated) {
        // stap names no place: its one error is the case's, and ours is where the case puts it.
        assert.match(v.stderr, /^semantic error: no probes found$/m);
        assert.deepEqual(v.errors, []);
        const found = ours(c.text, c.args, lib, !!c.guru);
        assert.deepEqual(
          found.map((e) => `${e.line}:${e.column} ${e.code}`),
          [`${c.errorLine}:${c.errorColumn} ${c.code}`],
        );
        return;
      }
      if (c.errorLine !== undefined) {
        assert.equal(v.errors[0]?.line, c.errorLine, v.stderr);
        if (c.errorColumn !== undefined) assert.equal(v.errors[0]?.column, c.errorColumn, v.stderr);
      }
      // Ours: an error iff stap gives one, at stap's first error's line, and none on a line where stap has none.
      const found = ours(c.text, c.args, lib, !!c.guru);
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
      const found = ours(c.text, c.args, lib, !!c.guru);
      if (c.unlocated) return !v.ok && found.some((e) => e.line === c.errorLine && e.code === c.code);
      return v.ok ? found.length === 0 : found.some((e) => e.line === v.errors[0].line);
    }).length;
    console.log(`semantic corpus: ${agree} of ${SEMANTIC_CORPUS.length} cases agree with stap -p2 (verdict and line)`);
    assert.equal(agree, SEMANTIC_CORPUS.length);
  });
});

/** stap's "never-assigned global variable" warnings, as `LINE:COL NAME` (it leaves the file out after naming it once). */
function stapNeverAssigned(stderr: string): string[] {
  return [...stderr.matchAll(/^WARNING: never-assigned global variable '(\w+)'.* at [^\n]*?:(\d+):(\d+)$/gm)].map((m) => `${m[2]}:${m[3]} ${m[1]}`);
}

describe("never-assigned globals: stap's warnings where the cases say", { skip: !stap && 'stap not installed' }, () => {
  let verdicts: ElaborationVerdict[] = [];
  before(async () => {
    const jobs = NEVER_ASSIGNED_GLOBALS.map((c, i) => {
      const file = path.join(tmp, `warning${i}.stp`);
      fs.writeFileSync(file, c.text);
      return { file, stapOptions: (c.globalOptions ?? []).flatMap((g) => ['-G', g]) };
    });
    verdicts = await stapElaborateAll(stap!, jobs);
  });
  NEVER_ASSIGNED_GLOBALS.forEach((c, i) => test(c.name, () => assert.deepEqual(stapNeverAssigned(verdicts[i].stderr), c.neverAssigned, verdicts[i].stderr)));
});

/** Where stap prints "Probe '...' has been elided", each place once, as `LINE:COL`. */
function stapElided(stderr: string): string[] {
  return [...new Set([...stderr.matchAll(/^WARNING: Probe '\w+' has been elided: .* at [^\n]*?:(\d+):(\d+)$/gm)].map((m) => `${m[1]}:${m[2]}`))];
}

describe("elided probes: stap's warnings where the cases say", { skip: !stap && 'stap not installed' }, () => {
  let verdicts: ElaborationVerdict[] = [];
  before(async () => {
    const jobs = ELIDED_PROBES.map((c, i) => {
      const file = path.join(tmp, `elided${i}.stp`);
      fs.writeFileSync(file, c.text);
      return { file };
    });
    verdicts = await stapElaborateAll(stap!, jobs);
  });
  ELIDED_PROBES.forEach((c, i) => test(c.name, () => assert.deepEqual(stapElided(verdicts[i].stderr).sort(), [...c.elided].sort(), verdicts[i].stderr)));
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
      // "no probes found" has no place in stap's words: its message is the agreement.
      const noProbes = /^semantic error: no probes found$/m.test(v.stderr);
      for (const x of e.found) if (!stapLines.has(x.line) && !(x.code === 'no-probes' && noProbes)) falseErrors.push(`${e.file}:${x.line}:${x.column}: ${x.code}: ${x.message}`);
      if (noProbes && !e.found.some((x) => x.code === 'no-probes')) missed.push(`${e.file}: no probes found`);
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

describe('installed examples: never-assigned globals where stap warns', { skip: (!stap || examples.length === 0) && 'stap or its examples not installed' }, () => {
  test(`all ${examples.length} examples`, async () => {
    const lib = await library();
    const all = examples.map((file) => {
      const text = fs.readFileSync(file, 'utf8');
      const args = exampleArgs(file, text);
      const lines = new LineIndex(text);
      const found = analyze(text, { guru: true, libraryMacros, scriptArgs: args, librarySignatures: lib.functions, libraryGlobals: lib.globals, libraryProbes: lib.probes })
        .findings.filter((f) => f.code === 'global-never-assigned')
        .map((f) => {
          const at = lines.positionAt(f.start);
          return `${at.line + 1}:${at.character + 1} ${text.slice(f.start, f.end)}`;
        });
      return { file, text, args, found };
    });
    // stap prints these warnings only once its probes resolve: it judges those that need no kernel.
    const asked = all.filter((e) => e.found.length > 0 || needsNoKernel(e.text));
    const verdicts = await stapElaborateAll(
      stap!,
      asked.map((e) => ({ file: e.file, guru: true, args: e.args })),
    );
    const judged = asked.filter((_, i) => verdicts[i].ok);
    const disagree = judged.filter((e) => JSON.stringify(e.found) !== JSON.stringify(stapNeverAssigned(verdicts[asked.indexOf(e)].stderr)));
    const unjudged = all.filter((e) => e.found.length > 0 && !judged.includes(e));
    console.log(
      `never-assigned globals: ours on all ${examples.length} examples: ${all.reduce((n, e) => n + e.found.length, 0)}; stap -p2 accepts ${judged.length} here, where we disagree on ${disagree.length}; ours where stap cannot judge here: ${unjudged.map((e) => `${path.basename(e.file)} ${e.found.join(', ')}`).join('; ') || 'none'}`,
    );
    assert.deepEqual(
      disagree.map((e) => `${e.file}: ours ${e.found.join(', ')}; stap ${stapNeverAssigned(verdicts[asked.indexOf(e)].stderr).join(', ')}`),
      [],
    );
  });
});
