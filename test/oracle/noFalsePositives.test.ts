// The installed tapset library and examples are real, working scripts: the
// embedded-C checks must find nothing wrong in them, and every function they
// call must be known.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { buildTapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { machineTarget } from '../../server/src/analysis/target';
import { loadCParser } from '../../server/src/embedded/cParser';
import { LineIndex } from '../../server/src/syntax/lineIndex';

const tapsetDir = findTapsetDir();
const EXAMPLE_DIRS = ['/usr/share/systemtap/examples', '/usr/share/doc/systemtap/examples'];

test('no embedded-C or unknown-function findings on the installed tapsets and examples', { skip: !tapsetDir && 'no tapset library installed' }, async () => {
  const cParser = await loadCParser();
  const libraryMacros = loadLibraryMacros(tapsetDir);
  const target = machineTarget({ arch: 'x86_64' });
  const index = await buildTapsetIndex(tapsetDir, 'x86_64', target, libraryMacros);
  // Examples with tapsets of their own run with `stap -I DIR`: index those too, as systemtap.includePaths would.
  const functionsFor = new Map<string, Set<string>>();
  const libraryFunctionsFor = async (file: string) => {
    const dirs = includeDirs(file);
    const key = dirs.join('\0');
    if (!functionsFor.has(key)) {
      const extra = await buildTapsetIndex(undefined, 'x86_64', target, libraryMacros, dirs);
      functionsFor.set(key, new Set([...index.functions.keys(), ...extra.functions.keys()]));
    }
    return functionsFor.get(key)!;
  };
  const files = [
    ...listFiles(tapsetDir!, ['.stp', '.stpm']).map((file) => ({ file, isLibrary: true })),
    // An example's own tapset folder is a library, as `-I` makes it.
    ...EXAMPLE_DIRS.flatMap((d) => listFiles(d, ['.stp'])).map((file) => ({ file, isLibrary: file.includes('/tapset/') })),
  ];
  const problems: string[] = [];
  let regions = 0;
  for (const { file, isLibrary } of files) {
    const text = fs.readFileSync(file, 'utf8');
    // Examples run with `stap -g` where they need it (their .meta files say so).
    const libraryFunctions = await libraryFunctionsFor(file);
    const analysis = analyze(text, { cParser, libraryMacros, libraryFunctions, isLibrary, guru: !isLibrary });
    regions += analysis.cFacts.length;
    for (const f of analysis.findings) {
      // Syntax is judged against stap itself (examples.test.ts): one example is a template stap rejects too.
      if (f.code === 'syntax') continue;
      // True positives: a few examples still use the old `THIS->x` spelling.
      if (f.code === 'deprecated-this') continue;
      // True positives that stap -p2 gives too, held to stap's verdicts in semantic.test.ts: a global read and
      // never assigned (mmanonpage.stp, mmwriteback.stp, meant for `stap -G traced_pid=N`), a tutorial file of functions only,
      // the empty `probe never {}` hw_watch_addr.stp and hw_watch_sym.stp keep for a kernel without hardware breakpoints.
      if (f.code === 'global-never-assigned' || f.code === 'no-probes' || f.code === 'probe-elided') continue;
      problems.push(`${file}:${new LineIndex(text).positionAt(f.start).line + 1}: ${f.code}: ${f.message}`);
    }
  }
  assert.ok(regions > 500, `only ${regions} embedded-C regions checked`);
  assert.deepEqual(problems, []);
});

/** The `-I DIR` folders an example runs with: from its .meta command, or a tapset/ folder beside it (the tutorial's way). */
function includeDirs(file: string): string[] {
  const dir = path.dirname(file);
  const meta = file.replace(/\.stp$/, '.meta');
  const command = fs.existsSync(meta) ? (/^test_check:\s*(.*)$/m.exec(fs.readFileSync(meta, 'utf8'))?.[1] ?? '') : '';
  const fromMeta = [...command.matchAll(/-I\s*(\S+)/g)].map((m) => path.resolve(dir, m[1]));
  const beside = path.join(dir, 'tapset');
  return fromMeta.length ? fromMeta : fs.existsSync(beside) && !file.startsWith(beside + '/') ? [beside] : [];
}
