// The output view's model on real stap output (captures shipped with
// systemtap-doc's examples, in test/fixtures/output/) and on hand-made edge
// cases: elisions, histograms split across chunks anywhere, reprinted
// histograms, periodic lines, tabular reports, garbage.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { MAX_SAMPLES, OutputModel } from '../../client/src/output/outputModel';
import { compileUserPattern, UserPattern } from '../../client/src/output/userPattern';
import type { OutputSnapshot } from '../../client/src/output/viewMessages';
import { FIXTURES } from '../support/paths';

const capture = (name: string) => fs.readFileSync(path.join(FIXTURES, 'output', name), 'utf8');

function read(text: string, chunk = text.length, pattern?: UserPattern): OutputSnapshot {
  const model = new OutputModel(pattern);
  for (let i = 0; i < text.length; i += chunk) model.write(text.slice(i, i + chunk));
  model.end();
  return model.snapshot();
}

/** stap's row layout (stat-common.c): the value right-aligned in valSpace with its prefix, the bar, the count right-aligned after it. */
function row(prefix: string, value: number, count: number, valSpace: number, countSpace = 1): string {
  const bar = '@'.repeat(count);
  return `${(prefix + value).padStart(valSpace)} |${bar}${String(count).padStart(50 - count + 1 + countSpace)}`;
}
const header = (valSpace: number) => `${'value'.padStart(valSpace)} |${'-'.repeat(50)} count`;
const elision = (valSpace: number) => `${' '.repeat(valSpace)} ~`;

describe('histograms in real captures', () => {
  test('deviceseeks: two log histograms with negative buckets and ~ elisions, named by the line above', () => {
    const { histograms, series } = read(capture('deviceseeks.txt'));
    assert.deepEqual(
      histograms.map((h) => h.title),
      ['Device: sdd', 'Device: dm-6'],
    );
    const sdd = histograms[0];
    assert.equal(sdd.kind, 'log');
    assert.deepEqual(sdd.labels.slice(0, 7), ['-34359738368', '-17179869184', '-8589934592', '-4294967296', '-2147483648', '~', '-268435456']);
    assert.deepEqual(sdd.counts.slice(0, 7), [0, 0, 1, 0, 0, null, 0]);
    assert.equal(sdd.counts[sdd.labels.indexOf('0')], 246);
    assert.equal(sdd.counts[sdd.labels.indexOf('2048')], 102);
    assert.equal(sdd.labels.at(-1), '34359738368');
    assert.equal(sdd.labels.filter((l) => l === '~').length, 6);
    assert.deepEqual(series, []);
  });

  test('biolatency: the same histogram printed again and again is one chart, the latest printout', () => {
    const { histograms } = read(capture('biolatency.txt'));
    assert.equal(histograms.length, 1);
    assert.equal(histograms[0].title, 'bio latency (ns):');
    assert.equal(histograms[0].printouts, 7);
    // The file's last printout.
    assert.deepEqual(histograms[0].labels.slice(0, 4), ['32768', '65536', '131072', '262144']);
    assert.deepEqual(histograms[0].counts.slice(0, 4), [0, 0, 57, 877]);
  });

  test('sched-latency: one histogram per title; the titles (pid:N prio:N) are not a series', () => {
    const { histograms, series } = read(capture('sched-latency.txt'));
    assert.deepEqual(
      histograms.map((h) => [h.title, h.counts.reduce<number>((a, c) => a + (c ?? 0), 0)]),
      [
        ['pid:442 prio:100', 1],
        ['pid:29140 prio:120', 127],
        ['pid:29161 prio:120', 34],
      ],
    );
    assert.deepEqual(series, []);
  });

  test('func_time_stats: a title full of numbers is still a title', () => {
    const { histograms, series } = read(capture('func_time_stats.txt'));
    assert.equal(histograms[0].title, 'OUT intervals min:1000199us avg:1000199us max:1000199us count:1');
    assert.deepEqual(histograms[0].counts, [0, 0, 1, 0, 0]);
    assert.deepEqual(series, []);
  });

  test('every split of a capture into chunks gives the same charts as the whole', () => {
    for (const name of ['deviceseeks.txt', 'sched-latency.txt', 'iostat-scsi.txt', 'nettop.txt']) {
      const text = capture(name);
      const whole = read(text);
      for (const chunk of [1, 2, 3, 7, 13, 64, 1000]) assert.deepEqual(read(text, chunk), whole, `${name} in chunks of ${chunk}`);
    }
  });
});

describe('histograms, hand-made after stat-common.c', () => {
  test('a linear histogram with underflow, overflow and an elision', () => {
    // @hist_linear(v, 0, 100, 10): 2 below 0, 4 in [0,10), 1 at 100, 3 above.
    const text = [
      header(5),
      row('<', 0, 2, 5),
      row('', 0, 4, 5),
      row('', 10, 0, 5),
      row('', 20, 0, 5),
      elision(5),
      row('', 80, 0, 5),
      row('', 90, 0, 5),
      row('', 100, 1, 5),
      row('>', 100, 3, 5),
      '',
    ].join('\n');
    const [h] = read(text).histograms;
    assert.equal(h.kind, 'linear');
    assert.deepEqual(h.labels, ['<0', '0', '10', '20', '~', '80', '90', '100', '>100']);
    assert.deepEqual(h.counts, [2, 4, 0, 0, null, 0, 0, 1, 3]);
    assert.equal(h.title, 'histogram 1');
  });

  test('a histogram is drawn when complete: not while its rows are still arriving, but at the end of the output', () => {
    const model = new OutputModel();
    const text = `latency:\n${header(5)}\n${row('', 1, 3, 5)}\n${row('', 2, 5, 5)}\n`;
    model.write(text.slice(0, -20));
    assert.deepEqual(model.snapshot().histograms, []);
    model.write(text.slice(-20));
    assert.deepEqual(model.snapshot().histograms, []);
    model.end();
    assert.deepEqual(model.snapshot().histograms[0].counts, [3, 5]);
  });

  test('several untitled histograms printed together are told apart; text between titled ones is not a histogram', () => {
    const text = ['Tracing...', header(5), row('', 1, 1, 5), '', header(5), row('', 8, 2, 5), '', 'done', ''].join('\n');
    const { histograms } = read(text);
    assert.deepEqual(
      histograms.map((h) => [h.title, h.labels]),
      [
        ['Tracing...', ['1']],
        ['histogram 1', ['8']],
      ],
    );
  });

  test('a header followed by garbage, rows without a header, a lone ~: nothing drawn, nothing thrown', () => {
    const text = [header(5), 'garbage', row('', 4, 1, 5), '             ~', `value |--- count`, '\u0000\u0001\u00ff', ''].join('\n');
    assert.deepEqual(read(text).histograms, []);
  });
});

describe('periodic lines', () => {
  test('lines that differ only in their numbers are a series, each field named and sampled', () => {
    const lines = [];
    for (let i = 0; i < 5; i++) lines.push(`${i * 10} reads ${i} writes`, `cpu0: ${i}%`, `cpu1: ${50 - i}%`, 'a line of text');
    const { series } = read(lines.join('\n') + '\n');
    assert.deepEqual(
      series.map((s) => [s.title, s.fields, s.x, s.columns]),
      [
        [
          '# reads # writes',
          ['reads', 'writes'],
          [1, 2, 3, 4, 5],
          [
            [0, 10, 20, 30, 40],
            [0, 1, 2, 3, 4],
          ],
        ],
        ['cpu0: #%', ['cpu0'], [1, 2, 3, 4, 5], [[0, 1, 2, 3, 4]]],
        ['cpu1: #%', ['cpu1'], [1, 2, 3, 4, 5], [[50, 49, 48, 47, 46]]],
      ],
    );
  });

  test('a line seen once is not a series; a series keeps its latest samples', () => {
    assert.deepEqual(read('12 reads 3 writes\n').series, []);
    const many = Array.from({ length: MAX_SAMPLES * 2 }, (_, i) => `tick ${i}`).join('\n');
    const [s] = read(many).series;
    assert.ok(s.x.length <= MAX_SAMPLES * 1.1 && s.x.length >= MAX_SAMPLES);
    assert.equal(s.columns[0].at(-1), MAX_SAMPLES * 2 - 1);
  });

  test('the user pattern takes the lines it matches, with its own field names', () => {
    const text = 'io 1/2\nio 3/4\nio 5/6\n';
    assert.equal(read(text).series[0].title, 'io #/#');
    const pattern = compileUserPattern('io (?<read>\\d+)/(?<written>\\d+)') as UserPattern;
    const { series } = read(text, text.length, pattern);
    assert.deepEqual(
      series.map((s) => [s.source, s.fields, s.columns]),
      [
        [
          'pattern',
          ['read', 'written'],
          [
            [1, 3, 5],
            [2, 4, 6],
          ],
        ],
      ],
    );
  });

  test('garbage: random bytes, endless lines, lone carriage returns', () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 16;
    const bytes = Array.from({ length: 200_000 }, () => String.fromCharCode(random() % 256)).join('');
    for (const chunk of [1, 97, 4096]) {
      const snapshot = read(bytes.slice(0, chunk === 1 ? 5000 : undefined), chunk);
      assert.ok(Array.isArray(snapshot.histograms) && Array.isArray(snapshot.series));
    }
    assert.deepEqual(read('x'.repeat(300_000)).series, []);
    assert.deepEqual(read('1 a\r\n2 a\r\n').series[0].columns, [[1, 2]]);
  });
});

describe('tabular reports in real captures', () => {
  test('iostat-scsi: one header, blocks separated by blank lines: a series for the row sda', () => {
    const { series } = read(capture('iostat-scsi.txt'));
    assert.equal(series.length, 1);
    const [sda] = series;
    assert.equal(sda.source, 'table');
    assert.deepEqual(sda.fields, ['tps', 'blk_read/s', 'blk_wrtn/s', 'blk_read', 'blk_wrtn']);
    assert.deepEqual(sda.x, [1, 2, 3, 4, 5]);
    assert.deepEqual(sda.columns[0], [1.3, 0.3, 21.3, 30.4, 38.1]);
    assert.deepEqual(sda.columns[4], [1056, 40, 4288, 116, 536]);
  });

  test('nettop: the header printed again opens the next block; rows are keyed by their words', () => {
    const { series } = read(capture('nettop.txt'));
    const xvnc = series.find((s) => s.title.startsWith('eth0 Xvnc'))!;
    assert.deepEqual(xvnc.x, [1, 2]);
    assert.deepEqual(xvnc.columns[xvnc.fields.indexOf('XMIT_PK')], [214, 32]);
    // In the first report only: no series of one sample.
    const wcstatusd = series.find((s) => s.title.startsWith('eth0 wcstatusd'));
    assert.equal(wcstatusd, undefined);
    assert.ok(series.every((s) => s.source === 'table'));
  });
});
