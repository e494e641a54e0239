// Reading library folders that hold more than tapsets: FIFOs and devices
// named *.stp, symbolic links to /dev/zero or round in a circle, files too
// large, files the parser fails on. What cannot be used is left out and
// reported; the rest of the library stands. The size cap, whose files take
// seconds to read, is tested in test/server/librarySizeCap.test.ts.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { buildTapsetIndex } from '../../server/src/analysis/tapsetIndex';
import {
  listFiles,
  listFilesAsync,
  listLibraryFiles,
  listLibraryFilesWithin,
  loadLibraryMacros,
  loadLibraryMacrosAsync,
  MAX_LIBRARY_DEPTH,
  readRegularFile,
  readRegularFileSync,
  reportOnce,
} from '../../server/src/analysis/tapsetLibrary';
import { machineTarget } from '../../server/src/analysis/target';
import { collect, folder, GOOD } from '../support/libraryFixtures';
import { canMkfifo, mkfifo } from '../support/tempFiles';

const target = machineTarget({ arch: 'x86_64' });

const GOOD_MACROS = '@define mymacro %( 42 %)\n';

/**
 * Watches a FIFO from another thread: whoever opens it for reading is let go
 * at once (a writer comes and goes, so the read sees end of file) and it is
 * noted. A reader that blocks this thread cannot hide from it.
 */
function watchFifo(fifo: string): { opened: () => boolean; stop: () => Promise<void> } {
  const shared = new Int32Array(new SharedArrayBuffer(8)); // [opened, stop]
  const worker = new Worker(
    `const fs = require('fs');
     const { workerData } = require('worker_threads');
     const s = workerData.shared;
     const nap = new Int32Array(new SharedArrayBuffer(4));
     while (Atomics.load(s, 1) === 0) {
       try {
         const fd = fs.openSync(workerData.fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
         Atomics.store(s, 0, 1);
         fs.closeSync(fd);
       } catch {}
       Atomics.wait(nap, 0, 0, 2);
     }`,
    { eval: true, workerData: { fifo, shared } },
  );
  return {
    opened: () => Atomics.load(shared, 0) === 1,
    stop: async () => {
      Atomics.store(shared, 1, 1);
      await new Promise((resolve) => worker.once('exit', resolve));
    },
  };
}

describe('special files in a library folder', { skip: !canMkfifo && 'no mkfifo' }, () => {
  test('a FIFO named x.stp or x.stpm is never opened, and is reported', async () => {
    const dir = folder({ 'good.stp': GOOD, 'good.stpm': GOOD_MACROS });
    const fifos = ['x.stp', 'y.stpm'].map((n) => path.join(dir, n));
    for (const f of fifos) mkfifo(f);
    const watches = fifos.map(watchFifo);
    try {
      const { report, reasonFor } = collect();
      assert.deepEqual(
        listFiles(dir, ['.stp', '.stpm'], undefined, report),
        ['good.stp', 'good.stpm'].map((n) => path.join(dir, n)),
      );
      assert.deepEqual(reasonFor(fifos[0]), ['not a regular file (a FIFO)']);

      const index = await buildTapsetIndex(undefined, 'x86_64', target, new Map(), [dir]);
      assert.deepEqual([...index.functions.keys()], ['my_tool']);
      assert.deepEqual([...loadLibraryMacros(undefined, 'x86_64', [dir]).keys()], ['mymacro']);
      assert.deepEqual([...(await loadLibraryMacrosAsync(undefined, 'x86_64', [dir])).keys()], ['mymacro']);
      assert.throws(() => readRegularFileSync(fifos[0]), /not a regular file \(a FIFO\)/);
      await assert.rejects(readRegularFile(fifos[1]), /not a regular file \(a FIFO\)/);
      assert.deepEqual(
        watches.map((w) => w.opened()),
        [false, false],
        'a FIFO was opened',
      );
    } finally {
      await Promise.all(watches.map((w) => w.stop()));
    }
  });

  test('a symbolic link to /dev/zero is not read; a broken one is reported', { skip: !fs.existsSync('/dev/zero') && 'no /dev/zero' }, async () => {
    const dir = folder({ 'good.stp': GOOD });
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.stp'));
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.stpm'));
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'gone.stp'));
    const { report, reasonFor } = collect();
    assert.deepEqual(await listFilesAsync([dir], ['.stp'], undefined, report), [path.join(dir, 'good.stp')]);
    assert.deepEqual(reasonFor(path.join(dir, 'zero.stp')), ['not a regular file (a character device)']);
    assert.match(reasonFor(path.join(dir, 'gone.stp'))[0], /no such file/);
    assert.deepEqual([...loadLibraryMacros(undefined, 'x86_64', [dir]).keys()], []);
    const index = await buildTapsetIndex(undefined, 'x86_64', target, new Map(), [dir]);
    assert.deepEqual([...index.functions.keys()], ['my_tool']);
  });
});

describe('library folder walks', () => {
  test('symbolic links are followed; cycles and files reached twice are taken once', () => {
    const dir = folder({ 'a.stp': GOOD, 'sub/b.stp': 'function b() {}\n' });
    fs.symlinkSync('..', path.join(dir, 'sub', 'up')); // a cycle
    fs.symlinkSync('.', path.join(dir, 'self'));
    fs.symlinkSync('a.stp', path.join(dir, 'c.stp')); // the same file again
    const other = folder({ 'd.stp': 'function d() {}\n' });
    fs.symlinkSync(other, path.join(dir, 'linked')); // a linked folder is read, as stap's glob does
    const files = listFiles(dir, ['.stp']);
    assert.deepEqual(
      files.map((f) => path.relative(dir, f)),
      ['a.stp', 'linked/d.stp', 'sub/b.stp'],
    );
  });

  test('overlapping folders are read once', async () => {
    const dir = folder({ 'a.stp': GOOD, 'sub/b.stp': 'function b() {}\n' });
    const files = await listFilesAsync([dir, path.join(dir, 'sub'), dir], ['.stp'], undefined);
    assert.deepEqual(
      files.map((f) => path.relative(dir, f)),
      ['a.stp', 'sub/b.stp'],
    );
    const index = await buildTapsetIndex(dir, 'x86_64', target, new Map(), [dir]);
    assert.equal(index.functions.get('my_tool')?.length, 1);
  });

  test(`folders more than ${MAX_LIBRARY_DEPTH} levels deep are left out, and reported`, () => {
    const deep = Array.from({ length: MAX_LIBRARY_DEPTH + 2 }, (_, i) => `d${i}`).join('/');
    const dir = folder({ 'a.stp': GOOD, [`${deep}/deep.stp`]: 'function deep() {}\n', 'd0/d1/shallow.stp': 'function shallow() {}\n' });
    const { skipped, report } = collect();
    const files = listFiles(dir, ['.stp'], undefined, report);
    assert.deepEqual(
      files.map((f) => path.relative(dir, f)),
      ['a.stp', 'd0/d1/shallow.stp'],
    );
    assert.equal(skipped.length, 1);
    assert.match(skipped[0].reason, /folder levels deep/);
  });

  test('the arch filter and sorted order are as before', () => {
    const dir = folder({ 'b.stp': '', 'a.stp': '', 'arm64/x.stp': '', 'x86_64/y.stp': '', 'bpf/z.stp': '', 'linux/arm64/w.stp': '', 'linux/v.stp': '' });
    assert.deepEqual(
      listFiles(dir, ['.stp'], 'x86_64').map((f) => path.relative(dir, f)),
      ['a.stp', 'b.stp', 'linux/v.stp', 'x86_64/y.stp'],
    );
    assert.equal(listFiles(dir, ['.stp']).length, 7);
  });

  test('a walk within a bound of entries: the same files and reports as the full walk, or, past the bound, none', () => {
    const dir = folder({ 'a.stp': GOOD, 'sub/b.stp': 'function b() {}\n', 'sub/c.txt': '', 'x86_64/d.stp': '', 'arm64/e.stp': '' });
    fs.symlinkSync(path.join(dir, 'nowhere'), path.join(dir, 'gone.stp'));
    const full = collect();
    const within = collect();
    const expected = listLibraryFiles([dir], ['.stp'], 'x86_64', full.report);
    assert.deepEqual(
      expected.map((f) => path.relative(dir, f.path)),
      ['a.stp', 'sub/b.stp', 'x86_64/d.stp'],
    );
    // Entries: a.stp, arm64, gone.stp, sub, x86_64, then sub's two and x86_64's one.
    assert.deepEqual(listLibraryFilesWithin([dir], ['.stp'], 'x86_64', 8, within.report), expected);
    assert.deepEqual(within.skipped, full.skipped);
    assert.match(within.reasonFor(path.join(dir, 'gone.stp'))[0], /no such file/);
    const over = collect();
    assert.equal(listLibraryFilesWithin([dir], ['.stp'], 'x86_64', 7, over.report), undefined);
    assert.deepEqual(over.skipped, [], 'a walk given up reports nothing: the full walk will');
  });

  test('paths are written as path.join writes them, whatever the spelling of the folder', async () => {
    const dir = folder({ 'a.stp': GOOD, 'sub/b.stp': 'function b() {}\n' });
    const expected = [path.join(dir, 'a.stp'), path.join(dir, 'sub', 'b.stp')];
    for (const spelling of [dir, `${dir}/`, `${dir}//sub/..`, path.relative(process.cwd(), dir) || '.']) {
      const files = listFiles(spelling, ['.stp']);
      assert.deepEqual(files, [path.join(spelling, 'a.stp'), path.join(spelling, 'sub', 'b.stp')], spelling);
      assert.deepEqual(
        files.map((f) => path.resolve(f)),
        expected,
        spelling,
      );
      assert.deepEqual(await listFilesAsync([spelling], ['.stp'], undefined), files, spelling);
    }
  });

  test('a folder that is missing or not a folder is reported, not thrown', async () => {
    const dir = folder({ 'a.stp': GOOD });
    const { report, reasonFor } = collect();
    assert.deepEqual(await listFilesAsync(['/no/such/folder', path.join(dir, 'a.stp'), dir], ['.stp'], undefined, report), [path.join(dir, 'a.stp')]);
    assert.match(reasonFor('/no/such/folder')[0], /no such file/);
    assert.deepEqual(reasonFor(path.join(dir, 'a.stp')), ['not a folder']);
  });
});

describe('a file that fails is left out on its own', () => {
  // A parser bug, simulated: the compiled modules are CommonJS, and the
  // indexers look the function up on the module at each call.
  function failingOn<M extends object>(module: M, name: keyof M & string, marker: string, run: () => Promise<void>): Promise<void> {
    const real = module[name] as unknown as (text: unknown, ...rest: unknown[]) => unknown;
    (module as Record<string, unknown>)[name] = (text: unknown, ...rest: unknown[]) => {
      const source = typeof text === 'string' ? text : JSON.stringify(text);
      if (source.includes(marker)) throw new Error(`simulated failure on ${marker}`);
      return real(text, ...rest);
    };
    return run().finally(() => {
      (module as Record<string, unknown>)[name] = real;
    });
  }

  test('in an include folder or the tapset folder: the index of the rest stands', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const parser = require('../../server/src/syntax/parser') as typeof import('../../server/src/syntax/parser');
    const tapsets = folder({ 'a.stp': 'function lib_a() {}\n', 'b.stp': 'function lib_b() {} # PARSE_BOMB\n', 'c.stp': 'function lib_c() {}\n' });
    const include = folder({ 'bad.stp': 'function mine_bad() {} # PARSE_BOMB\n', 'good.stp': GOOD });
    await failingOn(parser, 'parse', 'PARSE_BOMB', async () => {
      const { skipped, report } = collect();
      const index = await buildTapsetIndex(tapsets, 'x86_64', target, new Map(), [include], report);
      assert.deepEqual([...index.functions.keys()].sort(), ['lib_a', 'lib_c', 'my_tool']);
      assert.deepEqual(
        skipped.map((s) => [path.basename(s.file), s.reason]),
        [
          ['b.stp', 'internal error while reading it: simulated failure on PARSE_BOMB'],
          ['bad.stp', 'internal error while reading it: simulated failure on PARSE_BOMB'],
        ],
      );
    });
  });

  test('a .stpm file: the macros of the others stand', async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const lexer = require('../../server/src/syntax/lexer') as typeof import('../../server/src/syntax/lexer');
    const dir = folder({ 'a.stpm': '@define ma %( 1 %)\n', 'b.stpm': '@define mb %( 2 %) # MACRO_BOMB\n', 'c.stpm': '@define mc %( 3 %)\n' });
    await failingOn(lexer, 'lex', 'MACRO_BOMB', async () => {
      const { skipped, report } = collect();
      assert.deepEqual([...loadLibraryMacros(dir, 'x86_64', [], report).keys()], ['ma', 'mc']);
      assert.deepEqual([...(await loadLibraryMacrosAsync(undefined, 'x86_64', [dir])).keys()], ['ma', 'mc']);
      assert.deepEqual(
        skipped.map((s) => path.basename(s.file)),
        ['b.stpm'],
      );
    });
  });

  test('a real hostile file (nesting deeper than the stack) does not cost the others', async () => {
    const n = 200_000;
    const dir = folder({ 'deep.stp': `function deep:long() { return ${'('.repeat(n)}1${')'.repeat(n)} }\n`, 'good.stp': GOOD });
    const index = await buildTapsetIndex(undefined, 'x86_64', target, new Map(), [dir]);
    assert.ok(index.functions.has('my_tool'));
  });
});

test('reportOnce passes each file and reason on once', () => {
  const seen: string[] = [];
  const report = reportOnce((file, reason) => seen.push(`${file}: ${reason}`));
  report('a', 'x');
  report('a', 'x');
  report('a', 'y');
  report('b', 'x');
  assert.deepEqual(seen, ['a: x', 'a: y', 'b: x']);
});
