// The real stap decides what parses: every corpus case and every sample must
// get the same verdict, at the same line, from stap -p1 and from us.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { analyze } from '../../server/src/analysis/analyze';
import { LineIndex } from '../../server/src/syntax/lineIndex';
import { SAMPLES } from '../support/paths';
import { stapOrSkip, stapParse } from '../support/stapOracle';
import { CORPUS } from './corpus';

const stap = stapOrSkip();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-oracle-'));

function ourFirstErrorLine(text: string, guru: boolean): number | undefined {
  const errors = analyze(text, { syntaxOnly: true, guru }).findings.filter((f) => f.severity === 'error');
  return errors.length ? new LineIndex(text).positionAt(errors[0].start).line + 1 : undefined;
}

describe('corpus: our verdict', () => {
  for (const c of CORPUS) {
    test(c.name, () => {
      assert.equal(ourFirstErrorLine(c.text, !!c.guru), c.errorLine);
    });
  }
});

describe('corpus: stap agrees', { skip: !stap && 'stap not installed' }, () => {
  for (const [i, c] of CORPUS.entries()) {
    test(c.name, () => {
      const file = path.join(tmp, `case${i}.stp`);
      fs.writeFileSync(file, c.text);
      const verdict = stapParse(stap!, file, { guru: c.guru, args: c.args });
      assert.equal(verdict.ok, c.errorLine === undefined, verdict.stderr);
      if (c.errorLine !== undefined) assert.equal(verdict.errorLines[0], c.errorLine, verdict.stderr);
    });
  }
});

describe('samples: stap -p1 -g and our parser agree', { skip: !stap && 'stap not installed' }, () => {
  for (const name of fs.readdirSync(SAMPLES).filter((f) => f.endsWith('.stp'))) {
    test(name, () => {
      const file = path.join(SAMPLES, name);
      const verdict = stapParse(stap!, file, { guru: true });
      const ours = ourFirstErrorLine(fs.readFileSync(file, 'utf8'), true);
      assert.equal(ours, verdict.ok ? undefined : verdict.errorLines[0], verdict.stderr);
    });
  }
});
