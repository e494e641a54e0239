#!/usr/bin/env node
// stap-check: the language server's diagnostics on the command line.

import { CliOptions, parseArgs, USAGE, UsageError } from './cli/args';
import { analysisOptionsFor, checkFile, FileReport } from './cli/checkFiles';

const TEXT_SEVERITY = { error: 'error', warning: 'warning', information: 'info', hint: 'hint' } as const;

const warn = (message: string) => process.stderr.write(`stap-check: ${message}\n`);

// One thread: worker threads were tried and lost, each paying the JIT's
// warm-up again, which is most of the cost of a run over the tapset library.
async function check(options: CliOptions): Promise<FileReport[]> {
  const analysisOptions = await analysisOptionsFor(options, warn);
  return options.files.map((f) => checkFile(f, analysisOptions));
}

function print(reports: FileReport[], format: CliOptions['format']): void {
  if (format === 'json') {
    const json = reports.filter((r) => !r.readError).map(({ file, diagnostics }) => ({ file, diagnostics }));
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return;
  }
  const out: string[] = [];
  for (const r of reports) {
    for (const d of r.diagnostics) {
      out.push(`${r.file}:${d.range.start.line + 1}:${d.range.start.character + 1}: ${TEXT_SEVERITY[d.severity]}: ${d.message} [${d.code}]\n`);
    }
  }
  process.stdout.write(out.join(''));
}

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

  const reports = await check(options);
  for (const r of reports) if (r.readError) warn(`cannot read ${r.file}: ${r.readError}`);
  print(reports, options.format);
  if (reports.some((r) => r.readError)) return 2;
  return reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
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
