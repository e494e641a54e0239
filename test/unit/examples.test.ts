// Every example SystemTap installs must get the same verdict, at the same
// line, from `stap -p1 -g` and from our parser.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { before, describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { exampleArgs, stapOrSkip, StapVerdict, stapParseAsync } from '../support/stapOracle';

const EXAMPLE_DIRS = ['/usr/share/systemtap/examples', '/usr/share/doc/systemtap/examples'];
const stap = stapOrSkip();
const files = EXAMPLE_DIRS.flatMap((d) => listFiles(d, ['.stp']));
if (process.env.CI && files.length === 0) throw new Error('no SystemTap examples installed (apt-get install systemtap-doc)');

describe('installed examples: stap -p1 -g and our parser agree', { skip: (!stap || files.length === 0) && 'stap or its examples not installed' }, () => {
  const verdicts = new Map<string, StapVerdict>();
  before(async () => {
    const queue = [...files];
    const worker = async () => {
      for (let f = queue.shift(); f; f = queue.shift()) {
        verdicts.set(f, await stapParseAsync(stap!, f, { guru: true, args: exampleArgs(f, fs.readFileSync(f, 'utf8')) }));
      }
    };
    await Promise.all([worker(), worker()]);
  });

  test(`all ${files.length} examples`, () => {
    const macros = loadLibraryMacros(findTapsetDir());
    const disagreements: string[] = [];
    for (const f of files) {
      const text = fs.readFileSync(f, 'utf8');
      const errors = analyze(text, { syntaxOnly: true, guru: true, libraryMacros: macros }).findings.filter((x) => x.severity === 'error');
      const ours = errors.length ? new LineIndex(text).positionAt(errors[0].start).line + 1 : undefined;
      const v = verdicts.get(f)!;
      const theirs = v.ok ? undefined : v.errorLines[0];
      if (v.ok !== (errors.length === 0) || ours !== theirs) {
        disagreements.push(`${f}: stap ${v.ok ? 'accepts' : `rejects at line ${theirs}`}, we ${errors.length ? `reject at line ${ours}: ${errors[0].message}` : 'accept'}`);
      }
    }
    assert.deepEqual(disagreements, []);
  });
});
