// Formatted scripts that stap accepted before are accepted after: every installed example
// (stap -p1 -g, with its arguments, against our verdict on the original, which examples.test.ts
// holds to stap's), and the whole tapset library, formatted into a copy that
// stap reads in place of the installed one (SYSTEMTAP_TAPSET), with as many library scripts parsed.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { findTapsetDir, listFiles, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { ourVerdict } from '../support/ourVerdict';
import { formatText } from '../../server/src/format/layout';
import { DEFAULT_FORMAT_OPTIONS } from '../../server/src/format/options';
import { exampleArgs, fakeKernelTree, stapOrSkip, StapVerdict, stapParseAll } from '../support/stapOracle';
import { tempFolder } from '../support/tempFiles';

const EXAMPLE_DIRS = ['/usr/share/systemtap/examples', '/usr/share/doc/systemtap/examples'];
const TAPSET_DIR = '/usr/share/systemtap/tapset';
const stap = stapOrSkip();
const examples = EXAMPLE_DIRS.flatMap((d) => listFiles(d, ['.stp']));

describe('formatted examples: stap -p1 -g accepts what it accepted', { skip: (!stap || examples.length === 0) && 'stap or its examples not installed' }, () => {
  let original: StapVerdict[] = [];
  let formatted: StapVerdict[] = [];
  before(async () => {
    const dir = tempFolder('stap-fmt-examples-');
    const jobs = examples.map((file, i) => {
      const text = fs.readFileSync(file, 'utf8');
      // Same base name, so stap's messages name the same file.
      const copy = path.join(dir, String(i), path.basename(file));
      fs.mkdirSync(path.dirname(copy));
      fs.writeFileSync(copy, formatText(text, DEFAULT_FORMAT_OPTIONS).text);
      return { file, copy, args: exampleArgs(file, text) };
    });
    // stap's verdict on the originals is ours (examples.test.ts holds the two equal): one stap run per example, not two.
    const macros = loadLibraryMacros(findTapsetDir());
    original = jobs.map((j) => ({ ok: ourVerdict(fs.readFileSync(j.file, 'utf8'), { guru: true, libraryMacros: macros }).line === undefined }) as StapVerdict);
    formatted = await stapParseAll(
      stap!,
      jobs.map((j) => ({ file: j.copy, guru: true, args: j.args })),
    );
  });

  test(`all ${examples.length} examples`, () => {
    const differ = examples.flatMap((f, i) => (original[i].ok !== formatted[i].ok ? [`${f}: ${formatted[i].stderr.slice(0, 300)}`] : []));
    assert.ok(original.filter((v) => v.ok).length > examples.length / 2, 'stap accepted too few originals to judge by');
    assert.deepEqual(differ, []);
  });
});

function stapLibrary(tapsets: string): Promise<{ ok: boolean; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      stap!,
      ['-r', fakeKernelTree(), '-p1', '-v', '-e', 'probe begin { }'],
      { encoding: 'utf8', timeout: 120_000, maxBuffer: 1 << 28, env: { ...process.env, LANG: 'C', LC_ALL: 'C', SYSTEMTAP_TAPSET: tapsets } },
      (error, _out, stderr) => resolve({ ok: !error, stderr: stderr ?? '' }),
    );
  });
}

describe('the formatted tapset library: stap -p1 parses it as it parses the installed one', { skip: (!stap || !fs.existsSync(TAPSET_DIR)) && 'stap or its tapsets not installed' }, () => {
  test('same verdict, same number of library scripts', async () => {
    const copy = tempFolder('stap-fmt-tapsets-');
    fs.cpSync(TAPSET_DIR, copy, { recursive: true });
    let changed = 0;
    for (const file of listFiles(copy, ['.stp', '.stpm'])) {
      const text = fs.readFileSync(file, 'utf8');
      const out = formatText(text, DEFAULT_FORMAT_OPTIONS).text;
      if (out !== text) changed++;
      fs.writeFileSync(file, out);
    }
    const [before, after] = [await stapLibrary(TAPSET_DIR), await stapLibrary(copy)];
    const parsed = (s: string) => /parsed user script and (\d+) library scripts?/.exec(s)?.[1];
    assert.ok(changed > 100, `only ${changed} library files changed`);
    assert.equal(before.ok, true, before.stderr.slice(0, 500));
    assert.equal(after.ok, true, after.stderr.slice(0, 2000));
    assert.ok(parsed(before.stderr) !== undefined, before.stderr.slice(0, 500));
    assert.equal(parsed(after.stderr), parsed(before.stderr));
  });
});
