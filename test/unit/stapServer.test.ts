// The server's session in-process, over a pair of in-memory streams: what it
// offers, what it publishes, and our own typed request and notification.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import { INACTIVE_REGIONS_NOTIFICATION, InactiveRegionsParams, SCRIPT_INFO_REQUEST } from '../../server/src/protocol';
import { StapServer } from '../../server/src/stapServer';
import { PublishedDiagnostics } from '../support/lsp';

const T = { timeout: 60_000 };

describe('StapServer over an in-memory connection', () => {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  // Message readers, not the streams themselves: given streams, the connection would end the process when they end.
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  const server = new StapServer({ version: '1.2.3' });
  let client: MessageConnection;
  const settings: Record<string, unknown> = { kernelRelease: '2.6.32' };

  // One handler per method is all a connection keeps: the waiters share it.
  const waiters = new Set<{ method: string; predicate: (p: unknown) => boolean; resolve: (p: unknown) => void }>();
  const next = <P>(method: string, predicate: (p: P) => boolean) =>
    new Promise<P>((resolve) => waiters.add({ method, predicate: predicate as (p: unknown) => boolean, resolve: resolve as (p: unknown) => void }));

  before(() => {
    server.register(serverConnection);
    serverConnection.listen();
    client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    for (const method of ['textDocument/publishDiagnostics', INACTIVE_REGIONS_NOTIFICATION.method]) {
      client.onNotification(method, (p: unknown) => {
        for (const w of [...waiters]) {
          if (w.method !== method || !w.predicate(p)) continue;
          waiters.delete(w);
          w.resolve(p);
        }
      });
    }
    client.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'systemtap' ? settings : null)));
    client.onRequest('client/registerCapability', () => null);
    client.listen();
  });

  after(() => {
    server.dispose();
    client.dispose();
    serverConnection.dispose();
  });

  test('initialize answers with capabilities() and the version', T, async () => {
    const result = (await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } })) as {
      capabilities: unknown;
      serverInfo: { name: string; version: string };
    };
    assert.deepEqual(result.capabilities, server.capabilities());
    assert.deepEqual(result.serverInfo, { name: 'stap-language-server', version: '1.2.3' });
    await client.sendNotification('initialized', {});
  });

  test('a document gets its diagnostics and its faded %( %) branch, for the kernel in the settings', T, async () => {
    const uri = 'file:///tmp/in-memory.stp';
    const text = '%( kernel_v < "3.0" %?\nprobe begin { x = }\n%:\nprobe begin { exit() }\n%)\n';
    const diagnostics = next<PublishedDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri);
    const faded = next<InactiveRegionsParams>(INACTIVE_REGIONS_NOTIFICATION.method, (p) => p.uri === uri);
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
    assert.deepEqual(
      (await diagnostics).diagnostics.map((d) => [d.code, d.range.start.line]),
      [['syntax', 1]],
    );
    assert.deepEqual(
      (await faded).regions.map((r) => [r.start.line, r.end.line]),
      [[2, 4]],
    );
  });

  test('systemtap/scriptInfo, typed once in protocol.ts', T, async () => {
    const uri = 'file:///tmp/in-memory-info.stp';
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: 'probe begin { println($1) }\n' } });
    const info = await client.sendRequest(SCRIPT_INFO_REQUEST, { uri });
    assert.deepEqual(info, { needsGuru: false, guruReasons: [], declaresGuru: false, scriptArgs: 1 });
    assert.equal(await client.sendRequest(SCRIPT_INFO_REQUEST, { uri: 'file:///tmp/not-open.stp' }), null);
  });
});
