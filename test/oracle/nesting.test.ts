// Nesting at realistic depths: exactly what stap -p1 says (the rest of the
// nesting tests are in test/unit/nesting.test.ts).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { REALISTIC_CASES } from '../support/deepNesting';
import { ourVerdict } from '../support/ourVerdict';
import { StapVerdict, stapOrSkip, stapParseAll } from '../support/stapOracle';

describe('realistic depths: exactly what stap -p1 says', () => {
  const stap = stapOrSkip();
  const cases = REALISTIC_CASES;

  describe('stap agrees', { skip: !stap && 'stap not installed' }, () => {
    let verdicts: StapVerdict[] = [];
    before(async () => {
      const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-nesting-'));
      verdicts = await stapParseAll(
        stap!,
        cases.map((c, i) => {
          const file = path.join(tmp, `case${i}.stp`);
          fs.writeFileSync(file, c.text);
          return { file, guru: true };
        }),
      );
    });
    cases.forEach((c, i) => {
      test(c.name, () => {
        const ours = ourVerdict(c.text, { guru: true });
        assert.equal(verdicts[i].ok, ours.line === undefined, verdicts[i].stderr);
        if (ours.line !== undefined) assert.equal(verdicts[i].errorLines[0], ours.line, verdicts[i].stderr);
      });
    });
  });
});
