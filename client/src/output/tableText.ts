// Tabular reports: a header line of column names, then rows whose numbers
// stand under those names (right- or left-aligned, as printf's `%8d` and
// `%-8d` put them). Each row is keyed by its text cells (`eth0 Xvnc`), each
// number named by the header word above it. Pure: no VS Code here.

import { lineShape } from './lineShape';

export interface Cell {
  text: string;
  start: number;
  end: number;
}

export interface TableRow {
  /** The row's text cells, joined: what identifies it from block to block. */
  label: string;
  fields: string[];
  values: number[];
}

const NUMERIC_CELL = /^-?\d+(?:\.\d+)?%?$/;

/** The line's cells (runs of non-blanks) with their columns, tabs at every 8th. */
export function cells(line: string): Cell[] {
  const expanded = line.includes('\t') ? expandTabs(line) : line;
  const result: Cell[] = [];
  for (const m of expanded.matchAll(/\S+/g)) result.push({ text: m[0], start: m.index, end: m.index + m[0].length });
  return result;
}

function expandTabs(line: string): string {
  let out = '';
  for (const ch of line) out += ch === '\t' ? ' '.repeat(8 - (out.length % 8)) : ch;
  return out;
}

/** Column names: two or more cells, no number among them (`CPU0` is a name), some letters, not a sentence. */
export function headerCells(line: string): Cell[] | undefined {
  if (line.length > 1000) return undefined;
  const found = cells(line);
  if (found.length < 2) return undefined;
  if (lineShape(line)) return undefined;
  if (!/[A-Za-z]/.test(line)) return undefined;
  // A sentence (`Tracing block I/O... Hit Ctrl-C to end.`) is not a header.
  if (/[.!?]$/.test(line.trimEnd())) return undefined;
  return found;
}

/** A rule under a header (`---  -----`, `=====`): no letters, no digits. */
export function isRuleLine(line: string): boolean {
  return /^[\s\-=_+|*]+$/.test(line) && /[-=_]/.test(line);
}

/**
 * The line as a row of the table under `header`, or undefined when it is not
 * one: every number must stand under a column name of its own (overlapping
 * it), and there must be a number.
 */
export function tableRow(header: readonly Cell[], line: string): TableRow | undefined {
  if (line.length > 1000) return undefined;
  const found = cells(line);
  if (found.length < 2) return undefined;
  const labels: string[] = [];
  const fields: string[] = [];
  const values: number[] = [];
  const used = new Set<Cell>();
  for (const cell of found) {
    if (!NUMERIC_CELL.test(cell.text)) {
      labels.push(cell.text);
      continue;
    }
    const column = columnOf(header, cell);
    if (!column || used.has(column)) return undefined;
    used.add(column);
    fields.push(column.text);
    values.push(Number(cell.text.replace('%', '')));
  }
  if (values.length === 0) return undefined;
  // All numbers: the first one names the row (a PID, a CPU).
  if (labels.length === 0) {
    if (values.length < 2) return undefined;
    labels.push(found[0].text);
    fields.shift();
    values.shift();
  }
  return { label: labels.join(' '), fields: uniqueNames(fields), values };
}

/** The header cell above a cell: the one it overlaps most. */
function columnOf(header: readonly Cell[], cell: Cell): Cell | undefined {
  let best: Cell | undefined;
  let bestOverlap = 0;
  for (const h of header) {
    const overlap = Math.min(h.end, cell.end) - Math.max(h.start, cell.start);
    if (overlap > bestOverlap) {
      best = h;
      bestOverlap = overlap;
    }
  }
  return best;
}

/** Whether a first row fits a header well enough to start a table: about as many cells. */
export function startsTable(header: readonly Cell[], line: string): boolean {
  return Math.abs(cells(line).length - header.length) <= 2;
}

function uniqueNames(names: string[]): string[] {
  const seen = new Map<string, number>();
  return names.map((n) => {
    const k = (seen.get(n) ?? 0) + 1;
    seen.set(n, k);
    return k > 1 ? `${n} ${k}` : n;
  });
}
