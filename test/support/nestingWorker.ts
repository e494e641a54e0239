// A worker thread that analyses scripts, and runs every feature on them, with
// part of its (deliberately small) stack already in use: how a language-server
// request meets a deeply nested script. Started by test/server/deepNesting.test.ts.
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { analyze } from '../../server/src/analysis/analyze';
import { loadCParser } from '../../server/src/embedded/cParser';
import { everyFeature } from './everyFeature';

export interface NestingJob {
  nestingWorker: true;
  /** Frames of recursion to sit under, as a request handler sits under the server's own calls. */
  frames: number;
  scripts: { name: string; text: string }[];
}

/** What the worker reports: the scripts that threw, with what. */
export type NestingResult = { name: string; error: string }[];

function under(frames: number, f: () => void): void {
  if (frames === 0) f();
  else under(frames - 1, f);
}

async function main(job: NestingJob): Promise<NestingResult> {
  const cParser = await loadCParser();
  const failures: NestingResult = [];
  for (const { name, text } of job.scripts) {
    try {
      under(job.frames, () => everyFeature(analyze(text, { cParser, guru: true }), [0, text.length >> 1, text.length]));
    } catch (e) {
      failures.push({ name, error: String((e as Error).stack ?? e).slice(0, 500) });
    }
  }
  return failures;
}

if (!isMainThread && (workerData as NestingJob | undefined)?.nestingWorker) {
  main(workerData as NestingJob).then(
    (failures) => parentPort!.postMessage(failures),
    (e) => parentPort!.postMessage([{ name: '(worker)', error: String(e) }]),
  );
}
