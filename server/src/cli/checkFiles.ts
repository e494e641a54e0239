// Checks files for stap-check and turns the findings into plain, serializable
// reports.

import * as fs from 'fs';
import * as path from 'path';
import { analyze, AnalysisOptions } from '../analysis/analyze';
import { Severity } from '../analysis/diagnostic';
import { clip, readOpenFileSync, reportOnce, SkippedFile } from '../analysis/tapsetLibrary';
import { Environment } from '../environment/environment';
import { LineIndex, Position } from '../syntax/lineIndex';
import { CliOptions } from './args';
import { needsKernelData } from './kernelNeed';

export interface FileDiagnostic {
  range: { start: Position; end: Position };
  severity: Severity;
  code: string;
  message: string;
  /** Other places the finding concerns (the LSP's related information), each with what it is. */
  related?: { range: { start: Position; end: Position }; message: string }[];
}

export interface FileReport {
  /** As named on the command line; the standard input is STDIN_NAME. */
  file: string;
  /** Set when the file could not be read; then there are no diagnostics. */
  readError?: string;
  /** Set when checking the file failed (a bug); then there are no diagnostics. */
  internalError?: string;
  diagnostics: FileDiagnostic[];
}

/** How the standard input (FILE '-') is named in reports. */
export const STDIN_NAME = '<stdin>';

/**
 * Scripts larger than this are not read: `stap-check /dev/zero` must not eat
 * the memory. Far above any script written by hand (the largest tapset file
 * is 148 KB).
 */
export const MAX_SCRIPT_BYTES = 16 * 1024 * 1024;

/**
 * What the analysis needs, from the command line: the environment the
 * language server builds from its settings, loaded in full.
 */
export async function analysisOptionsFor(options: CliOptions, warn: (message: string) => void): Promise<AnalysisOptions> {
  const environment = environmentFor(options, warn, true);
  await environment.load();
  return environment.analysisOptions(undefined, scriptOptions(options));
}

/**
 * The same, for each script: the kernel's type data (most of a short run's
 * CPU) is loaded only once a script has something it is checked against.
 */
export async function analysisOptionsPerScript(options: CliOptions, warn: (message: string) => void): Promise<(text: string) => Promise<AnalysisOptions>> {
  const environment = environmentFor(options, warn, 'onRequest');
  await environment.load();
  const wanted = !options.syntaxOnly && !options.library;
  return async (text) => {
    if (wanted && needsKernelData(text)) await environment.loadKernelNow();
    return environment.analysisOptions(undefined, scriptOptions(options));
  };
}

const scriptOptions = (options: CliOptions) => ({ isLibrary: options.library, guru: options.guru, syntaxOnly: options.syntaxOnly, scriptArgs: options.scriptArgs, globalValues: options.globalValues });

function environmentFor(options: CliOptions, warn: (message: string) => void, kernel: true | 'onRequest'): Environment {
  return new Environment(
    {
      kernelRelease: options.kernelRelease,
      arch: options.arch,
      includePaths: options.includePaths,
      tapsetDir: options.tapsetDir,
      guru: options.guru,
      kernelTypes: options.kernelTypes === undefined || options.kernelTypes === 'none' ? options.kernelTypes : path.resolve(options.kernelTypes),
    },
    {
      // Calls are checked against the library's functions (and those of -I folders), when there is a library.
      index: !options.syntaxOnly && !options.library,
      cParser: !options.syntaxOnly,
      // Library code is not checked against one kernel.
      kernel: !options.syntaxOnly && !options.library && kernel,
      syncIo: true,
      // A library file that cannot be used is left out, with a warning.
      report: reportOnce((file, reason) => warn(`skipped ${file}: ${reason}`)),
      log: (level, message) => level !== 'info' && warn(message),
    },
  );
}

/** Reads all of the standard input, up to maxBytes. */
async function readStdin(maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    total += chunk.length;
    if (total > maxBytes) {
      process.stdin.destroy();
      throw new SkippedFile(`larger than ${maxBytes / (1024 * 1024)} MiB`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * A script named on the command line ('-': the standard input). Unlike
 * library files, pipes are fine here (`stap-check <(gen-script)`); the size
 * is capped all the same.
 */
export async function readScript(file: string, maxBytes = MAX_SCRIPT_BYTES): Promise<string> {
  return file === '-' ? readStdin(maxBytes) : readScriptFileSync(file, maxBytes);
}

/**
 * readScript for a named file, synchronously: the command line waits for
 * nothing else, and a read through the thread pool costs a round trip per
 * call (open, stat, read, close), several times the read itself.
 */
export function readScriptFileSync(file: string, maxBytes = MAX_SCRIPT_BYTES): string {
  const fd = fs.openSync(file, 'r');
  try {
    const st = fs.fstatSync(fd);
    if (st.isDirectory()) throw new SkippedFile('is a directory');
    if (st.isFile() && st.size > maxBytes) throw new SkippedFile(`too large (${st.size} bytes, more than ${maxBytes / (1024 * 1024)} MiB)`);
    return readOpenFileSync(fd, st.isFile() ? st.size : 0, maxBytes, st.isFile());
  } finally {
    fs.closeSync(fd);
  }
}

function readErrorOf(e: unknown): string {
  if (e instanceof SkippedFile) return e.message;
  const err = e as NodeJS.ErrnoException;
  const known: Record<string, string> = {
    ENOENT: 'no such file',
    ENOTDIR: 'no such file',
    EISDIR: 'is a directory',
    EACCES: 'permission denied',
    ENAMETOOLONG: 'name too long',
    ELOOP: 'symbolic link loop',
  };
  return known[err.code ?? ''] ?? clip(err.message ?? String(e));
}

/** Checks one script's text; throws if the analysis does (a bug). */
export function checkText(file: string, text: string, options: AnalysisOptions): FileReport {
  const findings = analyze(text, options).findings;
  if (findings.length === 0) return { file, diagnostics: [] };
  const lines = new LineIndex(text);
  const rangeOf = (r: { start: number; end: number }) => ({ start: lines.positionAt(r.start), end: lines.positionAt(r.end) });
  const diagnostics = findings.map((f): FileDiagnostic => ({
    range: rangeOf(f),
    severity: f.severity,
    code: f.code,
    message: f.message,
    ...(f.related?.length ? { related: f.related.map((r) => ({ range: rangeOf(r), message: r.message })) } : {}),
  }));
  return { file, diagnostics };
}

/**
 * Checks the files one by one. A file that cannot be read, or whose check
 * fails, gets a report saying so; the others are checked all the same.
 */
export async function checkFiles(
  files: readonly string[],
  options: AnalysisOptions | ((text: string) => Promise<AnalysisOptions>),
  read: (file: string) => Promise<string> = readScript,
  check: (file: string, text: string, options: AnalysisOptions) => FileReport = checkText,
): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const file of files) {
    const name = file === '-' ? STDIN_NAME : file;
    let text: string;
    try {
      text = await read(file);
    } catch (e) {
      reports.push({ file: name, readError: readErrorOf(e), diagnostics: [] });
      continue;
    }
    try {
      const scriptOptions = typeof options === 'function' ? await options(text) : options;
      // A .stpm file holds macros only: library code, as the language server takes it.
      reports.push(check(name, text, file.endsWith('.stpm') ? { ...scriptOptions, isLibrary: true } : scriptOptions));
    } catch (e) {
      reports.push({ file: name, internalError: clip((e as Error)?.message ?? String(e)), diagnostics: [] });
    }
  }
  return reports;
}
