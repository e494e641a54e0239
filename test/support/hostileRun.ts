// Runs one hostile case through stap-check and through the stdio server, and
// measures it: wall time, peak memory, whether it answered at all. Shared by
// the hostile test (which asserts that it answers) and `npm run hostile`
// (which prints the figures).
import { ChildProcess, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { pathToFileURL } from 'url';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { HostileCase, HostileSetup } from './hostile';
import { PublishedDiagnostics } from './lsp';
import { SAMPLES } from './paths';

export interface Finding {
  line: number;
  code: string;
  message: string;
  severity: string;
}

export interface CliResult {
  /** Exit status; undefined when killed. */
  status?: number;
  timedOut: boolean;
  seconds?: number;
  peakMb?: number;
  findings?: Finding[];
  stderr: string;
}

/** A fresh folder with the case's files. */
export function setUp(c: HostileCase): { dir: string; setup: HostileSetup } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hostile-${c.name}-`));
  return { dir, setup: c.setup(dir) };
}

/**
 * `stap-check --format json` on the case, under GNU time for the peak RSS and
 * `timeout` (which kills the whole process group) for a hang.
 */
export function runCli(cli: string, setup: HostileSetup, timeoutSeconds: number, nodeArgs: string[] = []): CliResult {
  const r = spawnSync(
    'timeout',
    ['-s', 'KILL', String(timeoutSeconds), '/usr/bin/time', '-f', 'HOSTILE-TIME %e %M', process.execPath, ...nodeArgs, cli, '--format', 'json', ...(setup.cliArgs ?? []), setup.script],
    {
      encoding: 'utf8',
      maxBuffer: 1 << 30,
    },
  );
  const timing = /HOSTILE-TIME ([\d.]+) (\d+)\s*$/.exec(r.stderr);
  const stderr = r.stderr.replace(/HOSTILE-TIME .*\s*$/, '');
  if (!timing) return { timedOut: true, stderr };
  // GNU time reports a child killed by a signal as status 128+N in its own exit.
  const status = r.status ?? undefined;
  let findings: Finding[] | undefined;
  try {
    const reports = JSON.parse(r.stdout) as { diagnostics: { range: { start: { line: number } }; code: string; message: string; severity: string }[] }[];
    findings = reports.flatMap((rep) => rep.diagnostics.map((d) => ({ line: d.range.start.line + 1, code: d.code, message: d.message, severity: d.severity })));
  } catch {
    findings = undefined;
  }
  return { status, timedOut: false, seconds: Number(timing[1]), peakMb: Number(timing[2]) / 1024, findings, stderr };
}

export interface ServerResult {
  /** Seconds from start to the library index, or undefined if it never came. */
  indexSeconds?: number;
  /** Seconds from didOpen to the first diagnostics of the hostile script. */
  openSeconds?: number;
  /** Seconds from a one-character edit to its diagnostics. */
  keystrokeSeconds?: number;
  /** Seconds until an ordinary script opened afterwards has its diagnostics and a hover answer. */
  otherSeconds?: number;
  findings?: Finding[];
  alive: boolean;
  peakMb?: number;
  log: string[];
}

const SEVERITY = ['', 'error', 'warning', 'information', 'hint'];

/** The ordinary script opened beside the hostile one: it must be answered. */
const ORDINARY = path.join(SAMPLES, 'device_name.stp');

function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout;
  return Promise.race([promise, new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)))]).finally(() => clearTimeout(timer));
}

function peakRssMb(child: ChildProcess): number | undefined {
  try {
    const status = fs.readFileSync(`/proc/${child.pid}/status`, 'utf8');
    const kb = /VmHWM:\s*(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The case in the language server, as an editor uses it: start, wait for the
 * library index, open the script, type one character, then open an ordinary
 * script and hover in it. Each step waits at most `timeoutSeconds`.
 */
export async function runServer(server: string, setup: HostileSetup, timeoutSeconds: number, nodeArgs: string[] = []): Promise<ServerResult> {
  // A cache of its own: each run indexes the case's library, as it is there to measure.
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-hostile-cache-'));
  const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, XDG_CACHE_HOME: cacheHome } });
  child.stderr!.resume();
  const connection: MessageConnection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const log: string[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  connection.onError(() => undefined);
  connection.onClose(() => undefined);
  const indexed = new Promise<void>((resolve) =>
    connection.onNotification('window/logMessage', (p: { message: string }) => {
      log.push(p.message);
      if (/tapset library indexed/.test(p.message)) resolve();
    }),
  );
  const published = new Map<string, { version?: number; diagnostics: PublishedDiagnostics['diagnostics'] }[]>();
  const waiters: { uri: string; count: number; resolve: () => void }[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics & { version?: number }) => {
    const list = published.get(p.uri) ?? [];
    list.push(p);
    published.set(p.uri, list);
    for (const w of waiters.filter((x) => x.uri === p.uri && list.length >= x.count)) w.resolve();
  });
  const publication = (uri: string, count: number) =>
    new Promise<void>((resolve) => {
      if ((published.get(uri)?.length ?? 0) >= count) resolve();
      else waiters.push({ uri, count, resolve });
    });
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'systemtap' ? (setup.settings ?? {}) : null)));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();

  const limit = timeoutSeconds * 1000;
  const result: ServerResult = { alive: true, log };
  const seconds = (since: number) => (Date.now() - since) / 1000;
  try {
    const started = Date.now();
    const initialized = await within(connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } }), limit);
    if (!initialized) return result;
    await connection.sendNotification('initialized', {});
    if (
      await within(
        indexed.then(() => true),
        limit,
      )
    )
      result.indexSeconds = seconds(started);

    const uri = pathToFileURL(setup.script).href;
    const text = fs.readFileSync(setup.script, 'utf8');
    let t = Date.now();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
    if (
      await within(
        publication(uri, 1).then(() => true),
        limit,
      )
    )
      result.openSeconds = seconds(t);
    const first = published.get(uri)?.[0];
    if (first) result.findings = first.diagnostics.map((d) => ({ line: d.range.start.line + 1, code: String(d.code), message: d.message, severity: SEVERITY[d.severity] }));

    if (result.openSeconds !== undefined) {
      const end = endPosition(text);
      t = Date.now();
      await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ range: { start: end, end }, text: ' ' }] });
      if (
        await within(
          publication(uri, 2).then(() => true),
          limit,
        )
      )
        result.keystrokeSeconds = seconds(t);
    }

    const other = pathToFileURL(ORDINARY).href;
    t = Date.now();
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri: other, languageId: 'systemtap', version: 1, text: fs.readFileSync(ORDINARY, 'utf8') } });
    const answered = await within(
      publication(other, 1)
        .then(() => connection.sendRequest('textDocument/hover', { textDocument: { uri: other }, position: { line: 0, character: 2 } }))
        .then(() => true),
      limit,
    );
    if (answered) result.otherSeconds = seconds(t);
  } catch {
    // The server died or closed the connection: what was measured stands.
  } finally {
    result.peakMb = peakRssMb(child);
    result.alive = child.exitCode === null && child.signalCode === null;
    connection.dispose();
    child.kill('SIGKILL');
    await within(exited, 5000);
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
  return result;
}

function endPosition(text: string): { line: number; character: number } {
  const lines = text.split('\n');
  return { line: lines.length - 1, character: lines[lines.length - 1].length };
}
