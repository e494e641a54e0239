// stap -I DIR reads DIR/*.stpm as stap-check -I DIR does
// (test/server/cliRobustness.test.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { tempFolder } from '../support/tempFiles';
import { fakeKernelTree, findStap } from '../support/stapOracle';

const folder = (files: Record<string, string> = {}) => tempFolder('stap-check-io-', files);

describe('.stpm macros in include folders', () => {
  const dir = folder({ 'inc/x.stpm': '@define mymacro %( 42 %)\n', 'use.stp': 'probe begin { println(@mymacro); exit() }\n' });
  const inc = path.join(dir, 'inc');
  const script = path.join(dir, 'use.stp');

  test('as stap -I DIR does', { skip: !findStap() && 'no stap' }, () => {
    const stap = (...args: string[]) => spawnSync(findStap()!, ['-r', fakeKernelTree(), '-p1', ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, LANG: 'C', LC_ALL: 'C' } });
    assert.equal(stap('-I', inc, script).status, 0);
    assert.notEqual(stap(script).status, 0);
  });
});
