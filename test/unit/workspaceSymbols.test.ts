// Workspace symbols: the scripts of a folder tree read in the background,
// matched by the letters of the query, open documents over the disk, a file
// read again when it changes, the library only for a typed query.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { SymbolKind } from 'vscode-languageserver';
import { URI } from 'vscode-uri';
import { TapsetIndex } from '../../server/src/analysis/tapsetIndex';
import { matchScore, WorkspaceSymbolIndex } from '../../server/src/features/workspaceSymbols';
import { parse } from '../../server/src/syntax/parser';

let root: string;
before(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-wsym-'));
  fs.mkdirSync(path.join(root, 'lib'));
  fs.mkdirSync(path.join(root, 'node_modules'));
  fs.writeFileSync(path.join(root, 'top.stp'), 'global request_count\nprobe begin { request_count = 1 }\nfunction report_requests() { }\n');
  fs.writeFileSync(path.join(root, 'lib', 'helpers.stp'), '@define twice(x) %( @x * 2 %)\nprobe my.alias = begin { }\nfunction helper:long (n) { return n }\n');
  fs.writeFileSync(path.join(root, 'lib', 'broken.stp'), 'function half_typed(a\nglobal after_error\nprobe end {');
  fs.writeFileSync(path.join(root, 'node_modules', 'hidden.stp'), 'function not_me() { }\n');
  fs.writeFileSync(path.join(root, 'notes.txt'), 'function not_a_script() { }\n');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

const names = (symbols: { name: string }[]) => symbols.map((s) => s.name).sort();

describe('workspace symbols', () => {
  test('probes, functions, globals and macros of every script under the roots', async () => {
    const index = new WorkspaceSymbolIndex();
    index.setRoots([root]);
    const all = await index.query('');
    assert.deepEqual(names(all), ['@twice', 'after_error', 'begin', 'end', 'helper', 'my.alias', 'report_requests', 'request_count'].sort());
    const helper = all.find((s) => s.name === 'helper')!;
    assert.equal(helper.kind, SymbolKind.Function);
    assert.equal(helper.location.uri, URI.file(path.join(root, 'lib', 'helpers.stp')).toString());
    assert.deepEqual(helper.location.range.start, { line: 2, character: 9 });
    assert.equal(helper.containerName, path.join(path.basename(root), 'lib', 'helpers.stp'));
  });

  test('matched by the letters of the query, in order, best first', async () => {
    const index = new WorkspaceSymbolIndex();
    index.setRoots([root]);
    assert.deepEqual(
      (await index.query('req')).map((s) => s.name),
      ['request_count', 'report_requests'],
    );
    assert.deepEqual(names(await index.query('rptrq')), ['report_requests']);
    assert.deepEqual(await index.query('zzz'), []);
    assert.equal(matchScore('helper', 'HEL'), 3);
    assert.equal(matchScore('helper', 'elp'), 2);
    assert.equal(matchScore('helper', 'hlr'), 1);
    assert.equal(matchScore('helper', 'rh'), undefined);
  });

  test("an open document's text wins over the file on disk", async () => {
    const index = new WorkspaceSymbolIndex();
    index.setRoots([root]);
    const uri = URI.file(path.join(root, 'top.stp')).toString();
    const text = 'function renamed_in_editor() { }\n';
    const found = names(await index.query('re', { open: [{ uri, text, script: parse(text, {}) }] }));
    assert.ok(found.includes('renamed_in_editor') && !found.includes('report_requests'), found.join());
  });

  test('a changed file is read again', async () => {
    const index = new WorkspaceSymbolIndex();
    index.setRoots([root]);
    assert.deepEqual(names(await index.query('fresh')), []);
    const file = path.join(root, 'lib', 'fresh.stp');
    fs.writeFileSync(file, 'function fresh_function() { }\n');
    index.changed(file);
    assert.deepEqual(names(await index.query('fresh')), ['fresh_function']);
    fs.rmSync(file);
    index.changed(file);
    assert.deepEqual(names(await index.query('fresh')), []);
  });

  test('the library joins only for a typed query, without the folders indexed already', async () => {
    const at = (file: string) => ({ file, line: 3, character: 9, length: 8 });
    const library: TapsetIndex = {
      functions: new Map([
        ['task_pid', [{ name: 'task_pid', signature: 'task_pid:long(task:long)', at: at('/usr/share/systemtap/tapset/task.stp') }]],
        ['helper', [{ name: 'helper', signature: 'helper:long(n:long)', at: at(path.join(root, 'lib', 'helpers.stp')) }]],
      ]),
      probes: new Map([['syscall.open', [{ name: 'syscall.open', at: at('/usr/share/systemtap/tapset/syscalls.stp') }]]]),
    };
    const index = new WorkspaceSymbolIndex();
    index.setRoots([root]);
    assert.ok(!names(await index.query('', { library })).includes('task_pid'));
    const pid = await index.query('task_p', { library });
    assert.deepEqual(
      pid.map((s) => [s.name, s.containerName]),
      [['task_pid', 'tapset task.stp']],
    );
    assert.deepEqual(names(await index.query('sysopen', { library })), ['syscall.open']);
    assert.equal((await index.query('helper', { library })).length, 1, 'the include folder is indexed once');
  });

  test('a FIFO named like a script is left alone, whether found by the walk or reported by the watcher', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stap-wsym-fifo-'));
    try {
      const fifo = path.join(dir, 'pipe.stp');
      execFileSync('mkfifo', [fifo]);
      fs.writeFileSync(path.join(dir, 'real.stp'), 'global beside_the_pipe\n');
      const index = new WorkspaceSymbolIndex();
      index.setRoots([dir]);
      assert.deepEqual(names(await index.query('')), ['beside_the_pipe']);
      index.changed(fifo);
      assert.deepEqual(names(await index.query('')), ['beside_the_pipe']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a cancelled request answers at once with what is there', async () => {
    const index = new WorkspaceSymbolIndex(() => new Promise(() => undefined)); // reads that never finish
    index.setRoots([root]);
    const result = await index.query('', { cancel: { isCancellationRequested: true } });
    assert.deepEqual(result, []);
  });
});
