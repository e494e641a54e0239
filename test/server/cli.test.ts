// stap-check, the bundled CLI (dist/cli.js), run as a user would.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { CLI, SAMPLES } from '../support/paths';

const run = (...args: string[]) => {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

describe('stap-check', () => {
  test('clean samples: exit 0 and no output', () => {
    const files = ['add_params.stp', 'printk_hello.stp', 'printk_jiffies.stp', 'device_name.stp', 'icmp_inerrors.stp'].map((f) => path.join(SAMPLES, f));
    const r = run(...files);
    assert.equal(r.stdout, '');
    assert.equal(r.code, 0);
  });

  test('the mistakes sample: gcc-style lines, exit 1', () => {
    const file = path.join(SAMPLES, 'mistakes.stp');
    const r = run(file);
    assert.equal(r.code, 1);
    const all = r.stdout.trim().split('\n');
    const lines = all.filter((l) => !l.includes(': note: '));
    assert.deepEqual(
      lines.map((l) => l.replace(file, 'F').replace(/: .*\[/, ' [')),
      ['F:7:27 [param-unused]', 'F:7:35 [guru-mode-required]', 'F:8:31 [stap-arg-unknown]', 'F:14:2 [syntax]'],
    );
    assert.match(lines[2], /: error: 'y' is not a parameter of function add/);
    // Related places follow their finding as gcc's notes do.
    const guru = all.findIndex((l) => l.endsWith('[guru-mode-required]'));
    assert.equal(all[guru + 1], `${file}:1:1: note: the '#!' line runs stap without -g`);
  });

  test('unknown functions are warned about; -I DIR adds a tapset folder, as stap -I does', { skip: !fs.existsSync('/usr/share/systemtap/tapset') && 'no tapset library' }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-check-I-'));
    fs.mkdirSync(path.join(dir, 'tapset'));
    fs.writeFileSync(path.join(dir, 'tapset', 'mine.stp'), 'function my_tool:long() { return 42 }\n');
    const script = path.join(dir, 'use.stp');
    fs.writeFileSync(script, 'probe begin { println(my_tool(), execnme()); exit() }\n');
    const unknown = (r: { stdout: string }) => [...r.stdout.matchAll(/unknown function '(\w+)'/g)].map((m) => m[1]);
    const without = run(script);
    assert.deepEqual(unknown(without), ['my_tool', 'execnme']);
    assert.equal(without.code, 0, 'warnings only');
    assert.match(without.stdout, /did you mean 'execname'/);
    assert.deepEqual(unknown(run('-I', path.join(dir, 'tapset'), script)), ['execnme']);
    assert.deepEqual(unknown(run(`-I${path.join(dir, 'tapset')}`, script)), ['execnme']);
  });

  test('json output has LSP ranges (0-based)', () => {
    const r = run('--format', 'json', path.join(SAMPLES, 'mistakes.stp'));
    const report = JSON.parse(r.stdout);
    const syntax = report[0].diagnostics.find((d: { code: string }) => d.code === 'syntax');
    assert.deepEqual(syntax.range.start, { line: 13, character: 1 });
    assert.equal(syntax.severity, 'error');
  });

  test('-g declares guru mode; --syntax-only reports what stap -p1 does', () => {
    const tmp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stap-check-')), 'g.stp');
    fs.writeFileSync(tmp, 'function f() %{ %}\nprobe begin { f() }\n');
    const plain = run('--syntax-only', tmp);
    assert.equal(plain.code, 1);
    assert.match(plain.stdout, /embedded code in unprivileged script; need stap -g/);
    assert.equal(run('--syntax-only', '-g', tmp).code, 0);
    assert.equal(run('--syntax-only', '--library', tmp).code, 0);
  });

  test('missing file: clear message, exit 2, no stack trace', () => {
    const r = run('/no/such/file.stp');
    assert.equal(r.code, 2);
    assert.match(r.stderr, /cannot read \/no\/such\/file\.stp: no such file/);
    assert.doesNotMatch(r.stderr, /at .*\.js:\d+/);
  });

  test('usage errors exit 2', () => {
    assert.equal(run().code, 2);
    assert.equal(run('--format', 'xml', 'x.stp').code, 2);
    assert.equal(run('--bogus', 'x.stp').code, 2);
    assert.equal(run('--help').code, 0);
  });
  test('--args gives the script arguments: pasted in as stap does, and a $N past them is an error', () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'stap-check-args-')), 'args.stp');
    fs.writeFileSync(file, 'global top = $1\nprobe begin { printf(@2 "\\n"); println($3) }\n');
    const errors = (r: { stdout: string }) => r.stdout.split('\n').filter((l) => l.includes(': error: '));
    assert.deepEqual(errors(run('--syntax-only', file)), [], 'arguments unknown: $3 may be given');
    const r = run('--syntax-only', file, '--args', '10', '%d');
    assert.equal(r.code, 1);
    assert.deepEqual(
      errors(r).map((l) => l.replace(file, 'F')),
      ['F:2:40: error: command line argument out of range: $3, but 2 script arguments are given [syntax]'],
    );
    assert.equal(run('--syntax-only', file, '--args', '10', '%d', 'x').code, 0);
  });
});
