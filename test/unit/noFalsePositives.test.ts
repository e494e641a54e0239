// The installed tapset library and examples are real, working scripts: the
// embedded-C checks must find nothing wrong in them.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { loadCParser } from '../../server/src/embedded/cParser';
import { LineIndex } from '../../server/src/syntax/lineIndex';

const tapsetDir = findTapsetDir();
const EXAMPLE_DIRS = ['/usr/share/systemtap/examples', '/usr/share/doc/systemtap/examples'];

test('no embedded-C findings on the installed tapsets and examples', { skip: !tapsetDir && 'no tapset library installed' }, async () => {
  const cParser = await loadCParser();
  const libraryMacros = loadLibraryMacros(tapsetDir);
  const files = [
    ...listFiles(tapsetDir!, ['.stp', '.stpm']).map((file) => ({ file, isLibrary: true })),
    ...EXAMPLE_DIRS.flatMap((d) => listFiles(d, ['.stp'])).map((file) => ({ file, isLibrary: false })),
  ];
  const problems: string[] = [];
  let regions = 0;
  for (const { file, isLibrary } of files) {
    const text = fs.readFileSync(file, 'utf8');
    // Examples run with `stap -g` where they need it (their .meta files say so).
    const analysis = analyze(text, { cParser, libraryMacros, isLibrary, guru: !isLibrary });
    regions += analysis.cFacts.length;
    for (const f of analysis.findings) {
      // Syntax is judged against stap itself (examples.test.ts): one example is a template stap rejects too.
      if (f.code === 'syntax') continue;
      // True positives: a few examples still use the old `THIS->x` spelling.
      if (f.code === 'deprecated-this') continue;
      problems.push(`${file}:${new LineIndex(text).positionAt(f.start).line + 1}: ${f.code}: ${f.message}`);
    }
  }
  assert.ok(regions > 500, `only ${regions} embedded-C regions checked`);
  assert.deepEqual(problems, []);
});
