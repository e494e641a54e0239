// The server's session in-process, over a pair of in-memory streams: what it
// offers, what it publishes, and our own typed request and notifications.
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { createMessageConnection, MessageConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-jsonrpc/node';
import { createConnection } from 'vscode-languageserver/node';
import {
  INACTIVE_REGIONS_NOTIFICATION,
  InactiveRegionsParams,
  PUBLISH_SCRIPT_INFO_NOTIFICATION,
  PublishScriptInfoParams,
  SCRIPT_ARGUMENTS_NOTIFICATION,
  SCRIPT_INFO_REQUEST,
} from '../../server/src/protocol';
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
  let inlayHints: { inferredTypes: boolean } | null = null;

  // What arrived, in order: [method, uri, version].
  const received: [string, string, number | undefined][] = [];
  // One handler per method is all a connection keeps: the waiters share it.
  const waiters = new Set<{ method: string; predicate: (p: unknown) => boolean; resolve: (p: unknown) => void }>();
  const next = <P>(method: string, predicate: (p: P) => boolean) =>
    new Promise<P>((resolve) => waiters.add({ method, predicate: predicate as (p: unknown) => boolean, resolve: resolve as (p: unknown) => void }));

  before(() => {
    server.register(serverConnection);
    serverConnection.listen();
    client = createMessageConnection(new StreamMessageReader(toClient), new StreamMessageWriter(toServer));
    for (const method of ['textDocument/publishDiagnostics', INACTIVE_REGIONS_NOTIFICATION.method, PUBLISH_SCRIPT_INFO_NOTIFICATION.method]) {
      client.onNotification(method, (p: unknown) => {
        const { uri, version } = p as { uri: string; version?: number };
        received.push([method, uri, version]);
        for (const w of [...waiters]) {
          if (w.method !== method || !w.predicate(p)) continue;
          waiters.delete(w);
          w.resolve(p);
        }
      });
    }
    client.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) =>
      p.items.map((i) => (i.section === 'systemtap' ? settings : i.section === 'systemtap.format' ? { declarationBraces: 'sameLine' } : i.section === 'systemtap.inlayHints' ? inlayHints : null)),
    );
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

  test('inlay hints only with systemtap.inlayHints.inferredTypes, read with each request; semantic tokens; workspace symbols', T, async () => {
    const uri = 'file:///tmp/in-memory-types.stp';
    const text = 'global hits\nprobe begin { hits = 1 }\n';
    const published = next<PublishedDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri);
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
    await published;
    const range = { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } };
    const hints = () => client.sendRequest('textDocument/inlayHint', { textDocument: { uri }, range }) as Promise<{ label: string; position: { line: number; character: number } }[]>;
    assert.deepEqual(await hints(), []);
    inlayHints = { inferredTypes: true };
    assert.deepEqual(
      (await hints()).map((h) => [h.position, h.label]),
      [[{ line: 0, character: 11 }, ': long']],
    );
    inlayHints = null;
    const tokens = (await client.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } })) as { data: number[] };
    assert.deepEqual(tokens.data.slice(0, 3), [0, 7, 4], 'the global, where declared');
    const symbols = (await client.sendRequest('workspace/symbol', { query: 'hits' })) as unknown[];
    // The library (when it is indexed by now) may add its own names; this script's come first.
    assert.deepEqual(symbols[0], { name: 'hits', kind: 13, location: { uri, range: { start: { line: 0, character: 7 }, end: { line: 0, character: 11 } } }, containerName: 'in-memory-types.stp' });
  });

  test('systemtap/scriptInfo, typed once in protocol.ts', T, async () => {
    const uri = 'file:///tmp/in-memory-info.stp';
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: 'probe begin { println($1) }\n' } });
    const info = await client.sendRequest(SCRIPT_INFO_REQUEST, { uri });
    assert.deepEqual(info, { needsGuru: false, guruReasons: [], declaresGuru: false, scriptArgs: 1 });
    assert.equal(await client.sendRequest(SCRIPT_INFO_REQUEST, { uri: 'file:///tmp/not-open.stp' }), null);
  });

  test('script info is pushed with every publication of diagnostics, for the same version, just before them', T, async () => {
    const uri = 'file:///tmp/in-memory-push.stp';
    const pushedFor = (version: number) => next<PublishScriptInfoParams>(PUBLISH_SCRIPT_INFO_NOTIFICATION.method, (p) => p.uri === uri && p.version === version);
    const diagnosticsFor = (version: number) => next<PublishedDiagnostics & { version?: number }>('textDocument/publishDiagnostics', (p) => p.uri === uri && p.version === version);

    const first = pushedFor(1);
    const firstDiagnostics = diagnosticsFor(1);
    const text = 'function f() %{ /* C */ %}\nprobe begin { f(); println(@2) }\n';
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
    assert.deepEqual((await first).info, { needsGuru: true, guruReasons: ["embedded C ('%{ %}') at line 1"], declaresGuru: false, scriptArgs: 2 });
    await firstDiagnostics;

    // An edit that drops the embedded C: the next publication says so, without being asked.
    const second = pushedFor(2);
    const secondDiagnostics = diagnosticsFor(2);
    await client.sendNotification('textDocument/didChange', { textDocument: { uri, version: 2 }, contentChanges: [{ text: 'probe begin { println(@1) }\n' }] });
    const pushed = await second;
    assert.deepEqual(pushed.info, { needsGuru: false, guruReasons: [], declaresGuru: false, scriptArgs: 1 });
    await secondDiagnostics;
    // The request answers the same from the same analysis.
    assert.deepEqual(await client.sendRequest(SCRIPT_INFO_REQUEST, { uri }), pushed.info);

    // Each publication (there may be more, when the library finishes loading): the script info, then the diagnostics, of one version.
    const ofThis = received.filter(([method, u]) => u === uri && method !== INACTIVE_REGIONS_NOTIFICATION.method).map(([method, , version]) => `${method} ${version}`);
    const publications = ofThis.filter((m) => m.startsWith('textDocument/publishDiagnostics'));
    assert.deepEqual([...new Set(publications)], ['textDocument/publishDiagnostics 1', 'textDocument/publishDiagnostics 2']);
    ofThis.forEach((m, i) => {
      if (m.startsWith('textDocument/publishDiagnostics')) assert.equal(ofThis[i - 1], `${PUBLISH_SCRIPT_INFO_NOTIFICATION.method} ${m.split(' ')[1]}`, `before ${m}: ${ofThis.join(', ')}`);
    });
  });

  test("the arguments of a file's last run: $N past them is a warning, until they are forgotten", T, async () => {
    const uri = 'file:///tmp/in-memory-args.stp';
    const published = (predicate: (p: PublishedDiagnostics) => boolean) => next<PublishedDiagnostics>('textDocument/publishDiagnostics', (p) => p.uri === uri && predicate(p));
    const outOfRange = (p: PublishedDiagnostics) => p.diagnostics.filter((d) => d.message.startsWith('command line argument out of range')).map((d) => [d.severity, d.message]);

    const first = published(() => true);
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: 'probe begin { println($1, @2) }\n' } });
    assert.deepEqual(outOfRange(await first), []);

    const withArgs = published((p) => outOfRange(p).length > 0);
    await client.sendNotification(SCRIPT_ARGUMENTS_NOTIFICATION, { uri, args: ['eth0'] });
    assert.deepEqual(outOfRange(await withArgs), [[2, "command line argument out of range: @2, but 1 script argument is given (with the arguments of this file's last run)"]]);

    const forgotten = published((p) => outOfRange(p).length === 0);
    await client.sendNotification(SCRIPT_ARGUMENTS_NOTIFICATION, { uri, args: null });
    await forgotten;
  });

  test('a library file gets neutral script info pushed: it is not run on its own', T, async () => {
    const uri = 'file:///tmp/in-memory-library.stpm';
    const pushed = next<PublishScriptInfoParams>(PUBLISH_SCRIPT_INFO_NOTIFICATION.method, (p) => p.uri === uri);
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: 'function f() %{ /* C */ %}\n' } });
    assert.deepEqual((await pushed).info, { needsGuru: false, guruReasons: [], declaresGuru: false, scriptArgs: 0 });
  });

  test('formatting: the document with the editor options and systemtap.format.declarationBraces, a range, and on type', T, async () => {
    const uri = 'file:///tmp/in-memory-format.stp';
    const text = 'probe begin\n{ x=1;y=2 }\nprobe end\n{\nexit()\n}\n';
    await client.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
    type Edit = { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string };
    const apply = (edits: Edit[]) => {
      const lines = text.split('\n');
      const offset = (p: { line: number; character: number }) => lines.slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
      return [...edits].reverse().reduce((t, e) => t.slice(0, offset(e.range.start)) + e.newText + t.slice(offset(e.range.end)), text);
    };
    const whole = (await client.sendRequest('textDocument/formatting', { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } })) as Edit[];
    assert.equal(apply(whole), 'probe begin {\n  x = 1;\n  y = 2\n}\nprobe end {\n  exit()\n}\n');
    const range = (await client.sendRequest('textDocument/rangeFormatting', {
      textDocument: { uri },
      range: { start: { line: 4, character: 0 }, end: { line: 4, character: 6 } },
      options: { tabSize: 4, insertSpaces: false },
    })) as Edit[];
    assert.equal(apply(range), 'probe begin\n{ x=1;y=2 }\nprobe end\n{\n\texit()\n}\n');
    const onType = (await client.sendRequest('textDocument/onTypeFormatting', {
      textDocument: { uri },
      position: { line: 5, character: 1 },
      ch: '}',
      options: { tabSize: 2, insertSpaces: true },
    })) as Edit[];
    // From the line of the `{` that the `}` closes: the header's line is outside, so the `{` stays on its own.
    assert.equal(apply(onType), 'probe begin\n{ x=1;y=2 }\nprobe end\n{\n  exit()\n}\n');
    assert.deepEqual(await client.sendRequest('textDocument/formatting', { textDocument: { uri: 'file:///tmp/not-open.stp' }, options: { tabSize: 2, insertSpaces: true } }), []);
  });
});
