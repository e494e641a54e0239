// The corpus of small scripts (test/support/corpus.ts): our parser's verdict on
// each. That stap gives the same verdicts is checked in test/oracle/oracle.test.ts.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { findTapsetDir, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { ourVerdict } from '../support/ourVerdict';
import { CORPUS } from '../support/corpus';

const libraryMacros = loadLibraryMacros(findTapsetDir());

test('the corpus has over 100 rejected scripts, each with a fixed counterpart', () => {
  const rejected = CORPUS.filter((c) => c.errorLine !== undefined);
  assert.ok(rejected.length >= 100, `${rejected.length} rejected cases`);
  const names = new Set(CORPUS.map((c) => c.name));
  assert.equal(names.size, CORPUS.length, 'case names are unique');
  assert.deepEqual(
    rejected.filter((c) => !names.has(`${c.name} (fixed)`)).map((c) => c.name),
    [],
  );
});

describe('corpus: our verdict', () => {
  for (const c of CORPUS) {
    test(c.name, () => {
      const ours = ourVerdict(c.text, { guru: !!c.guru, libraryMacros, scriptArgs: c.args });
      assert.equal(ours.line, c.errorLine, ours.message);
      if (c.errorColumn !== undefined) assert.equal(ours.column, c.errorColumn, ours.message);
    });
  }
});
