#!/usr/bin/env node
// stap-check: the language server's diagnostics on the command line.

import { checkFolders, CliOptions, parseArgs, USAGE, UsageError } from './cli/args';
import { analysisOptionsPerScript, checkFiles, FileReport } from './cli/checkFiles';
import { compileFiles, environmentReport } from './cli/compileFiles';
import { escapeControl, textReport } from './cli/output';

const warn = (message: string) => process.stderr.write(`stap-check: ${escapeControl(message)}\n`);

// The reader of our output went away (`stap-check ... | head -1`): nothing
// more to say, and no one to say it to.
function onOutputError(e: NodeJS.ErrnoException): void {
  if (e.code !== 'EPIPE') {
    try {
      process.stderr.write(`stap-check: cannot write the output: ${e.message}\n`);
    } catch {
      // stderr is gone too
    }
    process.exitCode = 2;
  }
  process.exit();
}
process.stdout.on('error', onOutputError);
process.stderr.on('error', onOutputError);

function print(reports: FileReport[], format: CliOptions['format']): void {
  if (format === 'json') {
    const json = reports.filter((r) => !r.readError && !r.internalError).map(({ file, diagnostics }) => ({ file, diagnostics }));
    process.stdout.write(JSON.stringify(json, null, 2) + '\n');
    return;
  }
  process.stdout.write(textReport(reports));
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
    checkFolders(parsed);
    options = parsed;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    process.stderr.write(`stap-check: ${escapeControl(e.message)}\n${USAGE}\n`);
    return 2;
  }

  if (options.environment) {
    const { text, blocking } = await environmentReport(options);
    process.stdout.write(text);
    return blocking ? 3 : 0;
  }
  if (options.compile) {
    const run = await compileFiles(options);
    for (const line of run.environment) warn(`environment: ${line}`);
    for (const line of run.failed) warn(`not compiled: ${line}`);
    const errors = run.reports.some((r) => r.diagnostics.some((d) => d.severity === 'error'));
    const code = errors ? 1 : run.failed.length > 0 ? 2 : run.environment.length > 0 ? 3 : 0;
    process.exitCode = code;
    print(run.reports, options.format);
    return code;
  }

  // One thread: worker threads were tried and lost, each paying the JIT's
  // warm-up again, which is most of the cost of a run over the tapset library.
  const reports = await checkFiles(options.files, await analysisOptionsPerScript(options, warn));
  for (const r of reports) {
    if (r.readError) warn(`cannot read ${r.file}: ${r.readError}`);
    if (r.internalError) process.stderr.write(`${escapeControl(r.file)}: internal error: ${escapeControl(r.internalError)}\n`);
  }
  // The status is known before the output is written, should its reader go away.
  const code = reports.some((r) => r.readError || r.internalError) ? 2 : reports.some((r) => r.diagnostics.some((d) => d.severity === 'error')) ? 1 : 0;
  process.exitCode = code;
  print(reports, options.format);
  return code;
}

declare const VERSION: string; // injected by the bundler

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(
      `stap-check: internal error: ${String((e as Error).stack ?? e)
        .split('\n')
        .map(escapeControl)
        .join('\n')}\n`,
    );
    process.exitCode = 2;
  },
);
