// Checks files for stap-check and turns the findings into plain, serializable
// reports (so worker threads can send them back).

import * as fs from 'fs';
import { analyze, AnalysisOptions } from '../analysis/analyze';
import { Severity } from '../analysis/diagnostic';
import { buildTapsetIndex } from '../analysis/tapsetIndex';
import { findTapsetDir, loadLibraryMacros } from '../analysis/tapsetLibrary';
import { machineTarget, tapsetArchDir } from '../analysis/target';
import { loadCParser } from '../embedded/cParser';
import { LineIndex, Position } from '../syntax/lineIndex';
import { CliOptions } from './args';

export interface FileDiagnostic {
  range: { start: Position; end: Position };
  severity: Severity;
  code: string;
  message: string;
}

export interface FileReport {
  file: string;
  /** Set when the file could not be read; then there are no diagnostics. */
  readError?: string;
  diagnostics: FileDiagnostic[];
}

/** What the analysis needs, built from the command line (once per thread). */
export async function analysisOptionsFor(options: CliOptions, warn: (message: string) => void): Promise<AnalysisOptions> {
  const target = machineTarget({ kernelRelease: options.kernelRelease, arch: options.arch, guru: options.guru });
  const tapsetDir = findTapsetDir(options.tapsetDir);
  const analysisOptions: AnalysisOptions = {
    isLibrary: options.library,
    guru: options.guru,
    syntaxOnly: options.syntaxOnly,
    target,
    libraryMacros: loadLibraryMacros(tapsetDir, tapsetArchDir(target.arch)),
  };
  if (!options.syntaxOnly && !options.library) {
    // Calls are checked against the library's functions (and those of -I folders), when there is a library.
    const index = await buildTapsetIndex(tapsetDir, tapsetArchDir(target.arch), target, analysisOptions.libraryMacros!, options.includePaths);
    if (index.functions.size > 0) analysisOptions.libraryFunctions = new Set(index.functions.keys());
  }
  if (!options.syntaxOnly) {
    try {
      analysisOptions.cParser = await loadCParser();
    } catch (e) {
      warn(`embedded C checks disabled: ${(e as Error).message}`);
    }
  }
  return analysisOptions;
}

export function checkFile(file: string, options: AnalysisOptions): FileReport {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    return { file, readError: err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message, diagnostics: [] };
  }
  const findings = analyze(text, options).findings;
  if (findings.length === 0) return { file, diagnostics: [] };
  const lines = new LineIndex(text);
  const diagnostics = findings.map((f) => ({
    range: { start: lines.positionAt(f.start), end: lines.positionAt(f.end) },
    severity: f.severity,
    code: f.code,
    message: f.message,
  }));
  return { file, diagnostics };
}
