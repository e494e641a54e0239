// The real stap decides what parses: every corpus case and every sample must
// get the same verdict, at the same line, from stap -p1 and from us.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { findTapsetDir, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { SAMPLES } from '../support/paths';
import { StapVerdict, stapOrSkip, stapParseAsync } from '../support/stapOracle';
import { CORPUS } from './corpus';

const stap = stapOrSkip();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-oracle-'));
const libraryMacros = loadLibraryMacros(findTapsetDir());

function ourFirstErrorLine(text: string, guru: boolean): number | undefined {
  const errors = analyze(text, { syntaxOnly: true, guru, libraryMacros }).findings.filter((f) => f.severity === 'error');
  return errors.length ? new LineIndex(text).positionAt(errors[0].start).line + 1 : undefined;
}

/** stap's verdicts, two processes at a time (each takes about 0.4 s). */
async function stapVerdicts(jobs: { file: string; guru?: boolean; args?: string[] }[]): Promise<StapVerdict[]> {
  const verdicts: StapVerdict[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) verdicts[i] = await stapParseAsync(stap!, jobs[i].file, jobs[i]);
  };
  await Promise.all([worker(), worker()]);
  return verdicts;
}

test('the corpus has over 100 rejected scripts, each with a fixed counterpart', () => {
  const rejected = CORPUS.filter((c) => c.errorLine !== undefined);
  assert.ok(rejected.length >= 100, `${rejected.length} rejected cases`);
  const names = new Set(CORPUS.map((c) => c.name));
  assert.equal(names.size, CORPUS.length, 'case names are unique');
  assert.deepEqual(rejected.filter((c) => !names.has(`${c.name} (fixed)`)).map((c) => c.name), []);
});

describe('corpus: our verdict', () => {
  for (const c of CORPUS) {
    test(c.name, () => {
      assert.equal(ourFirstErrorLine(c.text, !!c.guru), c.errorLine);
    });
  }
});

describe('corpus: stap agrees', { skip: !stap && 'stap not installed' }, () => {
  let verdicts: StapVerdict[] = [];
  before(async () => {
    const jobs = CORPUS.map((c, i) => {
      const file = path.join(tmp, `case${i}.stp`);
      fs.writeFileSync(file, c.text);
      return { file, guru: c.guru, args: c.args };
    });
    verdicts = await stapVerdicts(jobs);
  });
  CORPUS.forEach((c, i) => {
    test(c.name, () => {
      const v = verdicts[i];
      assert.equal(v.ok, c.errorLine === undefined, v.stderr);
      if (c.errorLine !== undefined) assert.equal(v.errorLines[0], c.errorLine, v.stderr);
    });
  });
});

describe('samples: stap -p1 -g and our parser agree', { skip: !stap && 'stap not installed' }, () => {
  const names = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.stp'));
  let verdicts: StapVerdict[] = [];
  before(async () => {
    verdicts = await stapVerdicts(names.map((n) => ({ file: path.join(SAMPLES, n), guru: true })));
  });
  names.forEach((name, i) => {
    test(name, () => {
      const v = verdicts[i];
      const ours = ourFirstErrorLine(fs.readFileSync(path.join(SAMPLES, name), 'utf8'), true);
      assert.equal(ours, v.ok ? undefined : v.errorLines[0], v.stderr);
    });
  });
});
