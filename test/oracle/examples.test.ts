// Every example SystemTap installs must get the same verdict, at the same
// line, from `stap -p1 -g` and from our parser.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, test } from 'node:test';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { ourVerdict } from '../support/ourVerdict';
import { exampleArgs, stapOrSkip, StapVerdict, stapParseAll } from '../support/stapOracle';

const EXAMPLE_DIRS = ['/usr/share/systemtap/examples', '/usr/share/doc/systemtap/examples'];
const stap = stapOrSkip();
const files = EXAMPLE_DIRS.flatMap((d) => listFiles(d, ['.stp']));
if (process.env.CI && files.length === 0) throw new Error('no SystemTap examples installed (apt-get install systemtap-doc)');

describe('installed examples: stap -p1 -g and our parser agree', { skip: (!stap || files.length === 0) && 'stap or its examples not installed' }, () => {
  let verdicts: StapVerdict[] = [];
  before(async () => {
    verdicts = await stapParseAll(
      stap!,
      files.map((file) => ({ file, guru: true, args: exampleArgs(file, fs.readFileSync(file, 'utf8')) })),
    );
  });

  test(`all ${files.length} examples`, () => {
    const macros = loadLibraryMacros(findTapsetDir());
    const disagreements: string[] = [];
    files.forEach((f, i) => {
      const ours = ourVerdict(fs.readFileSync(f, 'utf8'), { guru: true, libraryMacros: macros });
      const v = verdicts[i];
      const theirs = v.ok ? undefined : v.errorLines[0];
      if (v.ok !== (ours.line === undefined) || ours.line !== theirs) {
        disagreements.push(`${f}: stap ${v.ok ? 'accepts' : `rejects at line ${theirs}`}, we ${ours.line ? `reject at line ${ours.line}: ${ours.message}` : 'accept'}`);
      }
    });
    assert.deepEqual(disagreements, []);
  });
});
