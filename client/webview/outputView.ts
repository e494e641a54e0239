// The output view's page: bar charts of the histograms, line charts of the
// series with a field picker, CSV and PNG export. Bundled with chart.js into
// dist/outputView.js (a browser script: no network, no CDN). Colours come from
// VS Code's theme variables and are read again when the theme changes.

import { BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip } from 'chart.js';
import type { ChartConfiguration, Plugin } from 'chart.js';
import { FromView, HistogramData, OutputSnapshot, SeriesData, ToView, fileStem, histogramCsv, seriesCsv } from '../src/output/viewMessages';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, LineController, LineElement, PointElement, Tooltip, Legend);

interface VsCodeApi {
  postMessage(message: FromView): void;
  getState(): unknown;
  setState(state: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();

interface Drawn {
  box: HTMLElement;
  chart: Chart;
  /** What the CSV and the file names are made of: the latest data. */
  data: HistogramData | SeriesData;
}

interface ViewState {
  /** Per series, the fields the user picked (absent: the default pick). */
  picked: Record<string, string[]>;
}

const state: ViewState = { picked: {}, ...((vscode.getState() as ViewState | undefined) ?? {}) };
const drawn = new Map<string, Drawn>();
let theme = readTheme();

interface Theme {
  foreground: string;
  muted: string;
  grid: string;
  background: string;
  palette: string[];
}

function readTheme(): Theme {
  const style = getComputedStyle(document.body);
  const get = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const foreground = get('--vscode-foreground', '#cccccc');
  return {
    foreground,
    muted: get('--vscode-descriptionForeground', foreground),
    grid: get('--vscode-editorWidget-border', get('--vscode-panel-border', 'rgba(128,128,128,0.3)')),
    background: get('--vscode-editor-background', '#1e1e1e'),
    palette: ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'].map((n, i) =>
      get(n, ['#3794ff', '#d18616', '#89d185', '#b180d7', '#f14c4c', '#cca700'][i]),
    ),
  };
}

/** Paints the editor's background under the chart, so that a PNG export is not transparent. */
const background: Plugin = {
  id: 'themeBackground',
  beforeDraw(chart) {
    const ctx = chart.ctx;
    ctx.save();
    ctx.fillStyle = theme.background;
    ctx.fillRect(0, 0, chart.width, chart.height);
    ctx.restore();
  },
};

function scaleOptions(title: string) {
  return {
    ticks: { color: theme.muted },
    grid: { color: theme.grid },
    title: { display: title !== '', text: title, color: theme.muted },
  };
}

function chartOptions(xTitle: string, yTitle: string, legend: boolean): ChartConfiguration['options'] {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    color: theme.foreground,
    scales: { x: scaleOptions(xTitle), y: { ...scaleOptions(yTitle), beginAtZero: true } },
    plugins: { legend: { display: legend, labels: { color: theme.foreground } }, tooltip: { enabled: true } },
  };
}

function section(id: 'histograms' | 'series'): HTMLElement {
  return document.getElementById(id)!;
}

/** A chart's box: the title line with its export buttons, the picker (series only), the canvas. */
function makeBox(key: string, kind: 'histogram' | 'series'): { box: HTMLElement; canvas: HTMLCanvasElement } {
  const box = document.createElement('div');
  box.className = `chart ${kind}`;
  box.dataset.key = key;
  const heading = document.createElement('h3');
  const title = document.createElement('span');
  title.className = 'title';
  const note = document.createElement('span');
  note.className = 'note';
  const csv = document.createElement('button');
  csv.className = 'secondary';
  csv.textContent = 'CSV';
  csv.title = 'Save the data as CSV';
  csv.addEventListener('click', () => exportCsv(key));
  const png = document.createElement('button');
  png.className = 'secondary';
  png.textContent = 'PNG';
  png.title = 'Save the chart as a PNG image';
  png.addEventListener('click', () => exportPng(key));
  heading.append(title, note, csv, png);
  box.append(heading);
  if (kind === 'series') {
    const fields = document.createElement('div');
    fields.className = 'fields';
    box.append(fields);
  }
  const canvasBox = document.createElement('div');
  canvasBox.className = 'canvas-box';
  const canvas = document.createElement('canvas');
  canvasBox.append(canvas);
  box.append(canvasBox);
  return { box, canvas };
}

function setHeading(box: HTMLElement, title: string, note: string): void {
  box.querySelector('.title')!.textContent = title;
  box.querySelector('.note')!.textContent = note;
}

function drawHistogram(h: HistogramData, order: number): void {
  let entry = drawn.get(h.key);
  const data = h.counts.map((c) => c ?? 0);
  if (!entry) {
    const { box, canvas } = makeBox(h.key, 'histogram');
    const chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: h.labels, datasets: [{ label: 'count', data, backgroundColor: theme.palette[0], borderColor: theme.palette[0] }] },
      options: chartOptions(h.kind === 'log' ? 'value (log₂ buckets)' : 'value', 'count', false),
      plugins: [background],
    });
    entry = { box, chart, data: h };
    drawn.set(h.key, entry);
  } else {
    entry.chart.data.labels = h.labels;
    entry.chart.data.datasets[0].data = data;
    entry.data = h;
    entry.chart.update();
  }
  placeAt(section('histograms'), entry.box, order);
  const elided = h.counts.includes(null) ? ' · ~ empty rows left out' : '';
  setHeading(entry.box, h.title, `${h.kind === 'log' ? '@hist_log' : '@hist_linear'}${elided} · printed ${h.printouts}×`);
}

function pickedFields(s: SeriesData): string[] {
  const picked = state.picked[s.key];
  if (picked) return s.fields.filter((f) => picked.includes(f));
  // By default, the fields that change, at most four.
  const moving = s.fields.filter((_, i) => new Set(s.columns[i]).size > 1);
  return (moving.length > 0 ? moving : s.fields).slice(0, 4);
}

function seriesDatasets(s: SeriesData) {
  const picked = pickedFields(s);
  return picked.map((field) => {
    const i = s.fields.indexOf(field);
    const color = theme.palette[i % theme.palette.length];
    return { label: field, data: s.columns[i], borderColor: color, backgroundColor: color, pointRadius: s.x.length > 60 ? 0 : 2, spanGaps: true };
  });
}

function drawSeries(s: SeriesData, order: number): void {
  let entry = drawn.get(s.key);
  if (!entry) {
    const { box, canvas } = makeBox(s.key, 'series');
    const chart = new Chart(canvas, {
      type: 'line',
      data: { labels: s.x, datasets: seriesDatasets(s) },
      options: chartOptions(s.source === 'table' ? 'report' : 'sample', '', true),
      plugins: [background],
    });
    entry = { box, chart, data: s };
    drawn.set(s.key, entry);
  } else {
    entry.data = s;
    entry.chart.data.labels = s.x;
    entry.chart.data.datasets = seriesDatasets(s);
    entry.chart.update();
  }
  placeAt(section('series'), entry.box, order);
  const kind = s.source === 'table' ? 'report rows' : s.source === 'pattern' ? 'your pattern' : 'lines of this shape';
  setHeading(entry.box, s.title, `${kind} · ${s.x.length} samples`);
  drawPicker(entry.box, s);
}

/** The field picker: a checkbox per field; the pick is remembered per series. */
function drawPicker(box: HTMLElement, s: SeriesData): void {
  const fields = box.querySelector<HTMLElement>('.fields')!;
  const picked = pickedFields(s);
  const signature = `${s.fields.join('\u0000')}|${picked.join('\u0000')}`;
  if (fields.dataset.signature === signature) return;
  fields.dataset.signature = signature;
  fields.replaceChildren(
    ...s.fields.map((field) => {
      const label = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'checkbox';
      input.checked = picked.includes(field);
      input.addEventListener('change', () => {
        const now = new Set(pickedFields(s));
        if (input.checked) now.add(field);
        else now.delete(field);
        state.picked[s.key] = s.fields.filter((f) => now.has(f));
        vscode.setState(state);
        const entry = drawn.get(s.key);
        if (entry) drawSeries(entry.data as SeriesData, -1);
      });
      label.append(input, document.createTextNode(field));
      return label;
    }),
  );
}

/** Puts a box at its place among its section's children (order -1: leaves it where it is). */
function placeAt(parent: HTMLElement, box: HTMLElement, order: number): void {
  if (order < 0 && box.parentElement === parent) return;
  const at = parent.children[order];
  if (at === box) return;
  parent.insertBefore(box, at ?? null);
}

function render(snapshot: OutputSnapshot, status: string): void {
  document.getElementById('status')!.textContent = status;
  const keep = new Set<string>();
  snapshot.histograms.forEach((h, i) => {
    keep.add(h.key);
    drawHistogram(h, i);
  });
  snapshot.series.forEach((s, i) => {
    keep.add(s.key);
    drawSeries(s, i);
  });
  for (const [key, entry] of drawn) {
    if (keep.has(key)) continue;
    entry.chart.destroy();
    entry.box.remove();
    drawn.delete(key);
  }
  document.getElementById('empty')!.hidden = drawn.size > 0;
}

function exportCsv(key: string): void {
  const entry = drawn.get(key);
  if (!entry) return;
  const data = entry.data;
  const csv = 'counts' in data ? histogramCsv(data) : seriesCsv(data);
  vscode.postMessage({ type: 'saveCsv', name: fileStem(data.title), csv });
}

function exportPng(key: string): void {
  const entry = drawn.get(key);
  if (!entry) return;
  vscode.postMessage({ type: 'savePng', name: fileStem(entry.data.title), dataUrl: entry.chart.toBase64Image('image/png', 1) });
}

/** The theme changed (VS Code swaps the body's classes and variables): colour every chart again. */
function applyTheme(): void {
  theme = readTheme();
  for (const entry of drawn.values()) {
    const isHistogram = 'counts' in entry.data;
    const { options } = entry.chart;
    const fresh = isHistogram
      ? chartOptions((entry.data as HistogramData).kind === 'log' ? 'value (log₂ buckets)' : 'value', 'count', false)
      : chartOptions((entry.data as SeriesData).source === 'table' ? 'report' : 'sample', '', true);
    Object.assign(options, fresh);
    if (isHistogram) {
      const dataset = entry.chart.data.datasets[0];
      dataset.backgroundColor = theme.palette[0];
      dataset.borderColor = theme.palette[0];
    } else {
      entry.chart.data.datasets = seriesDatasets(entry.data as SeriesData);
    }
    entry.chart.update();
  }
}

const themeWatcher = new MutationObserver(() => applyTheme());
themeWatcher.observe(document.body, { attributes: true, attributeFilter: ['class', 'data-vscode-theme-id'] });
themeWatcher.observe(document.documentElement, { attributes: true, attributeFilter: ['style'] });

document.getElementById('pattern-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  const input = document.getElementById('pattern') as HTMLInputElement;
  vscode.postMessage({ type: 'pattern', source: input.value });
});

window.addEventListener('message', (event: MessageEvent<ToView>) => {
  const message = event.data;
  try {
    if (message?.type === 'snapshot') render(message.snapshot, message.status);
    else if (message?.type === 'pattern') {
      (document.getElementById('pattern') as HTMLInputElement).value = message.source;
      document.getElementById('pattern-error')!.textContent = message.error ?? '';
    }
  } catch (e) {
    document.getElementById('status')!.textContent = `Cannot draw this output: ${(e as Error).message}`;
  }
});

vscode.postMessage({ type: 'ready' });
