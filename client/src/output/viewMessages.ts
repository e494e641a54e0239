// What the extension and the output view's webview say to each other, and
// the data they share. Imported by both sides: types and pure functions only.

export interface HistogramData {
  key: string;
  title: string;
  kind: 'log' | 'linear';
  /** One per printed row; `~` where stap elided empty rows. */
  labels: string[];
  /** null at an elision. */
  counts: (number | null)[];
  /** How many times stap printed it (the view shows the latest). */
  printouts: number;
}

export interface SeriesData {
  key: string;
  title: string;
  /** lines: lines of one shape; table: a row of a tabular report; pattern: the user's regex. */
  source: 'lines' | 'table' | 'pattern';
  fields: string[];
  /** The sample's number: the n-th line of the shape, the n-th block of the table. */
  x: number[];
  /** One column per field, as long as x; null where a sample lacks the field. */
  columns: (number | null)[][];
}

export interface OutputSnapshot {
  histograms: HistogramData[];
  series: SeriesData[];
}

/** Extension → view. */
export type ToView = { type: 'snapshot'; snapshot: OutputSnapshot; status: string } | { type: 'pattern'; source: string; error?: string };

/** View → extension. */
export type FromView = { type: 'ready' } | { type: 'pattern'; source: string } | { type: 'saveCsv'; name: string; csv: string } | { type: 'savePng'; name: string; dataUrl: string };

/** A histogram as CSV: value,count (elisions left out). */
export function histogramCsv(h: HistogramData): string {
  const lines = ['value,count'];
  h.labels.forEach((label, i) => {
    const count = h.counts[i];
    if (count !== null) lines.push(`${csvCell(label)},${count}`);
  });
  return lines.join('\n') + '\n';
}

/** A series as CSV: sample, then one column per field. */
export function seriesCsv(s: SeriesData): string {
  const lines = [['sample', ...s.fields].map(csvCell).join(',')];
  s.x.forEach((x, i) => lines.push([String(x), ...s.columns.map((c) => (c[i] === null || c[i] === undefined ? '' : String(c[i])))].join(',')));
  return lines.join('\n') + '\n';
}

function csvCell(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A file name from a chart's title: letters, digits, dashes. */
export function fileStem(title: string): string {
  const stem = title
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return stem || 'chart';
}
