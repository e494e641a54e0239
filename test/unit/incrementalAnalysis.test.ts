// The editor analyses each version of a document from the one before: the
// declarations an edit leaves alone are the same objects in the new tree, and
// what the checks found in them is taken as it was (embedded C facts, guru
// reasons, walks laid out per body, findings per body). Whatever is reused,
// the analysis must be the one a fresh analysis of the text gives: real
// scripts are edited as a user types, edit after edit, and each analysis is
// compared with one made from scratch.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { before, describe, test } from 'node:test';
import { Analysis, analyze, AnalysisOptions } from '../../server/src/analysis/analyze';
import { buildTapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { DEFAULT_TARGET } from '../../server/src/syntax/preprocessor';
import { CParser, loadCParser } from '../../server/src/embedded/cParser';
import { fuzzSeeds, seededRandom } from '../support/fuzz';

const EXAMPLES = '/usr/share/systemtap/examples';
const TYPED = [...'abcxyz_019 \n(){}[]";,.=+-*/$@<>!&|?:', 'probe ', 'function ', 'global ', '%{', '%}', '"', '\t'];

let cParser: CParser;
before(async () => {
  cParser = await loadCParser();
});

/** A character in or out, or a line pasted: the edits that keep most declarations as they were. */
function edit(text: string, random: () => number): string {
  const at = Math.floor(random() * (text.length + 1));
  const r = random();
  if (r < 0.5) return text.slice(0, at) + TYPED[Math.floor(random() * TYPED.length)] + text.slice(at);
  if (r < 0.9) return text.slice(0, Math.max(0, at - 1)) + text.slice(at);
  const from = Math.floor(random() * text.length);
  const line = text.slice(from, text.indexOf('\n', from) + 1 || text.length);
  return text.slice(0, at) + line + text.slice(at);
}

/** What a user sees of an analysis: its findings, and what each name refers to with its inferred type. */
function seen(analysis: Analysis): unknown {
  return {
    findings: analysis.findings.map((f) => ({ ...f })),
    references: [...(analysis.semantics?.references ?? new Map())].map(([at, s]) => [at, s.name, 'value' in s ? s.value.type : s.returns.type]).sort((a, b) => (a[0] as number) - (b[0] as number)),
    guruFacts: analysis.cFacts.map((c) => [c.region.code.start, c.stapArgs.map((a) => a.start), c.syntaxErrors.map((e) => e.start)]),
  };
}

describe('analysing again after an edit', () => {
  test('gives what a fresh analysis gives, edit after edit, on real scripts', async () => {
    // With the library as the editor has it: its probe aliases and functions take part in the verdicts kept.
    const tapsetDir = findTapsetDir();
    const libraryMacros = tapsetDir ? loadLibraryMacros(tapsetDir) : new Map();
    const library = tapsetDir ? await buildTapsetIndex(tapsetDir, 'x86_64', DEFAULT_TARGET, libraryMacros) : undefined;
    const options: AnalysisOptions = {
      cParser,
      libraryMacros,
      librarySignatures: library?.functions,
      libraryGlobals: library?.globals,
      libraryProbes: library?.probes,
      libraryFunctions: library && new Set(library.functions.keys()),
    };
    const examples = fs.existsSync(EXAMPLES) ? listFiles(EXAMPLES, ['.stp']).filter((_, i) => i % 6 === 0) : [];
    const random = seededRandom(20261202);
    let reused = 0;
    let edits = 0;
    const check = (previous: Analysis, text: string, what: string, clean = false, disposable = false): Analysis => {
      const kept = new Set(previous.script.items);
      const again = analyze(text, options, { text: previous.text, options: previous.parseOptions, script: previous.script, disposable });
      assert.deepEqual(seen(again), seen(analyze(text, options)), what);
      if (clean) {
        edits++;
        if (again.script.items.some((item) => kept.has(item))) reused++;
      }
      return again;
    };
    for (const seed of [...fuzzSeeds(), ...examples.map((f) => fs.readFileSync(f, 'utf8'))]) {
      const start = analyze(seed, options);
      void start.findings;
      // Where a whole parse is needed (errors, %( %) conditionals) nothing is kept, by design.
      const clean = start.script.errors.length === 0 && !/%[(?:)]/.test(seed);
      const what = (i: number) => `edit ${i} of a script starting ${JSON.stringify(seed.slice(0, 60))}`;
      // Single edits of the script as it is ...
      for (let i = 0; i < 4; i++) check(start, edit(seed, random), what(i), clean);
      // ... and a run of edits, each analysed from the one before, which is given up as the editor does.
      let previous = start;
      for (let i = 0; i < 4; i++) previous = check(previous, edit(previous.text, random), `${what(i)} of a run`, false, true);
    }
    // Edits of clean scripts that leave them clean keep the declarations before them (those after
    // move, and are copies); a typed '(' or '"' does not. An analysis that never reused anything
    // would pass the check above.
    assert.ok(reused > edits / 10, `only ${reused} of ${edits} edits of clean scripts kept a declaration of the tree before`);
  });
});
