#!/usr/bin/env node
// stap-fmt: the language server's formatter on the command line, for CI and pre-commit hooks.

import * as fs from 'fs';
import { FMT_USAGE, FmtOptions, FmtUsageError, parseFmtArgs } from './format/cliArgs';
import { formatText } from './format/layout';

const say = (message: string) => process.stderr.write(`stap-fmt: ${message}\n`);

function main(argv: string[]): number {
  let options: FmtOptions;
  try {
    const parsed = parseFmtArgs(argv);
    if (parsed === 'help') {
      process.stdout.write(FMT_USAGE + '\n');
      return 0;
    }
    options = parsed;
  } catch (e) {
    if (!(e instanceof FmtUsageError)) throw e;
    say(e.message);
    process.stderr.write(FMT_USAGE + '\n');
    return 2;
  }
  let status = 0;
  for (const file of options.files) {
    let text: string;
    try {
      text = file === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(file, 'utf8');
    } catch (e) {
      say(`cannot read ${file}: ${(e as Error).message}`);
      status = 2;
      continue;
    }
    const result = formatText(text, options.format);
    if (result.refused) {
      say(`${file}: left as it is (${result.refused})`);
      status = 2;
    }
    if (options.check) {
      if (result.text !== text) {
        process.stdout.write(`${file}\n`);
        status = Math.max(status, 1);
      }
    } else if (options.write) {
      if (result.text !== text && file !== '-') {
        try {
          fs.writeFileSync(file, result.text);
        } catch (e) {
          say(`cannot write ${file}: ${(e as Error).message}`);
          status = 2;
        }
      } else if (file === '-') process.stdout.write(result.text);
    } else {
      process.stdout.write(result.text);
    }
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));
