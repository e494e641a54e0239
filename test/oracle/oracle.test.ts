// The real stap decides what parses: every corpus case and every sample must
// get the same verdict, at the same line, from stap -p1 and from us (our
// verdict on the corpus alone is checked in test/unit/corpus.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { findTapsetDir, loadLibraryMacros } from '../../server/src/analysis/tapsetLibrary';
import { SAMPLES } from '../support/paths';
import { ourVerdict } from '../support/ourVerdict';
import { StapVerdict, stapOrSkip, stapParseAll } from '../support/stapOracle';
import { CORPUS } from '../support/corpus';

const stap = stapOrSkip();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-oracle-'));
const libraryMacros = loadLibraryMacros(findTapsetDir());

describe('corpus: stap agrees', { skip: !stap && 'stap not installed' }, () => {
  let verdicts: StapVerdict[] = [];
  before(async () => {
    const jobs = CORPUS.map((c, i) => {
      const file = path.join(tmp, `case${i}.stp`);
      fs.writeFileSync(file, c.text);
      return { file, guru: c.guru, args: c.args };
    });
    verdicts = await stapParseAll(stap!, jobs);
  });
  CORPUS.forEach((c, i) => {
    test(c.name, () => {
      const v = verdicts[i];
      assert.equal(v.ok, c.errorLine === undefined, v.stderr);
      if (c.errorLine !== undefined) assert.equal(v.errorLines[0], c.errorLine, v.stderr);
      if (c.errorColumn !== undefined) assert.equal(v.errorColumns[0], c.errorColumn, v.stderr);
    });
  });
});

describe('samples: stap -p1 -g and our parser agree', { skip: !stap && 'stap not installed' }, () => {
  const names = fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.stp'));
  let verdicts: StapVerdict[] = [];
  before(async () => {
    verdicts = await stapParseAll(
      stap!,
      names.map((n) => ({ file: path.join(SAMPLES, n), guru: true })),
    );
  });
  names.forEach((name, i) => {
    test(name, () => {
      const v = verdicts[i];
      const ours = ourVerdict(fs.readFileSync(path.join(SAMPLES, name), 'utf8'), { guru: true, libraryMacros }).line;
      assert.equal(ours, v.ok ? undefined : v.errorLines[0], v.stderr);
    });
  });
});
