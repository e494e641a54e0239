// Library features right after start-up, in-process over in-memory streams:
// a request about a library name sent before the tapset index is ready waits
// for it rather than answering with nothing, the index is kept in the cache
// folder for the next start, and no diagnostic calls a library function
// unknown while the index is still being built.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, test } from 'node:test';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import { findTapsetDir } from '../../server/src/analysis/tapsetLibrary';
import { StapServer } from '../../server/src/stapServer';
import { PublishedDiagnostics } from '../support/lsp';
import { tempFolder } from '../support/tempFiles';

const T = { timeout: 120_000 };
const TEXT = 'probe begin { println(execname()); no_such_function_xyz() }\n';
const EXECNAME = { line: 0, character: 24 };

/** Resolves once an item of `items` (which grows) satisfies `predicate`; `watch` is handed the check to run after each addition. */
function whenSome<T>(items: T[], predicate: (item: T) => boolean, watch: (check: () => void) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const check = () => {
      if (items.some(predicate)) resolve();
    };
    watch(check);
    check();
  });
}

/** A server in-process with a client talking to it; settings: none (the defaults). */
function session(cacheDirectory: string) {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  const serverConnection = createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient));
  // A bound far beyond any index build: what is tested is the waiting, not the bound.
  const server = new StapServer({ cacheDirectory, libraryWaitMs: 100_000 });
  server.register(serverConnection);
  serverConnection.listen();
  const client: MessageConnection = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
  const published: PublishedDiagnostics[] = [];
  const logs: string[] = [];
  let onLog = () => undefined as void;
  let onPublish = () => undefined as void;
  client.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
    published.push(p);
    onPublish();
  });
  client.onNotification('window/logMessage', (p: { message: string }) => {
    logs.push(p.message);
    onLog();
  });
  client.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  client.onRequest('client/registerCapability', () => null);
  client.listen();
  return {
    client,
    published,
    logs,
    /** Resolves once a line logged satisfies `predicate`. */
    logged: (predicate: (message: string) => boolean) => whenSome(logs, predicate, (check) => (onLog = check)),
    /** Resolves once a publication satisfies `predicate`. */
    publication: (predicate: (p: PublishedDiagnostics) => boolean) => whenSome(published, predicate, (check) => (onPublish = check)),
    /** initialize, initialized and the document opened, without waiting for anything else; then the requests. */
    async start(uri: string) {
      await client.sendRequest('initialize', { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } } });
      await client.sendNotification('initialized', {});
      await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: TEXT } });
      return {
        hover: client.sendRequest('textDocument/hover', { textDocument: { uri }, position: EXECNAME }) as Promise<{ contents: { value: string } } | null>,
        definition: client.sendRequest('textDocument/definition', { textDocument: { uri }, position: EXECNAME }) as Promise<{ uri: string }[]>,
      };
    },
    async stop() {
      await client.sendRequest('shutdown');
      server.dispose();
      client.dispose();
      serverConnection.dispose();
    },
  };
}

const unknown = (p: PublishedDiagnostics, name: string) => p.diagnostics.some((d) => d.code === 'function-unknown' && d.message.includes(`'${name}'`));

describe('library features right after start-up', { skip: !findTapsetDir() && 'systemtap is not installed' }, () => {
  const cacheDirectory = path.join(tempFolder('server-index-cache-'), 'storage');

  test('cold: a hover and a definition sent right after initialized wait for the index and answer with the library doc', T, async () => {
    const s = session(cacheDirectory);
    const uri = 'file:///tmp/library-ready-cold.stp';
    const { hover, definition } = await s.start(uri);
    const h = await hover;
    assert.match(h?.contents.value ?? '', /execname:string\(\)/);
    assert.match(h?.contents.value ?? '', /Returns the execname of a target process/);
    const d = await definition;
    assert.ok(
      d.some((l) => /\/tapset\/.*\.stp$/.test(l.uri)),
      JSON.stringify(d),
    );
    // Once the index is in, the unknown call is reported; before, no library call was.
    await s.publication((p) => p.uri === uri && unknown(p, 'no_such_function_xyz'));
    assert.deepEqual(
      s.published.filter((p) => unknown(p, 'execname')),
      [],
    );
    await s.stop();
    assert.ok(
      fs.readdirSync(cacheDirectory).some((n) => /^tapset-index-.*\.json$/.test(n)),
      'the index is kept for the next start',
    );
  });

  test('warm: the next start reads the index from the cache folder, and a hover sent right away has the doc', T, async () => {
    const s = session(cacheDirectory);
    const { hover } = await s.start('file:///tmp/library-ready-warm.stp');
    assert.match((await hover)?.contents.value ?? '', /Returns the execname of a target process/);
    // Logged once the waiting requests are answered.
    await s.logged((m) => m.includes('tapset library indexed'));
    assert.ok(
      s.logs.some((m) => m.includes(`read from ${cacheDirectory}`)),
      s.logs.join('\n'),
    );
    await s.stop();
  });
});
