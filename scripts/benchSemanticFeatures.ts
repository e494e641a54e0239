// `npm run bench:features`: what the features on top of the inferred types
// cost the editor. On a 5,000-line script: inlay hints and semantic tokens,
// the whole file as a new version's first request and one screen as a later
// request on the same version, which the features cache (p50/p95 over
// BENCH_RUNS requests). Workspace symbols over the installed tapset library
// taken as a folder of scripts: the first index (cold) and a query once it is
// built. Figures only: nothing here passes or fails.

import { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze } from '../server/src/analysis/analyze';
import { findTapsetDir } from '../server/src/analysis/tapsetLibrary';
import { inlayHints } from '../server/src/features/inlayHints';
import { semanticTokens } from '../server/src/features/semanticTokens';
import { WorkspaceSymbolIndex } from '../server/src/features/workspaceSymbols';
import { percentile, semanticBenchScript } from './semanticScript';

const RUNS = Number(process.env.BENCH_RUNS ?? 41);

function time(run: () => unknown): number[] {
  const xs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    run();
    xs.push(performance.now() - t0);
  }
  return xs;
}

const row = (name: string, xs: number[], extra = '') =>
  console.log(`${name.padEnd(40)} p50 ${percentile(xs, 0.5).toFixed(2).padStart(7)} ms   p95 ${percentile(xs, 0.95).toFixed(2).padStart(7)} ms${extra}`);

async function main(): Promise<void> {
  const text = semanticBenchScript(5000, { foreach: false });
  const document = TextDocument.create('file:///bench.stp', 'systemtap', 1, text);
  const analysis = analyze(text, {});
  const screen = { start: { line: 2500, character: 0 }, end: { line: 2560, character: 0 } };
  const screenOffsets = { start: document.offsetAt(screen.start), end: document.offsetAt(screen.end) };
  console.log(`5,000-line script (${text.split('\n').length - 1} lines), ${RUNS} requests each, on one analysis:`);
  // A copy of the analysis is a new version to the features' caches: the first request's cost.
  const fresh = () => ({ ...analysis });
  row(
    'inlay hints, whole file (first request)',
    time(() => inlayHints(fresh(), document)),
    `   (${inlayHints(analysis, document).length} hints)`,
  );
  row(
    'inlay hints, 60 lines (same version)',
    time(() => inlayHints(analysis, document, screen)),
  );
  row(
    'semantic tokens, whole file (first)',
    time(() => semanticTokens(fresh(), document)),
    `   (${semanticTokens(analysis, document).data.length / 5} tokens)`,
  );
  row(
    'semantic tokens, 60 lines (same version)',
    time(() => semanticTokens(analysis, document, screenOffsets)),
  );

  const library = findTapsetDir();
  if (!library) {
    console.log('workspace symbols: no installed tapset library to index');
    return;
  }
  const index = new WorkspaceSymbolIndex();
  index.setRoots([library]);
  const t0 = performance.now();
  const all = await index.query('');
  const cold = performance.now() - t0;
  console.log(`workspace symbols over ${library} as a folder of scripts: first query (index built) ${cold.toFixed(0)} ms, ${all.length} symbols answered (cap)`);
  const queries: number[] = [];
  for (let i = 0; i < 11; i++) {
    const t = performance.now();
    await index.query('tskpid');
    queries.push(performance.now() - t);
  }
  row('workspace symbols, query once indexed', queries);
}

void main();
