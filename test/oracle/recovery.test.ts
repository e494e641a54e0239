// Where stap reports the first error of each half-typed declaration in
// test/support/recoveryCases.ts: our parser reports it at the same line and
// column (test/unit/recovery.test.ts), and this holds the cases to the real stap.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { before, describe, test } from 'node:test';
import { FOLLOWING, RECOVERY_CASES } from '../support/recoveryCases';
import { stapOrSkip, StapVerdict, stapParseAll } from '../support/stapOracle';

const stap = stapOrSkip();

describe('half-typed declarations: where stap reports the first error', { skip: !stap && 'stap not installed' }, () => {
  let verdicts: StapVerdict[] = [];
  before(async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-recovery-'));
    const jobs = RECOVERY_CASES.map((c, i) => {
      const file = path.join(tmp, `cut${i}.stp`);
      fs.writeFileSync(file, `${c.cut}\n${FOLLOWING}${c.after ?? ''}`);
      return { file, guru: c.guru };
    });
    verdicts = await stapParseAll(stap!, jobs);
  });
  RECOVERY_CASES.forEach((c, i) => {
    test(c.name, () => {
      const v = verdicts[i];
      assert.equal(v.ok, false, 'stap rejects the cut');
      assert.deepEqual(v.errorPositions[0] ?? 'eof', c.error, v.stderr);
    });
  });
});
