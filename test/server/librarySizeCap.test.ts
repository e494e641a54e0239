// Library files larger than the cap are left out and reported; a file of
// exactly the cap is read (4 MiB of NULs: seconds to parse). The rest of the
// library folder tests are in test/unit/libraryIO.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { buildTapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { findTapsetDir, listFiles, MAX_LIBRARY_FILE_BYTES, readRegularFileSync } from '../../server/src/analysis/tapsetLibrary';
import { machineTarget } from '../../server/src/analysis/target';
import { collect, folder, GOOD } from '../support/libraryFixtures';

const target = machineTarget({ arch: 'x86_64' });

describe('the size cap', () => {
  test(`is well above the largest installed tapset file`, { skip: !findTapsetDir() && 'no tapset library' }, () => {
    const largest = Math.max(...listFiles(findTapsetDir()!, ['.stp', '.stpm']).map((f) => fs.statSync(f).size));
    assert.ok(largest * 10 < MAX_LIBRARY_FILE_BYTES, `largest tapset file: ${largest} bytes`);
  });

  test('a larger file is left out, and reported', async () => {
    const dir = folder({ 'a.stp': GOOD });
    const big = path.join(dir, 'big.stp');
    fs.writeFileSync(big, 'function big() {}\n');
    fs.truncateSync(big, MAX_LIBRARY_FILE_BYTES + 1); // sparse: no disk used
    const exact = path.join(dir, 'exact.stp');
    fs.writeFileSync(exact, 'function exact() {}\n');
    fs.truncateSync(exact, MAX_LIBRARY_FILE_BYTES);
    const { report, reasonFor } = collect();
    const index = await buildTapsetIndex(undefined, 'x86_64', target, new Map(), [dir], report);
    assert.deepEqual([...index.functions.keys()].sort(), ['exact', 'my_tool']);
    assert.deepEqual(reasonFor(big), [`too large (${MAX_LIBRARY_FILE_BYTES + 1} bytes, more than 4 MiB)`]);
    assert.throws(() => readRegularFileSync(big), /too large/);
    assert.equal(readRegularFileSync(exact).length, MAX_LIBRARY_FILE_BYTES);
  });
});
