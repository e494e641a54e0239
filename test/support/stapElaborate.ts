// The real `stap -p2` (elaboration) as the oracle for pass-2 errors, on the
// fake kernel tree of stapOracle.ts: enough for probes that need no
// debuginfo (begin, end, never, timer, procfs) and the tapset functions.
import { execFile } from 'child_process';
import * as path from 'path';
import { fakeKernelTree } from './stapOracle';

export interface ElaborationVerdict {
  ok: boolean;
  /** Where each "semantic error" of the file itself is located, in stap's order (1-based). */
  errors: { line: number; column: number; message: string }[];
  stderr: string;
}

/** `stapOptions`: more options for stap, before the script (`-G x=5`); `args`: the script's arguments, after it. */
export function stapElaborate(stap: string, file: string, options: { guru?: boolean; args?: string[]; stapOptions?: string[] } = {}): Promise<ElaborationVerdict> {
  const argv = ['-r', fakeKernelTree(), '-p2', ...(options.guru ? ['-g'] : []), ...(options.stapOptions ?? []), file, ...(options.args ?? [])];
  return new Promise((resolve) => {
    execFile(stap, argv, { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 << 20, env: { ...process.env, LANG: 'C', LC_ALL: 'C', DEBUGINFOD_URLS: '' } }, (error, _stdout, stderr) => {
      resolve({ ok: !error, errors: semanticErrors(file, stderr ?? ''), stderr: stderr ?? '' });
    });
  });
}

/** Two stap processes at a time, in the jobs' order. */
export async function stapElaborateAll(stap: string, jobs: { file: string; guru?: boolean; args?: string[]; stapOptions?: string[] }[]): Promise<ElaborationVerdict[]> {
  const verdicts: ElaborationVerdict[] = [];
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < jobs.length; i = next++) verdicts[i] = await stapElaborate(stap, jobs[i].file, jobs[i]);
  };
  await Promise.all([worker(), worker()]);
  return verdicts;
}

/**
 * The primary locations. stap leaves the file out (`at :3:3`) when it is the
 * one it named last, so the related ones ("... first inferred here") are told
 * apart by their words; those of other files (the library) are left out.
 */
export function semanticErrors(file: string, stderr: string): ElaborationVerdict['errors'] {
  const base = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const errors: ElaborationVerdict['errors'] = [];
  for (const line of stderr.split('\n')) {
    if (!/^semantic error: /.test(line)) continue;
    const at = new RegExp(`^semantic error: (.*) at (?:(?:.*/)?${base})?:(\\d+):(\\d+)\\s*$`).exec(line);
    if (at && !/first inferred here/.test(at[1])) errors.push({ message: at[1], line: Number(at[2]), column: Number(at[3]) });
  }
  return errors;
}
