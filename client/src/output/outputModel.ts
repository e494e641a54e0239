// What a run's output holds worth drawing, kept up to date chunk by chunk:
// the histograms stap printed (the latest printout of each) and the series of
// periodic lines, tabular reports and the user's pattern. Chunks may split
// lines anywhere; nothing here throws on bad input. Pure: no VS Code here.

import { HistogramLine, bucketLabel, histogramKind, isHistogramHeader, parseHistogramLine } from './histogramText';
import { fieldNames, lineShape, shapeKey, shapeText } from './lineShape';
import { Cell, headerCells, isRuleLine, startsTable, tableRow } from './tableText';
import { UserPattern, matchUserPattern } from './userPattern';
import type { HistogramData, OutputSnapshot, SeriesData } from './viewMessages';

/** The samples a series keeps: the latest ones. */
export const MAX_SAMPLES = 5000;
/** Shapes seen once are remembered up to this many; beyond it, new shapes are not followed. */
const MAX_SHAPES = 5000;
/** How many series and histograms are shown at most. */
const MAX_SHOWN = 200;
/** A line longer than this is cut there (output without line breaks must not grow a buffer forever). */
const MAX_LINE = 64 * 1024;
/** Longer lines are not read for numbers. */
const MAX_PARSED_LINE = 4096;

interface OpenHistogram {
  title: string;
  lines: HistogramLine[];
}

interface Series {
  key: string;
  title: string;
  source: SeriesData['source'];
  fields: string[];
  x: number[];
  /** One column of values per field. */
  columns: (number | null)[][];
}

interface Table {
  header: Cell[];
  name: string;
  blocks: number;
  rows: Map<string, Series>;
}

export class OutputModel {
  private partial = '';
  private histograms = new Map<string, HistogramData>();
  private open: OpenHistogram | undefined;
  /** The last line of text before a histogram, its title (stap's scripts print one). */
  private titleCandidate: { text: string; blanks: number } | undefined;
  /** The line-shape sample taken from the title candidate, withdrawn if it turns out to be a title. */
  private lastShapeSample: Series | undefined;
  /** Untitled histograms since the last line of text. */
  private untitledInRun = 0;
  private shapes = new Map<string, Series>();
  private tables = new Map<string, Table>();
  private table: Table | undefined;
  /** The table whose block a blank line just closed: rows under its header open its next block. */
  private lastTable: Table | undefined;
  private pendingHeader: { cells: Cell[]; text: string } | undefined;
  private patternSeries: Series | undefined;
  private changed = false;

  constructor(private readonly pattern?: UserPattern) {
    if (pattern) this.patternSeries = newSeries('pattern', `/${pattern.source}/`, 'pattern', pattern.fields);
  }

  /** Adds a chunk of output; complete lines are read now, the rest waits for the next chunk. */
  write(chunk: string): void {
    let text = this.partial + chunk;
    let newline = text.indexOf('\n');
    let start = 0;
    while (newline >= 0) {
      this.line(text.slice(start, newline));
      start = newline + 1;
      newline = text.indexOf('\n', start);
    }
    text = text.slice(start);
    while (text.length > MAX_LINE) {
      this.line(text.slice(0, MAX_LINE));
      text = text.slice(MAX_LINE);
    }
    this.partial = text;
  }

  /** The output ended: the last line (without its line break) and a histogram still open count too. */
  end(): void {
    if (this.partial !== '') this.line(this.partial);
    this.partial = '';
    this.closeHistogram();
  }

  /** Whether anything drawable changed since the last call. */
  takeChanged(): boolean {
    const changed = this.changed;
    this.changed = false;
    return changed;
  }

  snapshot(): OutputSnapshot {
    const series: SeriesData[] = [];
    const add = (s: Series) => {
      if (series.length < MAX_SHOWN && s.x.length >= 2) series.push({ key: s.key, title: s.title, source: s.source, fields: s.fields, x: s.x, columns: s.columns });
    };
    if (this.patternSeries && this.patternSeries.x.length > 0) series.push({ ...this.patternSeries });
    for (const s of this.shapes.values()) add(s);
    for (const t of this.tables.values()) if (t.blocks >= 2) for (const s of t.rows.values()) add(s);
    return { histograms: [...this.histograms.values()].slice(0, MAX_SHOWN), series };
  }

  private line(raw: string): void {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.open) {
      const row = parseHistogramLine(line);
      if (row) {
        this.open.lines.push(row);
        return;
      }
      this.closeHistogram();
    }
    if (isHistogramHeader(line)) {
      this.openHistogram();
      return;
    }
    if (line.trim() === '') {
      if (this.titleCandidate) this.titleCandidate.blanks++;
      if (this.table) this.lastTable = this.table;
      this.table = undefined;
      return;
    }
    this.titleCandidate = { text: line.trim(), blanks: 0 };
    this.lastShapeSample = undefined;
    this.untitledInRun = 0;
    if (line.length > MAX_PARSED_LINE) return;
    if (this.pattern && this.patternSeries) {
      const values = matchUserPattern(this.pattern, line);
      if (values) {
        addSample(this.patternSeries, this.patternSeries.x.length + 1, values);
        this.changed = true;
        return;
      }
    }
    if (this.tableLine(line)) return;
    this.shapeLine(line);
  }

  private openHistogram(): void {
    // The line just before (or one blank line above) names it; it was not a sample.
    const title = this.titleCandidate && this.titleCandidate.blanks <= 1 ? this.titleCandidate.text : '';
    if (title && this.lastShapeSample) removeLastSample(this.lastShapeSample);
    this.lastShapeSample = undefined;
    this.titleCandidate = undefined;
    this.pendingHeader = undefined;
    this.table = undefined;
    this.lastTable = undefined;
    this.open = { title, lines: [] };
  }

  private closeHistogram(): void {
    const open = this.open;
    this.open = undefined;
    if (!open || !open.lines.some((l) => l.kind === 'row')) return;
    // stap reprints a histogram each period: the same title again is the same
    // histogram. Untitled ones are told apart by their place in a run of
    // histograms printed one after another.
    const n = open.title ? 1 : ++this.untitledInRun;
    const key = open.title ? `title:${open.title}` : `untitled:${n}`;
    const previous = this.histograms.get(key);
    const rows = open.lines;
    this.histograms.set(key, {
      key,
      title: open.title || `histogram ${n}`,
      kind: histogramKind(rows),
      labels: rows.map(bucketLabel),
      counts: rows.map((r) => (r.kind === 'row' ? r.count : null)),
      printouts: (previous?.printouts ?? 0) + 1,
    });
    this.changed = true;
  }

  /** Reads the line as part of a table; false when it is not one. */
  private tableLine(line: string): boolean {
    if (this.table) {
      const row = tableRow(this.table.header, line);
      // A label twice in one block: not a report of rows after all, but lines of one shape.
      if (row && this.table.rows.get(row.label)?.x.at(-1) !== this.table.blocks) {
        this.addRow(this.table, row.label, row.fields, row.values);
        return true;
      }
      this.table = undefined;
    }
    const header = headerCells(line);
    if (header) {
      const known = this.tables.get(line.trim());
      if (known) {
        known.blocks++;
        this.table = known;
        this.pendingHeader = undefined;
      } else {
        this.pendingHeader = { cells: header, text: line.trim() };
      }
      this.lastTable = undefined;
      return true;
    }
    if (isRuleLine(line)) return true;
    if (this.pendingHeader) {
      const row = startsTable(this.pendingHeader.cells, line) ? tableRow(this.pendingHeader.cells, line) : undefined;
      const pending = this.pendingHeader;
      this.pendingHeader = undefined;
      if (row) {
        const table: Table = { header: pending.cells, name: pending.text, blocks: 1, rows: new Map() };
        this.tables.set(pending.text, table);
        this.table = table;
        this.addRow(table, row.label, row.fields, row.values);
        return true;
      }
    }
    if (this.lastTable) {
      const row = tableRow(this.lastTable.header, line);
      const last = this.lastTable;
      this.lastTable = undefined;
      if (row) {
        last.blocks++;
        this.table = last;
        this.addRow(last, row.label, row.fields, row.values);
        return true;
      }
    }
    return false;
  }

  private addRow(table: Table, label: string, fields: string[], values: number[]): void {
    let series = table.rows.get(label);
    if (!series) {
      if (table.rows.size >= MAX_SHOWN) return;
      series = newSeries(`table:${table.name}:${label}`, `${label} (${collapse(table.name)})`, 'table', fields);
      table.rows.set(label, series);
    }
    addSample(series, table.blocks, alignValues(series.fields, fields, values));
    if (table.blocks >= 2) this.changed = true;
  }

  private shapeLine(line: string): void {
    const shape = lineShape(line);
    if (!shape) return;
    const key = shapeKey(shape);
    let series = this.shapes.get(key);
    if (!series) {
      if (this.shapes.size >= MAX_SHAPES) return;
      series = newSeries(`lines:${key}`, shapeText(shape), 'lines', fieldNames(shape.parts));
      this.shapes.set(key, series);
    }
    addSample(series, series.x.length === 0 ? 1 : series.x[series.x.length - 1] + 1, shape.values);
    this.lastShapeSample = series;
    if (series.x.length >= 2) this.changed = true;
  }
}

function newSeries(key: string, title: string, source: SeriesData['source'], fields: string[]): Series {
  return { key, title, source, fields, x: [], columns: fields.map(() => []) };
}

function addSample(series: Series, x: number, values: readonly (number | null)[]): void {
  series.x.push(x);
  series.columns.forEach((column, i) => column.push(values[i] ?? null));
  // Drop the oldest in batches, not one by one.
  if (series.x.length > MAX_SAMPLES + MAX_SAMPLES / 10) {
    const drop = series.x.length - MAX_SAMPLES;
    series.x.splice(0, drop);
    for (const column of series.columns) column.splice(0, drop);
  }
}

function removeLastSample(series: Series): void {
  series.x.pop();
  for (const column of series.columns) column.pop();
}

/** A row's values in the order of the series' fields (a later row may have fewer numbers). */
function alignValues(seriesFields: readonly string[], fields: readonly string[], values: readonly number[]): (number | null)[] {
  return seriesFields.map((f) => {
    const i = fields.indexOf(f);
    return i >= 0 ? values[i] : null;
  });
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ');
}
