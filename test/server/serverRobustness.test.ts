// The bundled server (dist/server.js) started wrongly, and with include
// folders that hold more than tapsets: it says how to start it, it keeps
// answering, and the library it can read stays in use.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { diagnosticsFor, PublishedDiagnostics, startServer, stopServer } from '../support/lsp';
import { SERVER } from '../support/paths';
import { canMkfifo, mkfifo } from '../support/tempFiles';

const USAGE = 'usage: stap-language-server --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n';

describe('starting the server without a transport', () => {
  for (const args of [[], ['--socket=abc'], ['--pipe'], ['--stdio=1'], ['--verbose']]) {
    test(`'${args.join(' ')}': a usage line and exit status 2`, () => {
      const r = spawnSync(process.execPath, [SERVER, ...args], { encoding: 'utf8', timeout: 30_000 });
      assert.equal(r.stderr, USAGE);
      assert.equal(r.stdout, '');
      assert.equal(r.status, 2);
    });
  }
  test('--help: the usage line on stdout, exit status 0', () => {
    const r = spawnSync(process.execPath, [SERVER, '--help'], { encoding: 'utf8', timeout: 30_000 });
    assert.equal(r.stdout, USAGE);
    assert.equal(r.status, 0);
  });
});

describe('include folders with a FIFO, a file the parser fails on, and macros', { skip: !canMkfifo && 'no mkfifo' }, () => {
  let connection: MessageConnection;
  let child: ReturnType<typeof spawn>;
  const logs: string[] = [];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'server-include-'));
  const settings = { includePaths: [dir] };

  before(async () => {
    fs.writeFileSync(path.join(dir, 'good.stp'), '/**\n * sfunction my_tool - Does the job\n */\nfunction my_tool:long() { return 42 }\n');
    fs.writeFileSync(path.join(dir, 'macros.stpm'), '@define mymacro %( 42 %)\n');
    // Deeper than the parser's stack today; reported and left out if it fails.
    const n = 200_000;
    fs.writeFileSync(path.join(dir, 'deep.stp'), `function deep:long() { return ${'('.repeat(n)}1${')'.repeat(n)} }\n`);
    mkfifo(path.join(dir, 'x.stp'));
    mkfifo(path.join(dir, 'y.stpm'));

    ({ connection, child } = startServer());
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'systemtap' ? settings : null)));
    connection.onRequest('client/registerCapability', () => null);
    connection.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true } } });
    await connection.sendNotification('initialized', {});
  });

  after(() => {
    stopServer({ connection, child });
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const T = { timeout: 60_000 };

  test('the library is indexed: hover and the unknown-function check work; the FIFOs are reported', T, async () => {
    const uri = 'file:///tmp/uses-include.stp';
    const text = 'probe begin { println(my_tool(), @mymacro, execnme()); exit() }\n';
    const indexed = diagnosticsFor(connection, uri, (p: PublishedDiagnostics) => p.diagnostics.some((d) => d.code === 'function-unknown'));
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
    const p = await indexed;
    // Only the misspelt library function; the include folder's function and macro are known.
    assert.deepEqual(
      p.diagnostics.map((d) => d.message.match(/^[^:]*/)![0]),
      ["unknown function 'execnme'"],
    );
    const hover = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: text.indexOf('my_tool') + 1 } })) as {
      contents: { value: string };
    } | null;
    assert.match(hover?.contents.value ?? '', /Does the job/);
    for (const fifo of ['x.stp', 'y.stpm']) {
      assert.ok(
        logs.some((l) => l.includes(`skipped ${path.join(dir, fifo)}: not a regular file (a FIFO)`)),
        `${fifo} reported:\n${logs.join('\n')}`,
      );
    }
    assert.equal(logs.filter((l) => l.includes(path.join(dir, 'x.stp'))).length, 1, 'reported once');
  });

  test("Go to Definition of an include folder's macro: its @define", T, async () => {
    const uri = 'file:///tmp/uses-macro.stp';
    const text = 'probe begin { println(@mymacro) }\n';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
    const found = (await connection.sendRequest('textDocument/definition', { textDocument: { uri }, position: { line: 0, character: text.indexOf('mymacro') + 1 } })) as {
      uri: string;
      range: { start: { line: number; character: number } };
    }[];
    assert.deepEqual(
      found.map((l) => [l.uri, l.range.start]),
      [[`file://${path.join(dir, 'macros.stpm')}`, { line: 0, character: 8 }]],
    );
  });
});
