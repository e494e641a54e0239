// stap-check --kernel-release takes what the editor setting systemtap.kernelRelease
// takes: a kernel release, or a kernel build directory whose release is in
// include/config/kernel.release, as `stap -r` does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { CLI } from '../support/paths';
import { tempFolder } from '../support/tempFiles';

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

// The old-kernel branch has a syntax error; only a kernel older than 3.0 takes it.
const TEXT = '%( kernel_v < "3.0" %?\nprobe begin { x = }\n%:\nprobe begin { exit() }\n%)\n';

function kernelTree(release: string): string {
  return tempFolder('kernel-build-', { 'include/config/kernel.release': `${release}\n` });
}

describe('stap-check --kernel-release', () => {
  const script = path.join(tempFolder('stap-check-kr-', { 'conditional.stp': TEXT }), 'conditional.stp');

  test('a release picks the %( kernel_v %) branch that is checked', () => {
    assert.equal(run('--kernel-release', '2.6.32', script).code, 1);
    assert.equal(run('--kernel-release', '6.1.0', script).code, 0);
  });

  test('a kernel build directory: its include/config/kernel.release picks the branch', () => {
    const old = run('--kernel-release', kernelTree('2.6.18-old'), script);
    assert.equal(old.code, 1, old.stdout + old.stderr);
    assert.match(old.stdout, /conditional\.stp:2:\d+: error: .*\[syntax\]/);
    const current = run(`--kernel-release=${kernelTree('6.1.0-13-amd64')}`, script);
    assert.equal(current.stdout, '');
    assert.equal(current.code, 0, current.stderr);
  });

  test('a folder that is not a kernel build directory is a usage error, not this machine quietly', () => {
    const notATree = tempFolder('not-kernel-build-');
    const r = run('--kernel-release', notATree, script);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--kernel-release '.*': not a kernel build directory \(no include\/config\/kernel\.release\)/);
    assert.equal(r.stdout, '');
  });
});
