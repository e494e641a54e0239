// stap-check --compile and --environment: the compile check (pass 4) and the
// environment doctor from the command line, for CI pipelines.

import * as os from 'os';
import * as path from 'path';
import { compileCheck, CompileResult } from '../environment/doctor/compileCheck';
import { blockingFindings } from '../environment/doctor/findings';
import { defaultCacheDir, machineHost } from '../environment/doctor/host';
import { probeEnvironment, resolveTarget } from '../environment/doctor/probes';
import { reportText } from '../environment/doctor/report';
import { RuntimeCache } from '../environment/doctor/runtimeTest';
import { CliOptions } from './args';
import type { FileReport } from './checkFiles';

// stap-check never takes an executable from anywhere but PATH.
const STAP = 'stap';

/** The build tree to compile against: --kernel-build, else the target kernel's. */
export function buildTreeFor(options: Pick<CliOptions, 'kernelBuild' | 'kernelRelease'>): string {
  return options.kernelBuild ?? resolveTarget(options.kernelRelease ?? '', { root: '/', thisRelease: os.release() }).buildDir;
}

/** The compile check's findings in the script as a report like the other checks'. */
export function compileReport(file: string, result: CompileResult): FileReport {
  return {
    file,
    diagnostics: result.diagnostics.map((d) => ({
      range: { start: d.start, end: d.end },
      severity: d.severity,
      code: 'gcc',
      message: d.message,
      ...(d.notes.length ? { related: d.notes.map((n) => ({ range: { start: n.start, end: n.end }, message: n.message })) } : {}),
    })),
  };
}

export interface CompileRun {
  reports: FileReport[];
  /** What the machine, not the scripts, got wrong: each line once. */
  environment: string[];
  /** Files stap could not check for a reason of its own (it is missing, a script error before pass 4). */
  failed: string[];
}

export async function compileFiles(options: CliOptions): Promise<CompileRun> {
  const buildDir = buildTreeFor(options);
  const run: CompileRun = { reports: [], environment: [], failed: [] };
  const environment = new Set<string>();
  for (const file of options.files) {
    const result = await compileCheck({ stapPath: STAP, script: path.resolve(file), buildDir, includePaths: options.includePaths, scriptArgs: options.scriptArgs });
    if (result.spawnError) {
      environment.add(`"${STAP}" could not be run (${result.spawnError.code ?? result.spawnError.message}): install systemtap`);
      run.failed.push(file);
      continue;
    }
    if (result.timedOut) run.failed.push(`${file}: stap -p4 did not finish in time`);
    if (result.failure) environment.add(`${result.failure.cause}\n  fix: ${result.failure.fix}`);
    for (const e of result.scriptErrors) run.failed.push(`${file}: ${e}`);
    for (const d of result.environment.filter((d) => d.severity === 'error')) {
      // The generated file is gone by now: its name would lead nowhere.
      environment.add(
        d.generated ? `not in the script: in stap's generated C (a tapset's embedded C, or stap's translation): ${d.message}` : `not in the script: ${d.file}:${d.line}:${d.column}: ${d.message}`,
      );
    }
    run.reports.push(compileReport(file, result));
  }
  if (run.reports.length && [...environment].some((e) => e.startsWith('not in the script: /'))) {
    environment.add(`stap's runtime (or a tapset) does not compile against ${buildDir}: a machine problem, not the script's; see stap-check --environment`);
  }
  run.environment = [...environment];
  return run;
}

/** The doctor's report, as text; the status is 3 when a run would fail. */
export async function environmentReport(options: CliOptions): Promise<{ text: string; blocking: boolean }> {
  const report = await probeEnvironment({ kernelRelease: options.kernelRelease ?? '', sudo: 'auto', stapPath: STAP }, machineHost(STAP, new RuntimeCache(defaultCacheDir())));
  return { text: reportText(report), blocking: blockingFindings(report).length > 0 };
}
