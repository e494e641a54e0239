// The tee a stap run goes through (client/src/run/tee.ts), as the program it
// is: spawned with children that print, fail, are signalled, or handle
// SIGINT as stap does. Its stdout stands for the terminal.
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { commandName, finalLine, MIN_LIFETIME_MS, parseTeeArgs } from '../../client/src/run/tee';
import { REPO_ROOT } from '../support/paths';
import { tempFolder } from '../support/tempFiles';

const TEE = path.join(REPO_ROOT, 'out', 'client', 'src', 'run', 'stapTee.js');
/** sudo's stand-in from the e2e tests: the test machines have no sudo. */
const SUDO = path.join(REPO_ROOT, 'test', 'e2e', 'standin', 'sudo');

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  file: string;
  lived: number;
}

/** Runs the tee on `node -e CHILD ARGS...`, in a process group of its own as in a terminal. */
function tee(child: string, args: string[] = [], options: { env?: NodeJS.ProcessEnv; sudo?: boolean; onStart?: (tee: ChildProcess, stdout: () => string) => void } = {}): Promise<Ended> {
  const out = path.join(tempFolder('stap-tee-'), 'run.txt');
  const started = Date.now();
  const command = [process.execPath, '-e', child, ...args];
  const proc = spawn(process.execPath, [TEE, '--out', out, '--name', 'stap', '--', ...(options.sudo ? [SUDO, '--'] : []), ...command], {
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
    env: options.env ?? process.env,
  });
  let stdout = '';
  let stderr = '';
  proc.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  options.onStart?.(proc, () => stdout);
  return new Promise((resolve) =>
    proc.on('close', (code, signal) => resolve({ code, signal, stdout, stderr, file: fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : '', lived: Date.now() - started })),
  );
}

/** Calls `act` once the child printed `ready`. */
const whenReady = (act: (tee: ChildProcess) => void) => (proc: ChildProcess, stdout: () => string) => {
  const poll = setInterval(() => {
    if (stdout().includes('ready')) {
      clearInterval(poll);
      act(proc);
    }
  }, 20);
};

describe('stap tee: arguments', () => {
  test('--out FILE [--name NAME] -- COMMAND, the command after the first --', () => {
    assert.deepEqual(parseTeeArgs(['--out', '/r/a.txt', '--', 'sudo', '--', 'stap', '-v', '--', 'x.stp', '--']), {
      out: '/r/a.txt',
      name: 'stap',
      command: ['sudo', '--', 'stap', '-v', '--', 'x.stp', '--'],
    });
    assert.equal(parseTeeArgs(['--out', 'f', '--name', 'probe', '--', '/usr/bin/stap']).name, 'probe');
    assert.throws(() => parseTeeArgs(['--', 'stap']), /--out/);
    assert.throws(() => parseTeeArgs(['--out', 'f', '--']), /no command/);
    assert.throws(() => parseTeeArgs(['--out', 'f', '-x', '--', 'stap']), /unexpected argument "-x"/);
  });
  test('the final line names the program, past sudo', () => {
    assert.equal(commandName(['/usr/bin/stap', '-v']), 'stap');
    assert.equal(commandName(['sudo', '--', '/opt/st/bin/stap', '-v']), 'stap');
    assert.equal(finalLine('stap', 1, null), 'stap exited with code 1');
    assert.equal(finalLine('stap', null, 'SIGINT'), 'stap stopped (SIGINT)');
  });
});

describe('stap tee: the program', () => {
  test('stdout reaches both the terminal and the file, byte for byte; stderr only the terminal; the final line follows', async () => {
    const child = `
      const big = 'x'.repeat(100000) + '\\n';
      process.stdout.write('Pass 5: starting run.\\n');
      process.stderr.write('WARNING: on stderr\\n');
      for (let i = 0; i < 20; i++) process.stdout.write(i + ' ' + big);
      process.stdout.write('€ ünïcode\\n');`;
    const r = await tee(child);
    assert.equal(r.code, 0);
    const printed = Array.from({ length: 20 }, (_, i) => `${i} ${'x'.repeat(100000)}\n`).join('');
    assert.equal(r.file, `Pass 5: starting run.\n${printed}€ ünïcode\n`);
    assert.equal(r.stdout, r.file, 'the terminal saw what the file holds');
    assert.match(r.stderr, /WARNING: on stderr\n/);
    assert.ok(!r.file.includes('WARNING'), 'stderr is not copied into the file');
    assert.match(r.stderr, /\nstap exited with code 0\n$/);
  });

  test('a command that fails at once: its code, its message, and a tee that outlives VS Code\'s "failed to launch" threshold', async () => {
    const r = await tee(`process.stderr.write('Checking "/lib/modules/6.1.0/build/.config" failed with error: No such file or directory\\n'); process.exit(1)`);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /failed with error: No such file or directory\n\nstap exited with code 1\n$/);
    assert.ok(r.lived >= MIN_LIFETIME_MS, `the tee ended after ${r.lived} ms`);
  });

  test('the argument vector reaches the command as it is: no shell', async () => {
    const args = ["a b; $(touch PWNED) 'x'.stp", '`id`', '$HOME', ''];
    const r = await tee(`process.stdout.write(JSON.stringify(process.argv.slice(1)))`, args);
    assert.deepEqual(JSON.parse(r.file), args);
  });

  test("VS Code's ELECTRON_RUN_AS_NODE, set for the tee, is not passed on to stap", async () => {
    const r = await tee(`process.stdout.write(String(process.env.ELECTRON_RUN_AS_NODE))`, [], { env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
    assert.equal(r.file, 'undefined');
  });

  test('Ctrl+C (SIGINT to the process group): the tee waits while stap runs its end probes, keeps their output, and ends with its code', async () => {
    const child = `
      process.on('SIGINT', () => setTimeout(() => { process.stdout.write('end probe output\\n'); process.exit(0); }, 300));
      process.stdout.write('ready\\n');
      setInterval(() => undefined, 1000);`;
    const r = await tee(child, [], { onStart: whenReady((p) => process.kill(-p.pid!, 'SIGINT')) });
    assert.equal(r.signal, null);
    assert.equal(r.code, 0);
    assert.equal(r.file, 'ready\nend probe output\n');
    assert.match(r.stderr, /stap exited with code 0\n$/);
  });

  test('through sudo: Ctrl+C reaches stap, which sudo waits for, and the tee copies what stap printed last', async () => {
    const child = `
      process.on('SIGINT', () => setTimeout(() => { process.stdout.write('end probe output\\n'); process.exit(0); }, 300));
      process.stdout.write('ready\\n');
      setInterval(() => undefined, 1000);`;
    const r = await tee(child, [], { sudo: true, env: { ...process.env, STAP_STANDIN_LOG: '' }, onStart: whenReady((p) => process.kill(-p.pid!, 'SIGINT')) });
    assert.equal(r.code, 0);
    assert.equal(r.file, 'ready\nend probe output\n');
  });

  test('a command killed by SIGINT: the tee says so and ends by the same signal', async () => {
    const r = await tee(`process.stdout.write('ready\\n'); setInterval(() => undefined, 1000);`, [], { onStart: whenReady((p) => process.kill(-p.pid!, 'SIGINT')) });
    assert.equal(r.signal, 'SIGINT');
    assert.match(r.stderr, /stap stopped \(SIGINT\)\n$/);
  });

  test('SIGTERM or SIGHUP to the tee alone (its terminal closed) is passed on to the command', async () => {
    for (const signal of ['SIGTERM', 'SIGHUP'] as const) {
      const child = `
        process.on('${signal}', () => { process.stdout.write('got ${signal}\\n'); process.exit(3); });
        process.stdout.write('ready\\n');
        setInterval(() => undefined, 1000);`;
      const r = await tee(child, [], { onStart: whenReady((p) => p.kill(signal)) });
      assert.equal(r.code, 3, signal);
      assert.equal(r.file, `ready\ngot ${signal}\n`);
    }
  });

  test('a command that cannot be started, and a usage error', async () => {
    const out = path.join(tempFolder('stap-tee-'), 'run.txt');
    const missing = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const p = spawn(process.execPath, [TEE, '--out', out, '--', '/nonexistent/bin/stap', '-v'], { stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      p.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      p.on('close', (code) => resolve({ code, stderr }));
    });
    assert.equal(missing.code, 127);
    assert.match(missing.stderr, /stap could not be started: spawn \/nonexistent\/bin\/stap ENOENT/);
    const usage = await new Promise<number | null>((resolve) => spawn(process.execPath, [TEE, '--', 'stap'], { stdio: 'ignore' }).on('close', resolve));
    assert.equal(usage, 2);
  });
});
