// stap-check (dist/cli.js) given hostile include folders, odd input and
// misuse: it finishes, says what it left out, and keeps the results it has.
// Its parts run in this process are in test/unit/cliChecks.test.ts; that stap
// reads the include folder's macros too, in test/oracle/includeMacros.test.ts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { canMkfifo, mkfifo, tempFolder } from '../support/tempFiles';
import { CLI, SAMPLES } from '../support/paths';

const hasLibrary = fs.existsSync('/usr/share/systemtap/tapset');

// A run that hangs or eats the memory is a failure, not a stuck test run.
const run = (args: string[], options: { input?: string; memoryKB?: number } = {}) => {
  const r = options.memoryKB
    ? spawnSync('sh', ['-c', `ulimit -v ${options.memoryKB} && exec "$0" "$@"`, process.execPath, CLI, ...args], { encoding: 'utf8', timeout: 30_000, input: options.input })
    : spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 30_000, input: options.input });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
};
const unknown = (stdout: string) => [...stdout.matchAll(/unknown function '(\w+)'/g)].map((m) => m[1]);

const folder = (files: Record<string, string> = {}) => tempFolder('stap-check-io-', files);

/** An include folder with my_tool, and a script calling it and a misspelt library function. */
function includeFolder() {
  const dir = folder({ 'inc/good.stp': 'function my_tool:long() { return 42 }\n', 'use.stp': 'probe begin { println(my_tool(), execnme()); exit() }\n' });
  return { inc: path.join(dir, 'inc'), script: path.join(dir, 'use.stp') };
}

describe('hostile files in an include folder', { skip: !hasLibrary && 'no tapset library' }, () => {
  test('a FIFO named x.stp is skipped and reported, not waited on', { skip: !canMkfifo && 'no mkfifo' }, () => {
    const { inc, script } = includeFolder();
    mkfifo(path.join(inc, 'x.stp'));
    const r = run(['-I', inc, script]);
    assert.equal(r.signal, null, 'finished');
    assert.deepEqual(unknown(r.stdout), ['execnme']);
    assert.equal(r.stderr, `stap-check: skipped ${path.join(inc, 'x.stp')}: not a regular file (a FIFO)\n`);
    assert.equal(r.code, 0);
  });

  test('a link to /dev/zero is skipped, within 3 GB of address space', { skip: !fs.existsSync('/dev/zero') && 'no /dev/zero' }, () => {
    const { inc, script } = includeFolder();
    fs.symlinkSync('/dev/zero', path.join(inc, 'zero.stp'));
    fs.symlinkSync('/dev/zero', path.join(inc, 'zero.stpm'));
    // The C grammar's WebAssembly memory does not fit in 3 GB: embedded C checks are off here.
    const r = run(['-I', inc, script], { memoryKB: 3_000_000 });
    assert.equal(r.signal, null, 'finished');
    assert.match(r.stderr, new RegExp(`skipped ${path.join(inc, 'zero.stp')}: not a regular file \\(a character device\\)`));
    assert.match(r.stderr, new RegExp(`skipped ${path.join(inc, 'zero.stpm')}: not a regular file \\(a character device\\)`));
    assert.deepEqual(unknown(r.stdout), ['execnme']);
    assert.equal(r.code, 0);
  });

  test('a file the parser fails on costs only itself', () => {
    const { inc, script } = includeFolder();
    const n = 200_000; // nesting deeper than the parser's stack, today
    fs.writeFileSync(path.join(inc, 'deep.stp'), `function deep:long() { return ${'('.repeat(n)}1${')'.repeat(n)} }\n`);
    const r = run(['-I', inc, script]);
    assert.deepEqual(unknown(r.stdout), ['execnme']);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    assert.equal(r.code, 0);
  });
});

describe('.stpm macros in include folders', () => {
  const dir = folder({ 'inc/x.stpm': '@define mymacro %( 42 %)\n', 'use.stp': 'probe begin { println(@mymacro); exit() }\n' });
  const inc = path.join(dir, 'inc');
  const script = path.join(dir, 'use.stp');

  test('-I DIR loads DIR/*.stpm', () => {
    const r = run(['-I', inc, script]);
    assert.equal(r.stdout, '');
    assert.equal(r.code, 0);
    assert.match(run([script]).stdout, /unknown operator @mymacro/);
    assert.equal(run(['--syntax-only', `-I${inc}`, script]).code, 0);
  });
});

describe('the command line', () => {
  test("'-' reads the script from the standard input, reported as <stdin>", () => {
    const text = 'probe begin {\n  x = \n}\n';
    const r = run(['-'], { input: text });
    assert.match(r.stdout, /^<stdin>:3:1: error: expected expression, saw '\}' \[syntax\]\n$/);
    assert.equal(r.code, 1);
    const json = JSON.parse(run(['--format', 'json', '-'], { input: text }).stdout);
    assert.equal(json[0].file, '<stdin>');
    assert.equal(run(['-'], { input: 'probe begin { exit() }\n' }).code, 0);
    assert.equal(run(['-', '-'], { input: '' }).code, 2);
  });

  test('a --tapset-dir or -I folder that is missing or not a folder is a usage error', () => {
    const file = path.join(SAMPLES, 'printk_hello.stp');
    for (const [args, message] of <[string[], string][]>[
      [['--tapset-dir', '/no/such/dir'], "--tapset-dir '/no/such/dir': no such folder"],
      [['--tapset-dir=/no/such/dir'], "--tapset-dir '/no/such/dir': no such folder"],
      [['--tapset-dir', file], `--tapset-dir '${file}': not a folder`],
      [['-I', '/no/such/dir'], "-I '/no/such/dir': no such folder"],
      [[`-I${file}`], `-I '${file}': not a folder`],
    ]) {
      const r = run([...args, file]);
      assert.equal(r.code, 2, args.join(' '));
      assert.equal(r.stderr.split('\n')[0], `stap-check: ${message}`);
      assert.equal(r.stdout, '');
    }
  });

  test('piped into head: a quiet exit', () => {
    // Enough output to fill a pipe: about 300 bytes for each file.
    const script = path.join(folder({ 'w.stp': 'probe begin { println(execnme()) }\n' }), 'w.stp');
    return new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...Array(1000).fill(script)], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      child.stdout.once('data', () => child.stdout.destroy());
      child.on('error', reject);
      child.on('close', (code) => {
        try {
          assert.equal(stderr, '');
          assert.equal(code, 0);
          resolve();
        } catch (e) {
          reject(e);
        }
      });
    });
  });

  test('a file whose check fails: reported on its own, the other files still checked', () => {
    const dir = folder({ 'deep.stp': `probe begin { x = ${'('.repeat(200_000)}1${')'.repeat(200_000)} }\n` });
    const mistakes = path.join(SAMPLES, 'mistakes.stp');
    const r = run([path.join(dir, 'deep.stp'), mistakes]);
    assert.equal(r.stdout.split('\n').filter((l) => l.startsWith(`${mistakes}:`) && !l.includes(': note: ')).length, 4, r.stdout);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/, 'no stack trace');
    // Nesting this deep is past the parser's stack today; if it is ever checked, it must be as an ordinary file.
    if (r.stderr) assert.equal(r.stderr, `${path.join(dir, 'deep.stp')}: internal error: Maximum call stack size exceeded\n`);
    assert.equal(r.code, r.stderr ? 2 : 1);
  });

  test('control characters in file names and messages are escaped in text output', () => {
    const dir = folder();
    const file = path.join(dir, 'a\x01b\nc.stp');
    fs.writeFileSync(file, 'probe begin { x = 1 \x00 }\nprobe begin { y = 1 \x1b }\n');
    const r = run([file]);
    assert.equal(r.stdout, [`${dir}/a\\x01b\\nc.stp:1:21: error: invalid character '\\0' [syntax]`, `${dir}/a\\x01b\\nc.stp:2:21: error: invalid character '\\x1b' [syntax]`, ''].join('\n'));
    const json = JSON.parse(run(['--format', 'json', file]).stdout);
    assert.equal(json[0].file, file);
    assert.equal(json[0].diagnostics[0].message, "invalid character '\x00'");
    const missing = run([path.join(dir, 'gone\x07.stp')]);
    assert.equal(missing.stderr, `stap-check: cannot read ${dir}/gone\\x07.stp: no such file\n`);
  });

  test("stap-check's own messages quote at most a line of what they were given", () => {
    const huge = 'x'.repeat(100_000);
    for (const args of [
      ['--format', huge, 'a.stp'],
      [`--${huge}`, 'a.stp'],
      ['--tapset-dir', `/${huge}`, 'a.stp'],
      ['-I', `/${huge}`, 'a.stp'],
    ]) {
      const r = run(args);
      assert.equal(r.code, 2);
      assert.ok(r.stderr.split('\n')[0].length < 200, r.stderr.slice(0, 300));
    }
  });
});
