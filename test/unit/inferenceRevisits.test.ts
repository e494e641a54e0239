// Type inference repeats its passes until nothing new is learned, as stap's
// does; a body whose last visit would be repeated to the letter (everything
// it read is as it was) is skipped (infer.ts, Observed). The shortcut must
// change nothing: on real scripts, the semantic corpus, the fuzz seeds and
// mutations of them, inference with it gives what visiting every body in
// every pass gives: findings, the type of every reference, of every global
// and of every function.
import assert from 'node:assert/strict';
import * as fs from 'fs';
import { before, describe, test } from 'node:test';
import { inferTypes, InferenceOptions, InferenceResult } from '../../server/src/analysis/semantic/infer';
import { describeFunction, describeVariable } from '../../server/src/analysis/semantic/types';
import { buildTapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { parse } from '../../server/src/syntax/parser';
import { DEFAULT_TARGET } from '../../server/src/syntax/preprocessor';
import { fuzzSeeds, mutate, seededRandom } from '../support/fuzz';
import { SEMANTIC_CORPUS } from '../support/semanticCorpus';

const EXAMPLES = '/usr/share/systemtap/examples';

/** Everything inference tells, in one comparable value. */
function told(result: InferenceResult): unknown {
  return {
    findings: result.findings.map((f) => ({ ...f })).sort((a, b) => a.start - b.start || a.code.localeCompare(b.code)),
    references: [...result.references].map(([at, s]) => `${at} ${s.name}: ${'value' in s ? describeVariable(s) : describeFunction(s)}`).sort(),
    globals: [...result.globals.values()].map((g) => `${g.name}: ${describeVariable(g)}${g.value.uncertain ? ' ?' : ''}`),
    functions: result.functions.map(describeFunction),
  };
}

describe('inference skips the visits that would repeat themselves', () => {
  let options: InferenceOptions = {};
  let libraryMacros = new Map();
  before(async () => {
    const tapsetDir = findTapsetDir();
    if (!tapsetDir) return;
    libraryMacros = loadLibraryMacros(tapsetDir);
    const library = await buildTapsetIndex(tapsetDir, 'x86_64', DEFAULT_TARGET, libraryMacros);
    options = { library: library.functions, libraryGlobals: library.globals };
  });

  test('and tells what visiting every body in every pass tells', () => {
    const examples = fs.existsSync(EXAMPLES) ? listFiles(EXAMPLES, ['.stp']).map((f) => fs.readFileSync(f, 'utf8')) : [];
    // A comparison visits its left side with the type its right side had the last time: the second pass differs.
    const peeks = ['probe begin { if (execname() == pid()) println(1) }\n', 'function f() { return 1 }\nfunction g() { return "a" }\nprobe begin { println(f() == g()) }\n'];
    const texts = [...peeks, ...SEMANTIC_CORPUS.map((c) => c.text), ...fuzzSeeds(), ...examples];
    const random = seededRandom(20261202);
    const mutated = texts.flatMap((t) => [mutate(t, random), mutate(t, random)]);
    let skippedSomewhere = 0;
    for (const text of [...texts, ...mutated]) {
      const script = parse(text, { libraryMacros });
      const shortcut = inferTypes(script, text, options);
      const everyBody = inferTypes(script, text, { ...options, revisitAll: true });
      assert.deepEqual(told(shortcut), told(everyBody), `a script starting ${JSON.stringify(text.slice(0, 80))}`);
      if (shortcut.visits < everyBody.visits) skippedSomewhere++;
    }
    // A shortcut never taken would pass the check above.
    assert.ok(skippedSomewhere > texts.length / 4, `visits were skipped in only ${skippedSomewhere} scripts`);
  });
});
