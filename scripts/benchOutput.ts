// `npm run bench:output`: how fast the output view's model reads stap output.
// The real captures in test/fixtures/output/ (histograms, periodic lines,
// tabular reports), repeated to about 20 MB, fed in 4 KB chunks as a run's
// output arrives; then the snapshot the view is sent a few times a second.
// Figures only: nothing here passes or fails.

import * as fs from 'fs';
import * as path from 'path';
import { OutputModel } from '../client/src/output/outputModel';

const fixtures = path.join(__dirname, '..', '..', 'test', 'fixtures', 'output');
const captures = fs
  .readdirSync(fixtures)
  .sort()
  .map((f) => fs.readFileSync(path.join(fixtures, f), 'utf8'))
  .join('\n');
const text = captures.repeat(Math.ceil((20 * 1024 * 1024) / captures.length));
const CHUNK = 4096;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

const reads: number[] = [];
const snapshots: number[] = [];
let model = new OutputModel();
for (let round = 0; round < 5; round++) {
  model = new OutputModel();
  const start = process.hrtime.bigint();
  for (let i = 0; i < text.length; i += CHUNK) model.write(text.slice(i, i + CHUNK));
  model.end();
  reads.push(Number(process.hrtime.bigint() - start) / 1e6);
  const s = process.hrtime.bigint();
  model.snapshot();
  snapshots.push(Number(process.hrtime.bigint() - s) / 1e6);
}
const mb = text.length / (1024 * 1024);
const snapshot = model.snapshot();
console.log(`output model: ${mb.toFixed(1)} MB in ${CHUNK}-byte chunks, median of 5: ${median(reads).toFixed(0)} ms, ${(mb / (median(reads) / 1000)).toFixed(1)} MB/s`);
console.log(
  `snapshot (${snapshot.histograms.length} histograms, ${snapshot.series.length} series): median ${median(snapshots).toFixed(2)} ms; ${(JSON.stringify(snapshot).length / 1024).toFixed(0)} KB as a message`,
);
