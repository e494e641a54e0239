// The kernel checks in the bundled server over stdio and in the bundled
// stap-check, against a kernel types file named in the settings (the
// fixture kernel the tests make): diagnostics, their quick fixes, and the
// setting and option that turn them off.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MessageConnection } from 'vscode-jsonrpc/node';
import { kernelFixture } from '../support/kernelFixture';
import { diagnosticsFor, startServer, stopServer } from '../support/lsp';
import { CLI } from '../support/paths';
import { tempFolder } from '../support/tempFiles';

const dir = tempFolder('stap-kernel-server-');
const KERNEL_TYPES = path.join(dir, 'vmlinux.btf');
fs.writeFileSync(KERNEL_TYPES, kernelFixture().vmlinux);
const SCRIPT = 'probe kernel.function("wake_up_new_task") { println($p->state) }\nprobe kernel.function("tcp_sendmsgg") { }\n';
const T = { timeout: 60_000 };

describe('the server over stdio', () => {
  let connection: MessageConnection;
  let child: ReturnType<typeof spawn>;
  let settings: Record<string, unknown> = { kernelRelease: '5.4.0-other', kernelTypes: KERNEL_TYPES };
  const logs: string[] = [];

  before(async () => {
    ({ connection, child } = startServer());
    connection.onRequest('workspace/configuration', (p: { items: { section?: string }[] }) => p.items.map((i) => (i.section === 'systemtap' ? settings : null)));
    connection.onRequest('client/registerCapability', () => null);
    connection.onNotification('window/logMessage', (p: { message: string }) => logs.push(p.message));
    connection.listen();
    await connection.sendRequest('initialize', { processId: process.pid, rootUri: null, capabilities: { workspace: { configuration: true, didChangeConfiguration: { dynamicRegistration: false } } } });
    await connection.sendNotification('initialized', {});
  });
  after(() => stopServer({ connection, child }));

  test('kernel diagnostics from the file in the settings, with the quick fixes', T, async () => {
    const uri = 'file:///tmp/kernel.stp';
    const published = diagnosticsFor(connection, uri, (p) => p.diagnostics.some((d) => d.code === 'target-member-unknown'));
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: SCRIPT } });
    const { diagnostics } = await published;
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.range.start.line, d.range.start.character, d.severity]),
      [
        ['target-member-unknown', 0, 56, 2],
        ['kernel-function-unknown', 1, 23, 2],
      ],
    );
    // As published: the whole diagnostic, its range's end included, goes back in the request.
    const member = diagnostics[0];
    const actions = (await connection.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: member.range, context: { diagnostics: [member] } })) as { title: string }[];
    assert.deepEqual(
      actions.map((a) => a.title),
      ['Change to __state', 'Change to @choose_defined($p->__state, $p->state)'],
    );
    assert.ok(logs.some((m) => m.startsWith(`kernel types: ${KERNEL_TYPES}:`)));
  });

  test('completion and hover from the same data', T, async () => {
    const uri = 'file:///tmp/kernel-complete.stp';
    const text = 'probe kernel.function("ip_output") { println($skb->) }\nprobe kernel.function("tcp_) {}\n';
    // The diagnostics come once the analysis ran; the kernel data loaded for the first test.
    const published = diagnosticsFor(connection, uri, () => true);
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text } });
    await published;
    type Items = { label: string; detail?: string }[] | { isIncomplete: boolean; items: { label: string; detail?: string }[] };
    const labels = async (line: number, character: number, triggerCharacter?: string) => {
      const r = (await connection.sendRequest('textDocument/completion', {
        textDocument: { uri },
        position: { line, character },
        context: triggerCharacter ? { triggerKind: 2, triggerCharacter } : { triggerKind: 1 },
      })) as Items;
      return (Array.isArray(r) ? r : r.items).map((i) => i.label);
    };
    const members = await labels(0, 'probe kernel.function("ip_output") { println($skb->'.length, '>');
    assert.ok(members.includes('dev') && members.includes('len'), members.join());
    assert.deepEqual(await labels(1, 'probe kernel.function("tcp_'.length), ['tcp_sendmsg']);
    const shown = (await connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 'probe kernel.function("ip_output") { println($s'.length } })) as {
      contents: { value: string };
    };
    assert.match(shown.contents.value, /struct sk_buff \*\$skb/);
  });

  test("kernelTypes 'none' turns the kernel checks off", T, async () => {
    const uri = 'file:///tmp/kernel-none.stp';
    await connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'systemtap', version: 1, text: SCRIPT } });
    settings = { kernelRelease: '5.4.0-other', kernelTypes: 'none' };
    const quiet = diagnosticsFor(connection, uri, (p) => p.diagnostics.length === 0);
    await connection.sendNotification('workspace/didChangeConfiguration', { settings: { systemtap: settings } });
    await quiet;
  });
});

describe('stap-check --kernel-types', () => {
  const file = path.join(dir, 'k.stp');
  fs.writeFileSync(file, SCRIPT);
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

  test('warnings from the kernel types file, exit 0', () => {
    const r = run('--kernel-types', KERNEL_TYPES, '--kernel-release', '5.4.0-other', file);
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => l.replace(file, 'F').replace(/: .*\[/, ' [')),
      ['F:1:57 [target-member-unknown]', 'F:2:24 [kernel-function-unknown]'],
    );
  });

  test('the kernel data is read only for a script that has something to check against it', () => {
    // A file that is no BTF: reading it is a warning, so the warning tells whether it was read.
    const broken = path.join(dir, 'not-btf');
    fs.writeFileSync(broken, 'not BTF at all');
    const plain = path.join(dir, 'plain.stp');
    fs.writeFileSync(plain, 'global n\nprobe timer.s(1) { n++; printf("%d %s\\n", n, execname()) }\n');
    const quiet = run('--kernel-types', broken, '--kernel-release', '5.4.0-other', plain);
    assert.equal(quiet.status, 0, quiet.stderr);
    assert.equal(quiet.stderr, '');
    const read = run('--kernel-types', broken, '--kernel-release', '5.4.0-other', plain, file);
    assert.match(read.stderr, /not-btf/);
  });

  test("'none' turns them off; a missing file is a usage error", () => {
    assert.equal(run('--kernel-types', 'none', file).stdout, '');
    const missing = run('--kernel-types', path.join(dir, 'missing'), file);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--kernel-types '.*missing': no such file/);
  });
});
