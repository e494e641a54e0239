// The environment doctor's probes on fake file system roots (a kernel build
// tree here, lockdown there), the machine failures read from stap 4.8's real
// messages, the report, and stap-check's --compile and --environment options.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseArgs, UsageError } from '../../server/src/cli/args';
import { buildTreeFor } from '../../server/src/cli/compileFiles';
import { blockingFindings, EnvironmentReport, FindingId } from '../../server/src/environment/doctor/findings';
import { DoctorSettings, Host, probeEnvironment, RuntimeStatus } from '../../server/src/environment/doctor/probes';
import { reportMarkdown } from '../../server/src/environment/doctor/report';
import { explainStapFailure, isEnvironmentMessage } from '../../server/src/environment/doctor/stapFailure';
import { tempFolder } from '../support/tempFiles';

const RELEASE = '6.1.0-57-amd64';
const DEBIAN = { 'etc/os-release': 'PRETTY_NAME="Debian GNU/Linux 12"\nID=debian\n', 'etc/group': 'root:x:0:\nstapdev:x:105:\nstapusr:x:106:\n' };
const BUILD_TREE = { [`lib/modules/${RELEASE}/build/.config`]: 'CONFIG_X=y\n', [`lib/modules/${RELEASE}/build/Makefile`]: '' };

function host(files: Record<string, string>, overrides: Partial<Host> = {}, runtime?: RuntimeStatus): Host {
  return {
    root: tempFolder('stap-doctor-', files),
    env: {},
    uid: 1000,
    gids: [1000],
    thisRelease: RELEASE,
    stapVersion: async () => '4.8/0.188',
    hasExecutable: () => true,
    runtimeStatus: () => runtime,
    ...overrides,
  };
}

const settings: DoctorSettings = { kernelRelease: '', sudo: 'auto', stapPath: 'stap' };
const finding = (report: EnvironmentReport, id: FindingId) => report.findings.find((f) => f.id === id)!;

describe('the environment probes', () => {
  test('a machine with everything: no errors, nothing blocks a run', async () => {
    const files = { ...DEBIAN, ...BUILD_TREE, [`usr/lib/debug/boot/vmlinux-${RELEASE}`]: '', 'sys/kernel/btf/vmlinux': '', 'sys/kernel/security/lockdown': '[none] integrity confidentiality\n' };
    const report = await probeEnvironment(settings, host(files, {}, { ok: true, errors: [], testedAt: 't' }));
    assert.deepEqual(
      report.findings.filter((f) => f.severity !== 'ok' && f.severity !== 'info'),
      [],
    );
    assert.equal(report.stapVersion, '4.8/0.188');
    assert.equal(blockingFindings(report).length, 0);
  });

  test('no build tree for the running kernel: an error that blocks, with the Debian package that fixes it and the trees that are there', async () => {
    const files = { ...DEBIAN, 'usr/src/linux-headers-6.1.0-40-amd64/.config': '', 'usr/src/linux-headers-6.1.0-40-amd64/Makefile': '' };
    const report = await probeEnvironment(settings, host(files));
    const headers = finding(report, 'headers');
    assert.equal(headers.severity, 'error');
    assert.match(headers.detail, new RegExp(`/lib/modules/${RELEASE}/build does not exist`));
    assert.match(headers.detail, /\/usr\/src\/linux-headers-6\.1\.0-40-amd64/);
    assert.match(headers.fix!, new RegExp(`apt install linux-headers-${RELEASE}`));
    assert.deepEqual(
      blockingFindings(report).map((f) => f.id),
      ['headers'],
    );
  });

  test('on Fedora the fix is kernel-devel, elsewhere stap-prep', async () => {
    const fedora = await probeEnvironment(settings, host({ 'etc/os-release': 'ID=fedora\n' }));
    assert.match(finding(fedora, 'headers').fix!, new RegExp(`dnf install kernel-devel-${RELEASE}`));
    const other = await probeEnvironment(settings, host({}));
    assert.match(finding(other, 'headers').fix!, /stap-prep/);
  });

  test('a build tree named in the setting: its release from utsrelease.h, and lockdown is not judged for another kernel', async () => {
    const tree = 'usr/src/linux-headers-6.1.0-57-amd64';
    const files = {
      ...DEBIAN,
      [`${tree}/.config`]: '',
      [`${tree}/Makefile`]: '',
      [`${tree}/include/config/kernel.release`]: '6.1.192\n',
      [`${tree}/include/generated/utsrelease.h`]: '#define UTS_RELEASE "6.1.0-57-amd64"\n',
    };
    const report = await probeEnvironment({ ...settings, kernelRelease: `/${tree}` }, host(files, { thisRelease: '6.18.44' }));
    assert.equal(report.release, '6.1.0-57-amd64');
    assert.equal(report.isThisMachine, false);
    assert.equal(finding(report, 'headers').severity, 'ok');
    assert.equal(finding(report, 'lockdown').severity, 'info');
  });

  test('debuginfo: missing is a warning with the -dbg package; DEBUGINFOD_URLS makes it information', async () => {
    const missing = await probeEnvironment(settings, host({ ...DEBIAN, ...BUILD_TREE }));
    assert.equal(finding(missing, 'debuginfo').severity, 'warning');
    assert.match(finding(missing, 'debuginfo').fix!, new RegExp(`linux-image-${RELEASE}-dbg`));
    const fetched = await probeEnvironment(settings, host({ ...DEBIAN, ...BUILD_TREE }, { env: { DEBUGINFOD_URLS: 'https://debuginfod.debian.net' } }));
    assert.equal(finding(fetched, 'debuginfo').severity, 'info');
  });

  test('permission: root; sudo; the stapdev group; stapusr only; none of them', async () => {
    const severityFor = async (overrides: Partial<Host>, sudo: DoctorSettings['sudo'] = 'auto') =>
      finding(await probeEnvironment({ ...settings, sudo }, host({ ...DEBIAN, ...BUILD_TREE }, overrides)), 'permission').severity;
    assert.equal(await severityFor({ uid: 0 }), 'ok');
    assert.equal(await severityFor({}), 'ok');
    assert.equal(await severityFor({ gids: [105] }, 'never'), 'ok');
    assert.equal(await severityFor({ gids: [106] }, 'never'), 'warning');
    assert.equal(await severityFor({}, 'never'), 'error');
    assert.equal(await severityFor({ hasExecutable: () => false }), 'error');
  });

  test('lockdown and enforced signatures are errors that block a run', async () => {
    const files = { ...DEBIAN, ...BUILD_TREE, 'sys/kernel/security/lockdown': 'none [integrity] confidentiality\n', 'sys/module/module/parameters/sig_enforce': 'Y\n' };
    const report = await probeEnvironment(settings, host(files));
    assert.equal(finding(report, 'lockdown').severity, 'error');
    assert.match(finding(report, 'lockdown').detail, /"integrity"/);
    assert.equal(finding(report, 'signing').severity, 'error');
    assert.deepEqual(
      blockingFindings(report).map((f) => f.id),
      ['lockdown', 'signing'],
    );
  });

  test("the runtime: untested is information; a failed test compile is an error naming gcc's complaint", async () => {
    const untested = await probeEnvironment(settings, host({ ...DEBIAN, ...BUILD_TREE }));
    assert.equal(finding(untested, 'runtime').severity, 'info');
    const failed = await probeEnvironment(settings, host({ ...DEBIAN, ...BUILD_TREE }, {}, { ok: false, errors: ['stp_task_work.c:107: passing argument 2 of task_work_cancel'], testedAt: 't' }));
    assert.equal(finding(failed, 'runtime').severity, 'error');
    assert.match(finding(failed, 'runtime').detail, /stp_task_work\.c:107/);
  });

  test('no stap: an error with the install command, and the runtime is not judged', async () => {
    const report = await probeEnvironment(settings, host({ ...DEBIAN, ...BUILD_TREE }, { stapVersion: async () => undefined }));
    assert.equal(finding(report, 'stap').severity, 'error');
    assert.match(finding(report, 'stap').fix!, /apt install systemtap/);
    assert.equal(finding(report, 'runtime').severity, 'info');
  });

  test('the report puts errors first, each with its fix in a code block', async () => {
    const report = await probeEnvironment(settings, host(DEBIAN));
    const markdown = reportMarkdown(report, new Date('2026-12-01T12:00:00Z'));
    assert.match(markdown, /^# SystemTap environment/);
    assert.match(markdown, /\*\*1 problem\*\* will make runs fail/);
    const firstHeading = /^## (.*)$/m.exec(markdown)![1];
    assert.match(firstHeading, /Error: Kernel headers/);
    assert.match(markdown, new RegExp('```\\nsudo apt install linux-headers-' + RELEASE.replace(/\./g, '\\.')));
  });
});

describe("stap's machine failures", () => {
  test('no build tree (stap 4.8, pass 1): the release and its headers package', () => {
    const failure = explainStapFailure(
      'Checking "/lib/modules/6.18.44-fc-v1045/build/.config" failed with error: No such file or directory\nTip: /usr/share/doc/systemtap/README.Debian should help you get started.\n',
    );
    assert.ok(failure);
    assert.match(failure.cause, /no kernel build tree for 6\.18\.44-fc-v1045/);
    assert.match(failure.fix, /apt install linux-headers-6\.18\.44-fc-v1045/);
  });

  test('a folder that is no build tree, and missing debuginfo', () => {
    assert.match(explainStapFailure('ERROR: kernel release isn\'t found in "/nonexist"\n')!.cause, /\/nonexist is not a kernel build tree/);
    const debuginfo = "semantic error: missing x86_64 kernel/module debuginfo [man warning::debuginfo] under '/usr/src/linux-headers-6.1.0-57-amd64'\n";
    assert.match(explainStapFailure(debuginfo)!.fix, /DEBUGINFOD_URLS/);
    assert.ok(isEnvironmentMessage('while resolving probe point: missing x86_64 kernel/module debuginfo [man warning::debuginfo]'));
  });

  test("a script's own error is not the machine's", () => {
    assert.equal(explainStapFailure("semantic error: unresolved function call: identifier 'foo' at s.stp:1:15\n"), undefined);
    assert.equal(isEnvironmentMessage('unresolved function call'), false);
  });
});

describe("stap-check's compile and environment options", () => {
  test('--compile with --kernel-build; --kernel-build alone and --environment with files are refused', () => {
    const o = parseArgs(['--compile', '--kernel-build', '/usr/src/h', 'a.stp']);
    assert.ok(typeof o === 'object' && o.compile && o.kernelBuild === '/usr/src/h');
    assert.throws(() => parseArgs(['--kernel-build', '/x', 'a.stp']), UsageError);
    assert.throws(() => parseArgs(['--environment', 'a.stp']), UsageError);
    assert.throws(() => parseArgs(['--compile', '-']), UsageError);
    const env = parseArgs(['--environment']);
    assert.ok(typeof env === 'object' && env.environment);
  });

  test("the build tree: --kernel-build, else the target release's, else this machine's", () => {
    assert.equal(buildTreeFor({ kernelBuild: '/usr/src/h' }), '/usr/src/h');
    assert.equal(buildTreeFor({ kernelRelease: '6.1.0-9-amd64' }), '/lib/modules/6.1.0-9-amd64/build');
    assert.match(buildTreeFor({}), /^\/lib\/modules\/[^/]+\/build$/);
  });
});
