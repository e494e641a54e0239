// The bundled stdio server keeps the tapset index in $XDG_CACHE_HOME/systemtap-guru
// between runs, and answers a hover sent right after start-up with the library doc,
// whether it builds the index or reads it; a cache folder it cannot write costs
// only the cache.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { findTapsetDir } from '../../server/src/analysis/tapsetLibrary';
import { startServer, stopServer } from '../support/lsp';
import { tempFolder } from '../support/tempFiles';

const T = { timeout: 120_000 };

/** Starts a server with this XDG_CACHE_HOME, hovers on execname() right after initialized, and shuts it down. */
async function hoverAtStart(cacheHome: string): Promise<{ doc: string; logs: string[] }> {
  const server = startServer({ cacheHome });
  const { connection, child } = server;
  const logs: string[] = [];
  connection.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  connection.listen();
  try {
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: {} });
    await connection.sendNotification('initialized', {});
    const uri = 'file:///tmp/index-cache-hover.stp';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: 'probe begin { println(execname()) }\n' } });
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 24 } })) as { contents: { value: string } } | null;
    // Shutdown waits for the index being written.
    await connection.sendRequest('shutdown');
    await connection.sendNotification('exit');
    await exited;
    return { doc: hover?.contents.value ?? '', logs };
  } finally {
    stopServer(server);
  }
}

describe('the stdio server and its index cache', { skip: !findTapsetDir() && 'systemtap is not installed' }, () => {
  test('the first start builds and keeps the index, the next reads it; both answer a hover sent at once', T, async () => {
    const cacheHome = tempFolder('stdio-cache-');
    const cold = await hoverAtStart(cacheHome);
    assert.match(cold.doc, /Returns the execname of a target process/);
    const folder = path.join(cacheHome, 'systemtap-guru');
    const files = fs.readdirSync(folder);
    assert.equal(files.filter((n) => /^tapset-index-[0-9a-f]{16}\.json$/.test(n)).length, 1, files.join(', '));
    assert.deepEqual(
      files.filter((n) => n.endsWith('.tmp')),
      [],
    );

    const warm = await hoverAtStart(cacheHome);
    assert.match(warm.doc, /Returns the execname of a target process/);
    assert.ok(
      warm.logs.some((m) => m.includes(`read from ${folder}/`)),
      warm.logs.join('\n'),
    );
  });

  test('a cache folder that cannot be made: a warning, and the library features all the same', T, async () => {
    const blocker = path.join(tempFolder('stdio-cache-'), 'a-file');
    fs.writeFileSync(blocker, '');
    const run = await hoverAtStart(blocker);
    assert.match(run.doc, /Returns the execname of a target process/);
    assert.ok(
      run.logs.some((m) => /cannot keep the tapset index/.test(m)),
      run.logs.join('\n'),
    );
  });
});
