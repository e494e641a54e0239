// The server over stdio with a client that answers workspace/configuration:
// systemtap.kernelRelease picks the `%( kernel_v %)` branch that is checked,
// and systemtap/scriptInfo tells the Run commands what a script needs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { SCRIPT_INFO_REQUEST, ScriptInfo } from '../../server/src/protocol';
import { diagnosticsFor as publishedFor, PublishedDiagnostics, startServer, stopServer } from '../support/lsp';

let connection: MessageConnection;
let child: ReturnType<typeof spawn>;
let settings: Record<string, unknown> = { kernelRelease: '2.6.32', arch: '' };

const diagnosticsFor = (uri: string, predicate: (p: PublishedDiagnostics) => boolean) => publishedFor(connection, uri, predicate);

before(async () => {
  ({ connection, child } = startServer());
  connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'systemtap' ? settings : null)));
  connection.onRequest('client/registerCapability', () => null);
  connection.listen();
  await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } } } });
  await connection.sendNotification('initialized', {});
});

after(() => {
  stopServer({ connection, child });
});

const T = { timeout: 60_000 };
// The old-kernel branch has a syntax error; only a kernel older than 3.0 takes it.
const TEXT = '%( kernel_v < "3.0" %?\nprobe begin { x = }\n%:\nprobe begin { exit() }\n%)\n';

test('kernelRelease from the settings decides which %( %) branch is checked, and a change re-checks', T, async () => {
  const uri = 'file:///tmp/conditional.stp';
  const old = diagnosticsFor(uri, (p) => p.diagnostics.some((d) => d.code === 'syntax'));
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: TEXT } });
  await old;
  settings = { kernelRelease: '6.1.0', arch: '' };
  const current = diagnosticsFor(uri, (p) => p.diagnostics.length === 0);
  await connection.sendNotification('workspace/didChangeConfiguration', { settings: { systemtap: settings } });
  await current;
});

test('a kernel build directory names its release in include/config/kernel.release', T, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kernel-build-'));
  fs.mkdirSync(path.join(dir, 'include', 'config'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'include', 'config', 'kernel.release'), '2.6.18-old\n');
  const uri = 'file:///tmp/conditional2.stp';
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: TEXT } });
  settings = { kernelRelease: dir, arch: '' };
  const old = diagnosticsFor(uri, (p) => p.diagnostics.some((d) => d.code === 'syntax'));
  await connection.sendNotification('workspace/didChangeConfiguration', { settings: { systemtap: settings } });
  await old;
});

test('systemtap/scriptInfo: guru mode and script arguments', T, async () => {
  const uri = 'file:///tmp/info.stp';
  const text = '#!/usr/bin/stap -v\nfunction f:long() %{ STAP_RETVALUE = 1; %}\nprobe begin { printf("%s %d\\n", @1, $2 + f()) }\n';
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
  const info = (await connection.sendRequest(SCRIPT_INFO_REQUEST, { uri })) as ScriptInfo;
  assert.deepEqual(info, { needsGuru: true, guruReasons: ["embedded C ('%{ %}') at line 2"], declaresGuru: false, scriptArgs: 2 });
  assert.equal(await connection.sendRequest(SCRIPT_INFO_REQUEST, { uri: 'file:///tmp/not-open.stp' }), null);
});
