// The bundled server over stdio, as another editor (Neovim, Emacs) starts it.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { diagnosticsFor as publishedFor, PublishedDiagnostics, startServer, stopServer } from '../support/lsp';

let connection: MessageConnection;
let child: ReturnType<typeof spawn>;

const diagnosticsFor = (uri: string, predicate: (p: PublishedDiagnostics) => boolean) => publishedFor(connection, uri, predicate);

before(async () => {
  ({ connection, child } = startServer());
  connection.listen();
  const result = (await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} })) as {
    serverInfo: { name: string };
  };
  assert.equal(result.serverInfo.name, 'stap-language-server');
  await connection.sendNotification('initialized', {});
});

after(() => {
  stopServer({ connection, child });
});

// A hang is a failure, not a stuck run.
const T = { timeout: 60_000 };

test('publishes a syntax error at the right place, and clears it when fixed', T, async () => {
  const uri = 'file:///tmp/broken.stp';
  const broken = 'probe begin {\n  printf("%d\\n", 1\n  exit()\n}\n';
  const published = diagnosticsFor(uri, (p) => p.diagnostics.length > 0);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: broken } });
  const p = await published;
  assert.equal(p.diagnostics.length, 1);
  assert.equal(p.diagnostics[0].code, 'syntax');
  assert.deepEqual(p.diagnostics[0].range.start, { line: 2, character: 2 });

  const cleared = diagnosticsFor(uri, (q) => q.diagnostics.length === 0);
  const fixed = broken.replace('1\n', '1)\n');
  await connection.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: fixed }] });
  await cleared;
});

test('checks STAP_ARG_ names in embedded C', T, async () => {
  const uri = 'file:///tmp/guru.stp';
  const published = diagnosticsFor(uri, (p) => p.diagnostics.some((d) => d.code === 'stap-arg-unknown'));
  const text = '#!/usr/bin/stap -g\nfunction f:long(x:long) %{ STAP_RETVALUE = STAP_ARG_z; %}\n';
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
  const p = await published;
  const d = p.diagnostics.find((x) => x.code === 'stap-arg-unknown')!;
  assert.deepEqual(d.range.start, { line: 1, character: 43 });
});

test('a document opened again with the same version but new text is analysed anew', T, async () => {
  const uri = 'file:///tmp/reopened.stp';
  const broken = diagnosticsFor(uri, (p) => p.diagnostics.length > 0);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: 'probe begin { x = }\n' } });
  await broken;
  const fixed = diagnosticsFor(uri, (p) => p.diagnostics.length === 0);
  await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: 'probe begin { x = 1; println(x) }\n' } });
  await fixed;
});
