// The argument vectors of runs, checks and the kernel log: what stap receives.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { checkInvocation, joinArguments, kernelLogInvocation, RunRequest, runInvocation, splitArguments } from '../../client/src/run/stapCommand';

const base: RunRequest = { stapPath: 'stap', script: '/w/trace.stp', guru: true, verbose: true, extraArgs: [], scriptArgs: [], sudo: 'never', isRoot: false };

describe('run argv', () => {
  test('stap -v -g SCRIPT ARGS, options before the script, script arguments after it', () => {
    assert.deepEqual(runInvocation({ ...base, extraArgs: ['-DMAXSTRINGLEN=256'], scriptArgs: ['eth0', '5'] }), {
      file: 'stap',
      args: ['-v', '-g', '-DMAXSTRINGLEN=256', '--', '/w/trace.stp', 'eth0', '5'],
    });
    assert.deepEqual(runInvocation({ ...base, guru: false, verbose: false }).args, ['--', '/w/trace.stp']);
    assert.deepEqual(runInvocation({ ...base, scriptArgs: ['-1', '-p4'] }).args.slice(-4), ['--', '/w/trace.stp', '-1', '-p4'], 'script arguments that look like options');
  });
  test('includePaths become -I DIR, in runs and checks', () => {
    assert.deepEqual(runInvocation({ ...base, includePaths: ['/w/tapset', '/w/more'] }).args, ['-v', '-g', '-I', '/w/tapset', '-I', '/w/more', '--', '/w/trace.stp']);
    assert.deepEqual(checkInvocation({ stapPath: 'stap', script: '/w/s.stp', guru: false, scriptArgs: [], kernelRelease: '', includePaths: ['/w/tapset'] }).args, [
      '-p2',
      '-I',
      '/w/tapset',
      '--',
      '/w/s.stp',
    ]);
  });
  test('-c CMD and -x PID are single elements, the command unsplit', () => {
    assert.deepEqual(runInvocation({ ...base, command: 'ping -c 1 127.0.0.1' }).args, ['-v', '-g', '-c', 'ping -c 1 127.0.0.1', '--', '/w/trace.stp']);
    assert.deepEqual(runInvocation({ ...base, pid: 4242 }).args, ['-v', '-g', '-x', '4242', '--', '/w/trace.stp']);
  });
  test('sudo: auto uses it unless root, always and never mean it; a remote run never', () => {
    assert.deepEqual(runInvocation({ ...base, sudo: 'auto' }), { file: 'sudo', args: ['--', 'stap', '-v', '-g', '--', '/w/trace.stp'] });
    assert.equal(runInvocation({ ...base, sudo: 'auto', isRoot: true }).file, 'stap');
    assert.equal(runInvocation({ ...base, sudo: 'always', isRoot: true }).file, 'sudo');
    assert.equal(runInvocation({ ...base, sudo: 'never' }).file, 'stap');
    assert.deepEqual(runInvocation({ ...base, sudo: 'always', remote: 'ssh://root@box' }), { file: 'stap', args: ['-v', '-g', '--remote', 'ssh://root@box', '--', '/w/trace.stp'] });
  });
  test('a hostile file name and arguments arrive as they are, one element each', () => {
    const script = "/w/a b; $(touch PWNED) 'x'.stp";
    const { args } = runInvocation({ ...base, sudo: 'always', script, scriptArgs: ['`id`', '$HOME', 'a;b'] });
    assert.deepEqual(args, ['--', 'stap', '-v', '-g', '--', script, '`id`', '$HOME', 'a;b']);
  });
});

describe('check argv', () => {
  test('stap -p2 [-g] [-r RELEASE] SCRIPT ARGS', () => {
    assert.deepEqual(checkInvocation({ stapPath: '/usr/bin/stap', script: '/w/s.stp', guru: true, scriptArgs: ['1'], kernelRelease: '/tmp/kernel' }), {
      file: '/usr/bin/stap',
      args: ['-p2', '-g', '-r', '/tmp/kernel', '--', '/w/s.stp', '1'],
    });
    assert.deepEqual(checkInvocation({ stapPath: 'stap', script: '/w/s.stp', guru: false, scriptArgs: [], kernelRelease: '' }).args, ['-p2', '--', '/w/s.stp']);
  });
});

describe('kernel log argv', () => {
  test('journalctl -k -f, or dmesg -w, under sudo as the run would be', () => {
    assert.deepEqual(kernelLogInvocation('journalctl', 'never', false), { file: 'journalctl', args: ['-k', '-f', '-n', '20'] });
    assert.deepEqual(kernelLogInvocation('dmesg', 'auto', false), { file: 'sudo', args: ['--', 'dmesg', '-w'] });
    assert.equal(kernelLogInvocation('dmesg', 'auto', true).file, 'dmesg');
  });
});

describe('script arguments typed by the user', () => {
  test('split like shell words, nothing expanded', () => {
    assert.deepEqual(splitArguments('eth0  5'), ['eth0', '5']);
    assert.deepEqual(splitArguments(`"a b" 'c d' e\\ f ""`), ['a b', 'c d', 'e f', '']);
    assert.deepEqual(splitArguments('$HOME `id` $(x)'), ['$HOME', '`id`', '$(x)']);
    assert.deepEqual(splitArguments('   '), []);
  });
  test('joined back so that splitting gives the same list', () => {
    for (const list of [
      ['eth0', '5'],
      ['a b', "it's", ''],
      ['$HOME', '`id`', 'x"y'],
    ])
      assert.deepEqual(splitArguments(joinArguments(list)), list);
    assert.equal(joinArguments(['eth0', 'a b']), "eth0 'a b'");
  });
});

describe('finding executables', () => {
  test('a bare name on PATH, a path as it is; not a plain file, not a directory', async () => {
    const { findExecutable } = await import('../../client/src/run/which');
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'which-'));
    fs.writeFileSync(path.join(dir, 'tool'), '#!/bin/sh\n', { mode: 0o755 });
    fs.writeFileSync(path.join(dir, 'data'), 'x', { mode: 0o644 });
    fs.mkdirSync(path.join(dir, 'folder'));
    assert.equal(findExecutable('tool', `/nonexistent:${dir}`), path.join(dir, 'tool'));
    assert.equal(findExecutable(path.join(dir, 'tool'), ''), path.join(dir, 'tool'));
    assert.equal(findExecutable('missing-tool', dir), undefined);
    assert.equal(findExecutable('folder', dir), undefined);
    assert.equal(findExecutable('data', dir), undefined, 'no execute bit');
  });
});
