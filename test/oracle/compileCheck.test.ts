// The compile check (pass 4) with the real stap and a real kernel build tree:
// Debian's linux-headers-*-amd64 (which .ci/run installs). One compile of a
// guru script with a mistyped struct member, about 30 s on two idle cores:
// gcc's error must land on the member in the script, and whatever fails in
// stap's runtime against these headers (stap 4.8 on 6.1: stp_task_work.c)
// must be reported as the machine's, not placed in the script. Also the
// runtime's test compile and stap's failure without a build tree.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { compileFiles } from '../../server/src/cli/compileFiles';
import { compileCheck } from '../../server/src/environment/doctor/compileCheck';
import { debianBuildTree } from '../support/kernelBuildTree';
import { REPO_ROOT } from '../support/paths';
import { stapOrSkip } from '../support/stapOracle';

const stap = stapOrSkip();

/** The build tree; CI must have one. */
function buildTreeOrSkip(): string | undefined {
  const tree = debianBuildTree();
  if (!tree && process.env.CI) throw new Error('no kernel build tree in /usr/src: CI must compile against one (apt-get install linux-headers-amd64)');
  return tree;
}

const buildDir = stap ? buildTreeOrSkip() : undefined;
const script = path.join(REPO_ROOT, 'test', 'fixtures', 'compile', 'nmae.stp');

describe('the compile check against a real build tree', { skip: (!stap && 'stap is not installed') || (!buildDir && 'no linux-headers-*-amd64 in /usr/src') }, () => {
  test("stap-check --compile places gcc's error on the mistyped member and reports the runtime's failures once, as the machine's", async () => {
    const run = await compileFiles({ format: 'text', guru: false, syntaxOnly: false, library: false, includePaths: [], files: [script], compile: true, kernelBuild: buildDir });
    assert.deepEqual(run.failed, []);
    const [report] = run.reports;
    const text = fs.readFileSync(script, 'utf8').split('\n');
    const placed = report.diagnostics.map((d) => ({ message: d.message, text: text[d.range.start.line].slice(d.range.start.character, d.range.end.character), line: d.range.start.line + 1 }));
    assert.deepEqual(placed, [{ message: "'struct net_device' has no member named 'nmae'; did you mean 'name'?", text: 'nmae', line: 7 }]);
    // What is not the script's names files outside it, each once; none is the generated C.
    for (const line of run.environment) assert.doesNotMatch(line, /stap_\d+_src\.c/);
    assert.equal(new Set(run.environment).size, run.environment.length);
    if (run.environment.length) assert.ok(run.environment.some((l) => /does not compile against/.test(l)));
  });

  test('no build tree: stap stops before compiling, and the failure names the cause and the fix', async () => {
    const missing = path.join(REPO_ROOT, 'test', 'fixtures', 'compile', 'no-such-build-tree');
    const result = await compileCheck({ stapPath: stap!, script, buildDir: missing });
    assert.equal(result.diagnostics.length, 0);
    assert.ok(result.failure, result.stderr);
    assert.match(result.failure.cause, /not a kernel build tree|no kernel build tree|not a usable kernel build tree/);
  });
});
