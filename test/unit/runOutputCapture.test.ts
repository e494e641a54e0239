// What the output view is told of a run's file: only new bytes, characters
// split between writes kept whole, a last read at the end; and the run files
// themselves (names a user can find, the last 20 kept).
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { FileTail } from '../../client/src/output/fileTail';
import { newRunFile, runFileName } from '../../client/src/output/runFiles';
import { teeInvocation } from '../../client/src/run/stapCommand';
import { tempFolder } from '../support/tempFiles';

function tailOf(file: string): { texts: string[]; tail: FileTail } {
  const texts: string[] = [];
  return { texts, tail: new FileTail(file, (t) => texts.push(t)) };
}

describe('following a run file', () => {
  test('each read hands on only what was appended since the last', () => {
    const file = path.join(tempFolder('stap-tail-'), 'run.txt');
    fs.writeFileSync(file, '');
    const { texts, tail } = tailOf(file);
    tail.read();
    assert.deepEqual(texts, []);
    fs.appendFileSync(file, 'Pass 5: starting run.\n');
    tail.read();
    fs.appendFileSync(file, 'value |---- count\n    1 |@@ 2\n');
    tail.read();
    tail.read();
    assert.deepEqual(texts, ['Pass 5: starting run.\n', 'value |---- count\n    1 |@@ 2\n']);
  });

  test('a UTF-8 character split between two writes arrives whole, once', () => {
    const file = path.join(tempFolder('stap-tail-'), 'run.txt');
    const bytes = Buffer.from('µs: 12 → 3 €\n');
    fs.writeFileSync(file, bytes.subarray(0, 1)); // half of µ
    const { texts, tail } = tailOf(file);
    tail.read();
    const arrow = bytes.indexOf(Buffer.from('→'));
    fs.appendFileSync(file, bytes.subarray(1, arrow + 1)); // the rest of µ ... the first byte of →
    tail.read();
    fs.appendFileSync(file, bytes.subarray(arrow + 1, bytes.length - 3)); // the rest of →, up to the first byte of €
    tail.read();
    fs.appendFileSync(file, bytes.subarray(bytes.length - 3));
    tail.read();
    assert.equal(texts.join(''), 'µs: 12 → 3 €\n');
    assert.ok(!texts.join('').includes('\ufffd'));
    assert.deepEqual(texts, ['µs: 12 ', '→ 3 ', '€\n']);
  });

  test('stop() reads a last time, flushes an incomplete character, and reads no more', () => {
    const file = path.join(tempFolder('stap-tail-'), 'run.txt');
    fs.writeFileSync(file, 'a');
    const { texts, tail } = tailOf(file);
    tail.read();
    fs.appendFileSync(file, Buffer.concat([Buffer.from('last line\n'), Buffer.from('€').subarray(0, 2)]));
    tail.stop();
    assert.deepEqual(texts, ['a', 'last line\n', '\ufffd']);
    fs.appendFileSync(file, 'after the end\n');
    tail.read();
    tail.stop();
    assert.equal(texts.length, 3);
  });

  test('a file emptied and written again is read from its start; a missing file is no error', () => {
    const folder = tempFolder('stap-tail-');
    const file = path.join(folder, 'run.txt');
    const { texts, tail } = tailOf(file);
    tail.read();
    fs.writeFileSync(file, 'first run, a long line\n');
    tail.read();
    fs.writeFileSync(file, 'second\n');
    tail.read();
    fs.rmSync(file);
    tail.read();
    assert.deepEqual(texts, ['first run, a long line\n', 'second\n']);
  });

  test('started, it notices appends by itself (fs.watch, or the poll)', async () => {
    const file = path.join(tempFolder('stap-tail-'), 'run.txt');
    fs.writeFileSync(file, '');
    let text = '';
    let heard!: () => void;
    const arrived = new Promise<void>((resolve) => (heard = resolve));
    const tail = new FileTail(file, (t) => {
      text += t;
      if (text.includes('3 ticks\n')) heard();
    });
    tail.start();
    try {
      for (const n of [1, 2, 3]) fs.appendFileSync(file, `${n} ticks\n`);
      await arrived;
      assert.equal(text, '1 ticks\n2 ticks\n3 ticks\n');
    } finally {
      tail.stop();
    }
  });
});

describe('run files', () => {
  test('named by the script and the local time the run started; a hostile name made harmless', () => {
    const at = new Date(2026, 11, 1, 9, 5, 7);
    assert.equal(runFileName('/w/trace.stp', at), 'trace-2026-12-01_09-05-07.txt');
    assert.equal(runFileName("/w/a b; $(touch PWNED) 'x'.stp", at), 'a_b_touch_PWNED_x_-2026-12-01_09-05-07.txt');
    assert.equal(runFileName('${file}', at), 'stap-task-2026-12-01_09-05-07.txt');
    assert.equal(runFileName('/w/..stp', at), 'script-2026-12-01_09-05-07.txt');
  });

  test('a new file per run, even in the same second; the oldest removed beyond the kept number, never one in use', () => {
    const folder = path.join(tempFolder('stap-runs-'), 'runs');
    const at = new Date(2026, 11, 1, 9, 5, 7);
    const first = newRunFile(folder, '/w/trace.stp', at);
    const second = newRunFile(folder, '/w/trace.stp', at);
    assert.equal(path.basename(first), 'trace-2026-12-01_09-05-07.txt');
    assert.equal(path.basename(second), 'trace-2026-12-01_09-05-07-2.txt');
    assert.equal(fs.readFileSync(second, 'utf8'), '');
    // Ages by modification time: the first file is the oldest.
    fs.utimesSync(first, new Date(2020, 0, 1), new Date(2020, 0, 1));
    fs.utimesSync(second, new Date(2020, 0, 2), new Date(2020, 0, 2));
    const third = newRunFile(folder, '/w/other.stp', at, new Set([first]), 2);
    assert.deepEqual(fs.readdirSync(folder).sort(), [path.basename(third), path.basename(first)].sort(), 'the second went; the first is in use');
  });

  test('the tee wraps the run: node stapTee.js --out FILE -- sudo -- stap ...', () => {
    assert.deepEqual(teeInvocation({ file: 'sudo', args: ['--', 'stap', '-v', '--', '/w/t.stp'] }, { node: '/vsc/node', teeScript: '/ext/dist/stapTee.js', outFile: '/g/runs/t.txt' }), {
      file: '/vsc/node',
      args: ['/ext/dist/stapTee.js', '--out', '/g/runs/t.txt', '--', 'sudo', '--', 'stap', '-v', '--', '/w/t.stp'],
    });
  });
});
