// The server over stdio in a workspace of two folders whose settings differ,
// with a client that answers workspace/configuration per scopeUri, as VS Code
// does for `scope: resource` settings: each folder's own kernelRelease decides
// which `%( %)` branch is checked and faded, and each folder's relative
// includePaths are resolved against that folder.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { URI } from 'vscode-uri';
import { INACTIVE_REGIONS_NOTIFICATION, InactiveRegionsParams } from '../../server/src/protocol';
import { PublishedDiagnostics, startServer, stopServer } from '../support/lsp';
import { tempFolder } from '../support/tempFiles';

const T = { timeout: 60_000 };
// The old-kernel branch has a syntax error; only a kernel older than 3.0 takes it.
const TEXT = '%( kernel_v < "3.0" %?\nprobe begin { x = }\n%:\nprobe begin { exit() }\n%)\n';

interface Server {
  connection: MessageConnection;
  child: ReturnType<typeof spawn>;
  logs: string[];
  /** The scopeUri of each workspace/configuration item asked for (null: none). */
  asked: (string | null)[];
  /** The next notification `method` (from now on) whose params satisfy `predicate`. */
  next<P>(method: string, predicate: (params: P) => boolean): Promise<P>;
}

/** Starts the server with these workspace folders; `settingsFor` answers workspace/configuration per scopeUri. */
async function start(folders: string[], settingsFor: (scopeUri: string | undefined) => unknown): Promise<Server> {
  const { connection, child } = startServer();
  const logs: string[] = [];
  const asked: (string | null)[] = [];
  // One handler per method is all a connection keeps: waiters share it.
  const waiters = new Set<{ method: string; predicate: (params: unknown) => boolean; resolve: (params: unknown) => void }>();
  for (const method of ['textDocument/publishDiagnostics', INACTIVE_REGIONS_NOTIFICATION.method]) {
    connection.onNotification(method, (params: unknown) => {
      for (const w of [...waiters]) {
        if (w.method !== method || !w.predicate(params)) continue;
        waiters.delete(w);
        w.resolve(params);
      }
    });
  }
  const next = <P>(method: string, predicate: (params: P) => boolean) =>
    new Promise<P>((resolve) => waiters.add({ method, predicate: predicate as (params: unknown) => boolean, resolve: resolve as (params: unknown) => void }));
  connection.onRequest('workspace/configuration', (p: { items: { section?: string; scopeUri?: string }[] }) =>
    p.items.map((i) => {
      asked.push(i.scopeUri ?? null);
      return i.section === 'systemtap' ? settingsFor(i.scopeUri) : null;
    }),
  );
  connection.onRequest('client/registerCapability', () => null);
  connection.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
  connection.listen();
  await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri: URI.file(folders[0]).toString(),
    workspaceFolders: folders.map((f) => ({ uri: URI.file(f).toString(), name: path.basename(f) })),
    capabilities: { workspace: { configuration: true, workspaceFolders: true, didChangeConfiguration: { dynamicRegistration: false } } },
  });
  await connection.sendNotification('initialized', {});
  return { connection, child, logs, asked, next };
}

const open = (server: Server, file: string, text: string) =>
  server.connection.sendNotification('textDocument/didOpen', { textDocument: { uri: URI.file(file).toString(), languageId: 'systemtap', version: 1, text } });

const diagnosticsFor = (server: Server, uri: string, predicate: (p: PublishedDiagnostics) => boolean) =>
  server.next<PublishedDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && predicate(p));
const inactiveRegionsFor = (server: Server, uri: string) => server.next<InactiveRegionsParams>(INACTIVE_REGIONS_NOTIFICATION.method, (p) => p.uri === uri);

// Made here, at the top: tempFolder removes its folders after the test file, or the describe it is first called in.
// Each folder has a tapset folder of its own, named alike.
const old = tempFolder('scope-old-', { 'tapset/a.stp': 'function only_in_old:long() { return 1 }\n' });
const current = tempFolder('scope-current-', { 'tapset/b.stp': 'function only_in_current:long() { return 2 }\n' });
const shared = tempFolder('scope-shared-', { 'mine.stp': 'function mine:long() { return 1 }\n' });
const one = tempFolder('scope-one-');
const two = tempFolder('scope-two-');
const tree = tempFolder('scope-tree-', { 'include/config/kernel.release': '5.10.0\n' });

describe('two workspace folders with settings of their own', () => {
  let server: Server;
  // The workspace's settings (no scopeUri) are those of the current folder.
  const byFolder: Record<string, unknown> = {
    [URI.file(old).toString()]: { kernelRelease: '2.6.32', arch: '', includePaths: ['tapset'] },
    [URI.file(current).toString()]: { kernelRelease: '6.1.0', arch: '', includePaths: ['tapset'] },
  };
  const settingsFor = (scopeUri: string | undefined) => (scopeUri && byFolder[scopeUri]) ?? { kernelRelease: '6.1.0', arch: '', includePaths: ['tapset'] };

  before(async () => {
    server = await start([old, current], settingsFor);
  });
  after(() => stopServer(server));

  test("a folder's own kernelRelease decides which %( %) branch is checked and faded in it", T, async () => {
    const inOld = URI.file(path.join(old, 'conditional.stp')).toString();
    const inCurrent = URI.file(path.join(current, 'conditional.stp')).toString();
    // The first diagnostics published are in the folder's environment: none are published before its settings are known.
    const oldChecked = diagnosticsFor(server, inOld, () => true);
    const oldFaded = inactiveRegionsFor(server, inOld);
    const currentChecked = diagnosticsFor(server, inCurrent, () => true);
    const currentFaded = inactiveRegionsFor(server, inCurrent);
    await open(server, path.join(old, 'conditional.stp'), TEXT);
    await open(server, path.join(current, 'conditional.stp'), TEXT);
    assert.deepEqual(
      (await oldChecked).diagnostics.map((d) => d.range.start.line),
      [1],
    );
    assert.deepEqual((await currentChecked).diagnostics, []);
    // The untaken branch is faded: the new-kernel one in the old folder, the old-kernel one in the other.
    const lines = (p: InactiveRegionsParams) => p.regions.map((r) => [r.start.line, r.end.line]);
    assert.deepEqual(lines(await oldFaded), [[2, 4]]);
    assert.deepEqual(lines(await currentFaded), [[0, 2]]);
    // The settings were asked for with each folder's URI.
    for (const folder of Object.keys(byFolder)) assert.ok(server.asked.includes(folder), `asked for ${folder}: ${JSON.stringify(server.asked)}`);
  });

  test("a relative include path is resolved against the document's own workspace folder", T, async () => {
    const file = path.join(current, 'calls.stp');
    const uri = URI.file(file).toString();
    const checked = diagnosticsFor(server, uri, (p: PublishedDiagnostics) => p.diagnostics.some((d) => d.message.includes("'execnme'")));
    await open(server, file, 'probe begin { println(only_in_current(), execnme()); exit() }\n');
    const unknown = (await checked).diagnostics.filter((d) => d.code === 'function-unknown').map((d) => d.message.match(/'(\w+)'/)![1]);
    // Not only_in_current: its folder's tapset/ is the one indexed for it.
    assert.deepEqual(unknown, ['execnme']);
  });

  test('a folder follows a change of its own settings', T, async () => {
    const file = path.join(old, 'conditional.stp');
    const uri = URI.file(file).toString();
    byFolder[URI.file(old).toString()] = { kernelRelease: '6.1.0', arch: '', includePaths: ['tapset'] };
    const clean = diagnosticsFor(server, uri, (p) => p.diagnostics.length === 0);
    await server.connection.sendNotification('workspace/didChangeConfiguration', { settings: { systemtap: {} } });
    await clean;
  });
});

describe('folders whose settings resolve alike', () => {
  let server: Server;

  before(async () => {
    // A kernel release given as is, or as a build directory naming it: the same environment.
    server = await start([one, two], (scopeUri) => ({ kernelRelease: scopeUri === URI.file(one).toString() ? '5.10.0' : tree, arch: '', includePaths: [shared] }));
  });
  after(() => stopServer(server));

  test('share one environment: the library is indexed once', T, async () => {
    const a = path.join(one, 'a.stp');
    const b = path.join(two, 'b.stp');
    const text = 'probe begin { println(mine(), execnme()); exit() }\n';
    const known = (file: string) => diagnosticsFor(server, URI.file(file).toString(), (p) => p.diagnostics.some((d) => d.message.includes("'execnme'")));
    const checkedA = known(a);
    const checkedB = known(b);
    await open(server, a, text);
    await open(server, b, text);
    for (const p of [await checkedA, await checkedB]) assert.ok(!p.diagnostics.some((d) => d.message.includes("'mine'")), JSON.stringify(p.diagnostics));
    assert.equal(server.logs.filter((l) => l.startsWith('tapset library indexed')).length, 1, server.logs.join('\n'));
  });
});
