// The lines of a histogram as stap's runtime prints it (`@hist_log`,
// `@hist_linear`; runtime/stat-common.c, _stp_stat_print_histogram_buf):
//
//   value |-------------------------------------------------- count
//       0 |                                                    0
//       1 |@@@@                                                4
//         ~
//    1024 |@                                                   1
//
// The header's dashes are HIST_WIDTH long (50 unless the script was built with
// -DHIST_WIDTH=N); `~` stands for the zero rows stap elided; a linear
// histogram's underflow and overflow rows carry `<` and `>` before the value.
// The printout ends with an empty line. Pure: no VS Code here.

/** One printed row: the bucket's value (its lower bound) and its count. */
export interface HistogramRow {
  kind: 'row';
  value: number;
  /** `<` for a linear histogram's underflow bucket, `>` for its overflow one. */
  bound?: '<' | '>';
  count: number;
}

/** Where stap left out a run of empty buckets. */
export interface HistogramElision {
  kind: 'elision';
}

export type HistogramLine = HistogramRow | HistogramElision;

const HEADER = /^ *value \|-+ count\s*$/;
const ROW = /^ *([<>]?)(-?\d+) \|@* *(\d+)\s*$/;
const ELISION = /^ +~\s*$/;

export function isHistogramHeader(line: string): boolean {
  return HEADER.test(line);
}

/** A row or an elision mark; undefined for any other line. */
export function parseHistogramLine(line: string): HistogramLine | undefined {
  if (ELISION.test(line)) return { kind: 'elision' };
  const m = ROW.exec(line);
  if (!m) return undefined;
  const value = Number(m[2]);
  const count = Number(m[3]);
  if (!Number.isFinite(value) || !Number.isFinite(count)) return undefined;
  const row: HistogramRow = { kind: 'row', value, count };
  if (m[1] === '<' || m[1] === '>') row.bound = m[1];
  return row;
}

/**
 * log: the values are 0 and powers of two (and their negatives), each row
 * the next bucket; linear: a constant step, or an underflow/overflow row.
 * A few rows can be both (0, 1, 2): then log, stap's more common kind.
 */
export function histogramKind(lines: readonly HistogramLine[]): 'log' | 'linear' {
  const rows = lines.filter((l): l is HistogramRow => l.kind === 'row');
  if (rows.some((r) => r.bound)) return 'linear';
  const isLogValue = (v: number) => v === 0 || isPowerOfTwo(Math.abs(v));
  if (rows.every((r) => isLogValue(r.value))) return 'log';
  return 'linear';
}

function isPowerOfTwo(v: number): boolean {
  if (v < 1 || !Number.isFinite(v)) return false;
  while (v > 1) {
    if (v % 2 !== 0) return false;
    v /= 2;
  }
  return true;
}

/** The text of a row's bucket, as the chart labels it: `<0`, `1024`, `>100`. */
export function bucketLabel(line: HistogramLine): string {
  if (line.kind === 'elision') return '~';
  return `${line.bound ?? ''}${line.value}`;
}
