// The output view's parsers, line by line: stap's histogram rows (the layout
// of runtime/stat-common.c), the shapes of periodic lines and their field
// names, tabular report rows, the user's pattern, and the CSV the view saves.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bucketLabel, histogramKind, isHistogramHeader, parseHistogramLine } from '../../client/src/output/histogramText';
import { fieldNames, lineShape, shapeKey, shapeText } from '../../client/src/output/lineShape';
import { cells, headerCells, tableRow } from '../../client/src/output/tableText';
import { compileUserPattern, matchUserPattern, UserPattern } from '../../client/src/output/userPattern';
import { fileStem, histogramCsv, seriesCsv } from '../../client/src/output/viewMessages';

describe('histogram lines', () => {
  test('the header, with the default 50 dashes and with another HIST_WIDTH', () => {
    assert.ok(isHistogramHeader(`value |${'-'.repeat(50)} count`));
    assert.ok(isHistogramHeader(`       value |${'-'.repeat(50)} count`));
    assert.ok(isHistogramHeader(`value |${'-'.repeat(20)} count`));
    assert.ok(!isHistogramHeader('value | count'));
    assert.ok(!isHistogramHeader(`value |${'-'.repeat(50)}`));
    assert.ok(!isHistogramHeader(`values |${'-'.repeat(50)} count`));
  });

  test("rows: value, bar, count; negative values; a linear histogram's < and > rows; the ~ of elided rows", () => {
    assert.deepEqual(parseHistogramLine('    8 |@                                                   1'), { kind: 'row', value: 8, count: 1 });
    assert.deepEqual(parseHistogramLine('-8589934592 |                                                     1'), { kind: 'row', value: -8589934592, count: 1 });
    assert.deepEqual(parseHistogramLine('    0 |@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@  246'), { kind: 'row', value: 0, count: 246 });
    assert.deepEqual(parseHistogramLine('   <0 |@@                                                2'), { kind: 'row', value: 0, bound: '<', count: 2 });
    assert.deepEqual(parseHistogramLine(' >100 |@@@                                               3'), { kind: 'row', value: 100, bound: '>', count: 3 });
    assert.deepEqual(parseHistogramLine('             ~'), { kind: 'elision' });
    for (const garbage of ['', '~', 'value 3', '  12 | x 3', '12 |@@@', 'abc |@ 1', '  8 |@ 1 2']) assert.equal(parseHistogramLine(garbage), undefined, garbage);
  });

  test('log or linear, from the values', () => {
    const rows = (values: number[]) => values.map((value) => ({ kind: 'row' as const, value, count: 1 }));
    assert.equal(histogramKind(rows([-4, -2, -1, 0, 1, 2, 4, 8])), 'log');
    assert.equal(histogramKind(rows([0, 10, 20, 30])), 'linear');
    assert.equal(histogramKind([{ kind: 'row', value: 0, bound: '<', count: 1 }, ...rows([0, 1, 2])]), 'linear');
    assert.equal(bucketLabel({ kind: 'row', value: 100, bound: '>', count: 1 }), '>100');
    assert.equal(bucketLabel({ kind: 'elision' }), '~');
  });
});

describe('line shapes', () => {
  test('numbers are holes; digits of words, hexadecimal addresses and dotted versions are text', () => {
    assert.deepEqual(lineShape('12 reads 3 writes'), { parts: ['', ' reads ', ' writes'], values: [12, 3] });
    assert.deepEqual(lineShape('cpu0: 12%'), { parts: ['cpu0: ', '%'], values: [12] });
    assert.deepEqual(lineShape('eth1 rcuos/0 kworker-3 sda2 lock 0x0a117340'), undefined);
    assert.deepEqual(lineShape('io 1/2 10-20'), { parts: ['io ', '/', ' ', '-', ''], values: [1, 2, 10, 20] });
    assert.deepEqual(lineShape('delta=-5 avg:1.25ms'), { parts: ['delta=', ' avg:', 'ms'], values: [-5, 1.25] });
    assert.deepEqual(lineShape('no numbers here'), undefined);
  });

  test('lines that differ only in their numbers (and the padding between columns) have one key', () => {
    const a = lineShape('  12 reads     3 writes')!;
    const b = lineShape('1234 reads 30000 writes')!;
    assert.equal(shapeKey(a), shapeKey(b));
    assert.notEqual(shapeKey(a), shapeKey(lineShape('12 reads 3 opens')!));
    assert.equal(shapeText(b), '# reads # writes');
  });

  test('fields are named from the words around them', () => {
    const names = (line: string) => fieldNames(lineShape(line)!.parts);
    assert.deepEqual(names('12 reads 3 writes'), ['reads', 'writes']);
    assert.deepEqual(names('cpu0: 12%'), ['cpu0']);
    assert.deepEqual(names('OUT intervals min:1000199us avg:1000199us max:1000199us count:1'), ['min', 'avg', 'max', 'count']);
    assert.deepEqual(names('reads=3 writes=4'), ['reads', 'writes']);
    assert.deepEqual(names('java_vm[8155] contended 9 times, 1004013 avg us'), ['java_vm', 'times', 'avg']);
    assert.deepEqual(names('# ls(4261): ->close'), ['ls']);
    assert.deepEqual(names('1 2 3'), ['field 1', 'field 2', 'field 3']);
    assert.deepEqual(names('x: 1 x: 2'), ['x', 'x 2']);
  });
});

describe('tabular reports', () => {
  const header = headerCells('  PID   UID DEV     XMIT_PK RECV_PK XMIT_KB RECV_KB COMMAND')!;

  test('a header is two or more names, no numbers', () => {
    assert.ok(header);
    assert.equal(headerCells('Tracing 5 things'), undefined);
    assert.equal(headerCells('single'), undefined);
    assert.equal(headerCells('--- ----'), undefined);
    assert.deepEqual(cells('\tA\tB'), [
      { text: 'A', start: 8, end: 9 },
      { text: 'B', start: 16, end: 17 },
    ]);
  });

  test('a row: its numbers under column names, its words its label', () => {
    assert.deepEqual(tableRow(header, ' 2469     0 eth0        214      39     167       1 Xvnc'), {
      label: 'eth0 Xvnc',
      fields: ['PID', 'UID', 'XMIT_PK', 'RECV_PK', 'XMIT_KB', 'RECV_KB'],
      values: [2469, 0, 214, 39, 167, 1],
    });
  });

  test('numbers not under the columns, or two under one, are not a row', () => {
    assert.equal(headerCells('Tracing block I/O... Hit Ctrl-C to end.'), undefined);
    const tracing = headerCells('a line of text')!;
    assert.equal(tableRow(tracing, '10 reads 1 writes'), undefined);
    assert.equal(tableRow(header, '1 2'), undefined);
    assert.equal(tableRow(header, 'just words here'), undefined);
  });
});

describe('user pattern', () => {
  test('named groups name the fields; numbered groups are group N; what is not a number is null', () => {
    const named = compileUserPattern('(?<reads>\\d+) r/(?<writes>\\w+) w') as UserPattern;
    assert.deepEqual(named.fields, ['reads', 'writes']);
    assert.deepEqual(matchUserPattern(named, 'io: 12 r/7 w'), [12, 7]);
    assert.deepEqual(matchUserPattern(named, 'io: 12 r/x w'), [12, null]);
    assert.equal(matchUserPattern(named, 'nothing'), undefined);
    const numbered = compileUserPattern('t=(\\d+(?:\\.\\d+)?) n=(\\d+)') as UserPattern;
    assert.deepEqual(numbered.fields, ['group 1', 'group 2']);
    assert.deepEqual(matchUserPattern(numbered, 't=1.5 n=3'), [1.5, 3]);
  });

  test('a broken pattern, an empty one, one without groups: a message, not an exception', () => {
    assert.match(compileUserPattern('(') as string, /Not a regular expression/);
    assert.match(compileUserPattern('') as string, /empty/);
    assert.match(compileUserPattern('\\d+') as string, /group/);
  });
});

test('CSV of a histogram (elisions left out) and of a series (gaps empty); file names from titles', () => {
  assert.equal(histogramCsv({ key: 'k', title: 't', kind: 'log', labels: ['0', '1', '~', '8'], counts: [1, 2, null, 3], printouts: 1 }), 'value,count\n0,1\n1,2\n8,3\n');
  assert.equal(
    seriesCsv({
      key: 'k',
      title: 't',
      source: 'lines',
      fields: ['reads', 'a,b'],
      x: [1, 2],
      columns: [
        [1, 2],
        [null, 4],
      ],
    }),
    'sample,reads,"a,b"\n1,1,\n2,2,4\n',
  );
  assert.equal(fileStem('pid:442 prio:100'), 'pid-442-prio-100');
  assert.equal(fileStem('///'), 'chart');
});
