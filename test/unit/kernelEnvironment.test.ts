// The kernel's type data in the environment scripts are checked in: loaded in
// the background from the sources the settings choose, told to listeners,
// given to the analysis; the setting and stap-check's --kernel-types.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { checkFolders, parseArgs, UsageError } from '../../server/src/cli/args';
import { analysisOptionsFor, checkText } from '../../server/src/cli/checkFiles';
import { Environment, environmentKey, resolveSettings } from '../../server/src/environment/environment';
import { environmentSettings } from '../../server/src/environment/scopes';
import { TapsetIndexCache } from '../../server/src/analysis/tapsetIndexCache';
import { resolveKernelTypes } from '../../server/src/workspaceSettings';
import { kernelFixture, kernelFixtureFolder } from '../support/kernelFixture';
import { tempFolder } from '../support/tempFiles';

const tapsets = tempFolder('kenv-tapset-', { 'lib.stp': 'function from_lib:long() { return 1 }\n' });
const RELEASE = '6.18.0-test';
const SCRIPT = 'probe kernel.function("wake_up_new_task") { println($p->state) }\n';

function fixtureSources() {
  const f = kernelFixtureFolder();
  return { sysBtfDir: f.sysBtfDir, kallsyms: f.kallsyms, runningRelease: RELEASE };
}

describe('kernel data in the environment', () => {
  test('the running kernel: loaded after the macros, told to listeners, given to the analysis', async () => {
    const logs: string[] = [];
    const environment = new Environment({ tapsetDir: tapsets, kernelRelease: RELEASE }, { cParser: false, index: false, kernelSources: fixtureSources(), log: (_, m) => logs.push(m) });
    assert.equal(environment.kernelStatus.state, 'loading');
    assert.equal(environment.analysisOptions(undefined).kernel, undefined);
    let changes = 0;
    environment.onDidChange(() => changes++);
    await environment.load();
    assert.equal(environment.kernelStatus.state, 'loaded');
    assert.match(environment.kernelStatus.message, /kernel types: .*btf\/vmlinux: \d+ types, 10 functions/);
    assert.ok(environment.kernel?.hasFunction('entry_SYSCALL_64'), 'the symbol table is in');
    assert.equal(environment.analysisOptions(undefined).kernel, environment.kernel);
    assert.equal(changes, 3, 'macros, the BTF, the symbol table');
    assert.deepEqual(
      logs.filter((m) => m.startsWith('kernel')),
      [environment.kernelStatus.message],
    );
  });

  test('the kernel data loads also when the tapset index is read from its cache', async () => {
    const cache = new TapsetIndexCache(path.join(tempFolder('kenv-cache-'), 'systemtap-guru'), 'test build');
    const settings = { tapsetDir: tapsets, kernelRelease: RELEASE };
    const fresh = () => new Environment(settings, { cParser: false, indexCache: cache, kernelSources: fixtureSources() });
    const first = fresh();
    await first.load();
    first.dispose();
    const second = fresh();
    await second.load();
    assert.ok(second.index.functions.has('from_lib'));
    assert.equal(second.kernelStatus.state, 'loaded');
    assert.ok(second.kernel?.hasFunction('entry_SYSCALL_64'));
    second.dispose();
  });

  test('environments of one kernel share its data, told of once; the last to go lets it go', async () => {
    const sources = fixtureSources();
    const logs: string[] = [];
    const make = (includePaths: string[]) =>
      new Environment({ tapsetDir: tapsets, kernelRelease: RELEASE, includePaths }, { cParser: false, index: false, kernelSources: sources, log: (_, m) => logs.push(m) });
    const a = make([]);
    const b = make([tempFolder('kenv-inc-')]);
    await Promise.all([a.load(), b.load()]);
    assert.ok(a.kernel);
    assert.equal(a.kernel, b.kernel);
    assert.equal(logs.filter((m) => m.startsWith('kernel types:')).length, 1);
    a.dispose();
    b.dispose();
    const c = make([]);
    await c.load();
    assert.ok(c.kernel);
    assert.notEqual(c.kernel, a.kernel, 'loaded again once both were gone');
  });

  test('another kernel without a file: no data, said once in the log and in the status', async () => {
    const logs: string[] = [];
    const environment = new Environment({ tapsetDir: tapsets, kernelRelease: '5.4.0-old' }, { cParser: false, index: false, kernelSources: fixtureSources(), log: (_, m) => logs.push(m) });
    await environment.load();
    assert.equal(environment.kernelStatus.state, 'none');
    assert.equal(environment.kernel, undefined);
    assert.deepEqual(
      logs.filter((m) => /type data/.test(m)),
      [environment.kernelStatus.message],
    );
  });

  test('a file from the settings for another kernel; its path is part of what identifies the environment', async () => {
    const file = path.join(tempFolder('kenv-file-'), 'vmlinux.btf');
    fs.writeFileSync(file, kernelFixture().vmlinux);
    const environment = new Environment({ tapsetDir: tapsets, kernelRelease: '5.4.0-old', kernelTypes: file }, { cParser: false, index: false, kernelSources: fixtureSources() });
    await environment.load();
    assert.equal(environment.kernelStatus.state, 'loaded');
    assert.ok(environment.kernel?.function('tcp_sendmsg'));
    assert.notEqual(environmentKey(resolveSettings({ kernelTypes: file })), environmentKey(resolveSettings({})));
  });

  test("a file that cannot be used is a warning, and the checks are off; 'off' when the caller wants none", async () => {
    const logs: [string, string][] = [];
    const environment = new Environment({ tapsetDir: tapsets, kernelTypes: '/nonexistent/vmlinux' }, { cParser: false, index: false, log: (level, m) => logs.push([level, m]) });
    await environment.load();
    assert.equal(environment.kernelStatus.state, 'failed');
    assert.ok(logs.some(([level, m]) => level === 'warn' && /cannot use the kernel types file \/nonexistent\/vmlinux: no such file/.test(m)));
    const off = new Environment({ tapsetDir: tapsets }, { cParser: false, index: false, kernel: false });
    await off.load();
    assert.equal(off.kernelStatus.state, 'off');
    assert.equal(off.kernel, undefined);
  });
});

describe('the systemtap.kernelTypes setting', () => {
  test("resolved like an include folder; blank and 'none' as they are", () => {
    const folders = ['/w/a', '/w/b'];
    assert.equal(resolveKernelTypes('kernels/vmlinux', '/w/b/x.stp', folders), '/w/b/kernels/vmlinux');
    assert.equal(resolveKernelTypes('/abs/vmlinux', '/w/b/x.stp', folders), '/abs/vmlinux');
    assert.equal(resolveKernelTypes('vmlinux', undefined, folders), '/w/a/vmlinux');
    assert.equal(resolveKernelTypes('', '/w/a/x.stp', folders), '');
    assert.equal(resolveKernelTypes(' none ', '/w/a/x.stp', folders), 'none');
    assert.equal(resolveKernelTypes(3, '/w/a/x.stp', folders), '');
  });
  test('read from the settings of a scope', () => {
    assert.equal(environmentSettings({ kernelTypes: 'vmlinux' }, 'file:///w/a', ['file:///w/a']).kernelTypes, '/w/a/vmlinux');
    assert.equal(environmentSettings(undefined, 'file:///w/a', ['file:///w/a']).kernelTypes, '');
  });
});

describe('stap-check --kernel-types', () => {
  test('parsed, and the file must be a file', () => {
    const parsed = parseArgs(['--kernel-types', 'vmlinux', 'a.stp']);
    assert.ok(typeof parsed === 'object' && parsed.kernelTypes === 'vmlinux');
    const inline = parseArgs(['--kernel-types=none', 'a.stp']);
    assert.ok(typeof inline === 'object' && inline.kernelTypes === 'none');
    const dir = tempFolder('kenv-cli-', { 'vmlinux.btf': 'x' });
    const o = (kernelTypes: string) => ({ format: 'text' as const, guru: false, syntaxOnly: false, library: false, includePaths: [], files: ['a.stp'], kernelTypes });
    checkFolders(o(path.join(dir, 'vmlinux.btf')));
    checkFolders(o('none'));
    assert.throws(
      () => checkFolders(o(path.join(dir, 'missing'))),
      (e) => e instanceof UsageError && /--kernel-types .*: no such file/.test(e.message),
    );
    assert.throws(
      () => checkFolders(o(dir)),
      (e) => e instanceof UsageError && /not a file/.test(e.message),
    );
  });

  test('the kernel checks run against the file; none turns them off; library files are not checked', async () => {
    const file = path.join(tempFolder('kenv-cli-file-'), 'vmlinux.btf');
    fs.writeFileSync(file, kernelFixture().vmlinux);
    const base = { format: 'text' as const, guru: false, syntaxOnly: false, library: false, includePaths: [], files: ['a.stp'], tapsetDir: tapsets };
    const warnings: string[] = [];
    const withFile = await analysisOptionsFor({ ...base, kernelTypes: file, kernelRelease: '5.4.0-old' }, (m) => warnings.push(m));
    assert.deepEqual(
      checkText('a.stp', SCRIPT, withFile).diagnostics.map((d) => [d.code, d.severity, d.range.start]),
      [['target-member-unknown', 'warning', { line: 0, character: 56 }]],
    );
    assert.equal(warnings.join('\n'), '');
    const none = await analysisOptionsFor({ ...base, kernelTypes: 'none' }, (m) => warnings.push(m));
    assert.equal(none.kernel, undefined);
    const library = await analysisOptionsFor({ ...base, kernelTypes: file, library: true }, (m) => warnings.push(m));
    assert.equal(library.kernel, undefined);
  });
});
