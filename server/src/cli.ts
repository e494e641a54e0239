#!/usr/bin/env node
// stap-check: the language server's diagnostics on the command line.

import * as fs from 'fs';
import { analyze, AnalysisOptions } from './analysis/analyze';
import { Finding } from './analysis/diagnostic';
import { findTapsetDir, loadLibraryMacros } from './analysis/tapsetLibrary';
import { machineTarget, tapsetArchDir } from './analysis/target';
import { loadCParser } from './embedded/cParser';
import { LineIndex, Position } from './syntax/lineIndex';

const USAGE = `usage: stap-check [--format text|json] [-g|--guru] [--syntax-only] [--library]
                  [--kernel-release R] [--arch A] [--tapset-dir DIR] FILE...

Checks SystemTap scripts without compiling them.
  --format text|json   text: FILE:LINE:COL: SEVERITY: MESSAGE [CODE] (default)
  -g, --guru           declare guru mode, as 'stap -g' does
  --syntax-only        report only what 'stap -p1' reports (parse errors)
  --library            check files as tapset library code
  --kernel-release R   kernel release that %( kernel_v ... %) tests (default: this machine)
  --arch A             architecture that %( arch ... %) tests (default: this machine)
  --tapset-dir DIR     tapset library whose .stpm macros scripts may use
Exit status: 0 no errors, 1 errors found, 2 usage or I/O error.`;

interface CliOptions {
  format: 'text' | 'json';
  guru: boolean;
  syntaxOnly: boolean;
  library: boolean;
  kernelRelease?: string;
  arch?: string;
  tapsetDir?: string;
  files: string[];
}

class UsageError extends Error {}

function parseArgs(argv: string[]): CliOptions | 'help' | 'version' {
  const o: CliOptions = { format: 'text', guru: false, syntaxOnly: false, library: false, files: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new UsageError(`${a} needs a value`);
      return v;
    };
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const arg = () => inline ?? value();
    switch (flag) {
      case '-h':
      case '--help':
        return 'help';
      case '--version':
        return 'version';
      case '-g':
      case '--guru':
        o.guru = true;
        break;
      case '--syntax-only':
        o.syntaxOnly = true;
        break;
      case '--library':
        o.library = true;
        break;
      case '--format': {
        const f = arg();
        if (f !== 'text' && f !== 'json') throw new UsageError(`unknown format '${f}' (use text or json)`);
        o.format = f;
        break;
      }
      case '--kernel-release':
        o.kernelRelease = arg();
        break;
      case '--arch':
        o.arch = arg();
        break;
      case '--tapset-dir':
        o.tapsetDir = arg();
        break;
      case '--':
        o.files.push(...argv.slice(i + 1));
        i = argv.length;
        break;
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option '${a}'`);
        o.files.push(a);
    }
  }
  if (o.files.length === 0) throw new UsageError('no input files');
  return o;
}

const TEXT_SEVERITY: Record<Finding['severity'], string> = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' };

async function main(argv: string[]): Promise<number> {
  let options: CliOptions;
  try {
    const parsed = parseArgs(argv);
    if (parsed === 'help') {
      process.stdout.write(USAGE + '\n');
      return 0;
    }
    if (parsed === 'version') {
      process.stdout.write(`stap-check ${typeof VERSION === 'string' ? VERSION : 'dev'}\n`);
      return 0;
    }
    options = parsed;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`stap-check: ${e.message}\n${USAGE}\n`);
    return 2;
  }

  const target = machineTarget({ kernelRelease: options.kernelRelease, arch: options.arch, guru: options.guru });
  const analysisOptions: AnalysisOptions = {
    isLibrary: options.library,
    guru: options.guru,
    syntaxOnly: options.syntaxOnly,
    target,
    libraryMacros: loadLibraryMacros(findTapsetDir(options.tapsetDir), tapsetArchDir(target.arch)),
  };
  if (!options.syntaxOnly) {
    try {
      analysisOptions.cParser = await loadCParser();
    } catch (e) {
      process.stderr.write(`stap-check: embedded C checks disabled: ${(e as Error).message}\n`);
    }
  }

  let status = 0;
  const report: { file: string; diagnostics: object[] }[] = [];
  for (const file of options.files) {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      const err = e as NodeJS.ErrnoException;
      process.stderr.write(`stap-check: cannot read ${file}: ${err.code === 'ENOENT' ? 'no such file' : err.code === 'EISDIR' ? 'is a directory' : err.message}\n`);
      status = 2;
      continue;
    }
    const { findings } = analyze(text, analysisOptions);
    const lines = new LineIndex(text);
    if (findings.some((f) => f.severity === 'error') && status === 0) status = 1;
    if (options.format === 'text') {
      for (const f of findings) {
        const p = lines.positionAt(f.start);
        process.stdout.write(`${file}:${p.line + 1}:${p.character + 1}: ${TEXT_SEVERITY[f.severity]}: ${f.message} [${f.code}]\n`);
      }
    } else {
      const range = (f: Finding): { start: Position; end: Position } => ({ start: lines.positionAt(f.start), end: lines.positionAt(f.end) });
      report.push({ file, diagnostics: findings.map((f) => ({ range: range(f), severity: f.severity, code: f.code, message: f.message })) });
    }
  }
  if (options.format === 'json') process.stdout.write(JSON.stringify(report, null, 2) + '\n');
  return status;
}

declare const VERSION: string; // injected by the bundler

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`stap-check: internal error: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  },
);
