// The tee a stap run goes through: it starts the real command (stap, or
// `sudo -- stap ...`) with the terminal as its stdin and stderr, and copies
// each chunk of the command's stdout to the terminal and to a file, which the
// output view reads. No shell: the command is an argument vector.
// Node only, no VS Code imports: it runs as a program of its own (dist/stapTee.js).

import { spawn } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export interface TeeOptions {
  /** The file stdout is copied into; created (emptied) at the start. */
  out: string;
  /** What the final line calls the command; by default the program after `sudo --`. */
  name: string;
  command: string[];
}

/** `--out FILE [--name NAME] -- COMMAND ARGS...`; throws on anything else. */
export function parseTeeArgs(argv: readonly string[]): TeeOptions {
  let out: string | undefined;
  let name: string | undefined;
  let i = 0;
  for (; i < argv.length && argv[i] !== '--'; i++) {
    if (argv[i] === '--out' && i + 1 < argv.length) out = argv[++i];
    else if (argv[i] === '--name' && i + 1 < argv.length) name = argv[++i];
    else throw new Error(`unexpected argument ${JSON.stringify(argv[i])}`);
  }
  const command = argv.slice(i + 1);
  if (!out) throw new Error('--out FILE is required');
  if (command.length === 0) throw new Error('no command after --');
  return { out, name: name ?? commandName(command), command };
}

/** `stap` for `/usr/bin/stap ...` and for `sudo -- /usr/bin/stap ...`. */
export function commandName(command: readonly string[]): string {
  let program = command[0];
  if (path.basename(program) === 'sudo') {
    const dashes = command.indexOf('--');
    program = dashes >= 0 && dashes + 1 < command.length ? command[dashes + 1] : program;
  }
  return path.basename(program);
}

/** The last line a run leaves in the terminal. */
export function finalLine(name: string, code: number | null, signal: NodeJS.Signals | null): string {
  return signal ? `${name} stopped (${signal})` : `${name} exited with code ${code}`;
}

/**
 * VS Code reports a task process that exits within about half a second as
 * "failed to launch", hiding what stap printed. The tee lives at least this long.
 */
export const MIN_LIFETIME_MS = 1000;

/** Signals that reach the tee alone (a terminal closing, a kill of its pid) and are passed on. */
const FORWARDED: NodeJS.Signals[] = ['SIGTERM', 'SIGHUP'];

export interface TeeIo {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  now(): number;
}

/**
 * Runs the command; resolves with how the tee should end: the child's exit
 * code, or the signal that ended it.
 */
export function runTee(options: TeeOptions, io: TeeIo = { stdout: process.stdout, stderr: process.stderr, now: Date.now }): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const started = io.now();
  const file = fs.openSync(options.out, 'w');
  // Ctrl+C in the terminal, and Stop, signal the whole foreground process
  // group: the command gets SIGINT itself (sudo passes it on), and the tee
  // must outlive it to copy its last output and report how it ended.
  const ignore = () => undefined;
  process.on('SIGINT', ignore);
  const env = { ...process.env };
  // Set only so that VS Code's own executable runs the tee as Node: not for stap or its -c command.
  delete env.ELECTRON_RUN_AS_NODE;
  const child = spawn(options.command[0], options.command.slice(1), { stdio: ['inherit', 'pipe', 'inherit'], env });
  const forwarders = FORWARDED.map((signal) => {
    const forward = () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    };
    process.on(signal, forward);
    return () => process.off(signal, forward);
  });
  let terminalGone = false;
  io.stdout.on('error', () => (terminalGone = true));
  child.stdout!.on('data', (chunk: Buffer) => {
    fs.writeSync(file, chunk);
    if (terminalGone) return;
    // A slow terminal holds the command back rather than the tee buffering without bound.
    if (!io.stdout.write(chunk)) {
      child.stdout!.pause();
      io.stdout.once('drain', () => child.stdout!.resume());
    }
  });
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.on('error', (error) => resolve({ code: 127, signal: null, error }));
    // 'close', not 'exit': stdout is read to its end first.
    child.on('close', (code, signal) => resolve({ code, signal }));
  });
  return ended.then(async ({ code, signal, error }) => {
    fs.closeSync(file);
    const line = error ? `${options.name} could not be started: ${error.message}` : finalLine(options.name, code, signal);
    const eol = io.stderr.isTTY ? '\r\n' : '\n';
    if (!terminalGone) io.stderr.write(`${eol}${line}${eol}`);
    const left = MIN_LIFETIME_MS - (io.now() - started);
    if (left > 0) await new Promise((r) => setTimeout(r, left));
    for (const stop of forwarders) stop();
    process.off('SIGINT', ignore);
    return { code, signal };
  });
}
