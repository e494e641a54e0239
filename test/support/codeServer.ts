// code-server (VS Code in a browser) run by its pinned Node, for the e2e tests
// and for `npm start`. Everything it writes stays in one run folder. Two
// toolchains: the newest release, and the oldest that package.json's
// engines.vscode admits (scripts/install-vscode-tools.sh pins both).

import { ChildProcess, execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as http from 'http';
import * as net from 'net';
import * as path from 'path';
import { REPO_ROOT } from './paths';

export type Toolchain = 'newest' | 'oldest';

export interface VscodeTools {
  toolchain: Toolchain;
  /** The VS Code release inside this code-server, e.g. 1.96.4. */
  vscodeVersion: string;
  node: string;
  entry: string;
  /** Whether code-server passes VS Code options through (`--vscode-option`, which 4.96 lacks). */
  passesVscodeOptions: boolean;
}

/** Installs a toolchain if this machine lacks it (cached), and says where it is. */
export function vscodeTools(toolchain: Toolchain = 'newest'): VscodeTools {
  const out = execFileSync('bash', [path.join(REPO_ROOT, 'scripts', 'install-vscode-tools.sh'), toolchain], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const line = out
    .split('\n')
    .map((l) => l.split('\t'))
    .find((fields) => fields[0] === toolchain);
  if (!line || line.length !== 3) throw new Error(`install-vscode-tools.sh ${toolchain} did not say where it installed:\n${out}`);
  const [, node, entry] = line;
  const vscodePackage = path.join(path.dirname(entry), '..', '..', 'lib', 'vscode', 'package.json');
  const vscodeVersion = String((JSON.parse(fs.readFileSync(vscodePackage, 'utf8')) as { version?: unknown }).version);
  const passesVscodeOptions = fs.readFileSync(path.join(path.dirname(entry), 'cli.js'), 'utf8').includes('"vscode-option"');
  return { toolchain, vscodeVersion, node, entry, passesVscodeOptions };
}

function runEnv(run: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const [name, sub] of [
    ['XDG_CONFIG_HOME', 'config'],
    ['XDG_DATA_HOME', 'data'],
    ['XDG_CACHE_HOME', 'cache'],
    ['TMPDIR', 'tmp'],
  ]) {
    env[name] = path.join(run, sub);
    fs.mkdirSync(env[name]!, { recursive: true });
  }
  return env;
}

const dirs = (run: string) => ['--user-data-dir', path.join(run, 'ud'), '--extensions-dir', path.join(run, 'exts')];

/** Installs a .vsix the way a user would; returns the folder it was unpacked into. */
export function installExtension(tools: VscodeTools, run: string, vsix: string): string {
  execFileSync(tools.node, [tools.entry, ...dirs(run), '--install-extension', vsix], { env: runEnv(run), stdio: ['ignore', 'pipe', 'pipe'] });
  const exts = path.join(run, 'exts');
  const installed = fs.readdirSync(exts).find((d) => d.startsWith('systemtap-guru.systemtap-guru-'));
  if (!installed) throw new Error(`installing ${vsix} left no extension in ${exts}`);
  return path.join(exts, installed);
}

/** Writes the user and machine settings of a run folder's code-server. */
export function writeSettings(run: string, user: Record<string, unknown>, machine: Record<string, unknown>): { user: string; machine: string } {
  const files = { user: path.join(run, 'ud', 'User', 'settings.json'), machine: path.join(run, 'ud', 'Machine', 'settings.json') };
  for (const [file, values] of [
    [files.user, user],
    [files.machine, machine],
  ] as const) {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, JSON.stringify(values, null, 2));
  }
  return files;
}

export interface CodeServer {
  url: string;
  /** A local path as the workbench's remote file system names it. */
  remoteUri(localPath: string): string;
  log(): string;
  stop(): void;
  exited: Promise<number | null>;
}

export interface StartOptions {
  env?: Record<string, string>;
  /**
   * Lets a `payload` URL run extension tests (internal to VS Code: keep code-server pinned).
   * VS Code 1.96's workbench runs them without; newer ones want its smoke-test driver on.
   */
  smokeTestDriver?: boolean;
  port?: number;
  host?: string;
  /** Leave workspace trust on, so the folder opens in Restricted Mode. */
  workspaceTrust?: boolean;
}

export async function startCodeServer(tools: VscodeTools, run: string, options: StartOptions = {}): Promise<CodeServer> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port ?? (await freePort(host));
  const args = [
    tools.entry,
    '--auth',
    'none',
    '--bind-addr',
    `${host}:${port}`,
    ...dirs(run),
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--ignore-last-opened',
    ...(options.smokeTestDriver && tools.passesVscodeOptions ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
  ];
  const logFile = path.join(run, 'code-server.log');
  const logFd = fs.openSync(logFile, 'a');
  const child: ChildProcess = spawn(tools.node, args, {
    env: { ...runEnv(run), ...options.env },
    stdio: ['ignore', logFd, logFd],
    detached: true, // its own process group, so stop() ends its children too
  });
  fs.closeSync(logFd);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = `http://${host}:${port}`;
  const stop = () => {
    try {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  };
  try {
    await waitForHealthy(url, exited);
  } catch (e) {
    stop();
    throw new Error(`${(e as Error).message}\n${fs.readFileSync(logFile, 'utf8').slice(-3000)}`);
  }
  return {
    url,
    remoteUri: (p) => `vscode-remote://${host}:${port}${p}`,
    log: () => fs.readFileSync(logFile, 'utf8'),
    stop,
    exited,
  };
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

async function waitForHealthy(url: string, exited: Promise<number | null>): Promise<void> {
  let dead: number | null | undefined;
  void exited.then((c) => (dead = c));
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (dead !== undefined) throw new Error(`code-server exited with ${dead} before it was ready`);
    const ok = await new Promise<boolean>((resolve) => {
      const req = http.get(`${url}/healthz`, (res) => {
        res.resume();
        resolve(res.statusCode === 200);
      });
      req.on('error', () => resolve(false));
      req.setTimeout(2000, () => req.destroy());
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`code-server at ${url} was not healthy within 120 s`);
}

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];
