// stap-fmt's command line, read without side effects (tested on its own).

import { DEFAULT_FORMAT_OPTIONS, FormatOptions, isDeclarationBraces } from './options';

export const FMT_USAGE = `Usage: stap-fmt [--check] [--write] [--indent tab|N] [--tab-size N] [--declaration-braces preserve|sameLine|nextLine] [--embedded-c keep|reindent] FILE...

Formats SystemTap scripts: the tokens, comments and %{ %} code stay as written, only the
whitespace between them changes. Without --check or --write, the formatted text is printed.

  --check                exit 1 and name each file that formatting would change
  --write                rewrite the files that formatting changes
  --indent tab|N         indent with tabs (the default, as the tapsets do) or N spaces
  --tab-size N           columns of a tab, for reading the original indentation (default 8)
  --declaration-braces   where a probe's or function's { goes (default preserve)
  --embedded-c           keep %{ %} byte for byte (default) or reindent its whole lines
  -h, --help             this text

Exit status: 0 done (or nothing to change), 1 --check found files to change, 2 an error.`;

export interface FmtOptions {
  check: boolean;
  write: boolean;
  files: string[];
  format: FormatOptions;
}

export class FmtUsageError extends Error {}

export function parseFmtArgs(argv: string[]): FmtOptions | 'help' {
  const options: FmtOptions = { check: false, write: false, files: [], format: { ...DEFAULT_FORMAT_OPTIONS } };
  let indent: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const [, inline] = arg.split(/=(.*)/s);
      if (inline !== undefined) return inline;
      if (i + 1 >= argv.length) throw new FmtUsageError(`${arg} needs a value`);
      return argv[++i];
    };
    const name = arg.startsWith('--') ? arg.split('=')[0] : arg;
    if (name === '-h' || name === '--help') return 'help';
    else if (name === '--check') options.check = true;
    else if (name === '--write') options.write = true;
    else if (name === '--indent') indent = value();
    else if (name === '--tab-size') {
      const n = Number(value());
      if (!Number.isInteger(n) || n < 1 || n > 16) throw new FmtUsageError('--tab-size takes a number from 1 to 16');
      options.format.tabSize = n;
    } else if (name === '--declaration-braces') {
      const v = value();
      if (!isDeclarationBraces(v)) throw new FmtUsageError('--declaration-braces takes preserve, sameLine or nextLine');
      options.format.declarationBraces = v;
    } else if (name === '--embedded-c') {
      const v = value();
      if (v !== 'keep' && v !== 'reindent') throw new FmtUsageError('--embedded-c takes keep or reindent');
      options.format.embeddedC = v;
    } else if (name === '--') {
      options.files.push(...argv.slice(i + 1));
      break;
    } else if (arg.startsWith('-') && arg !== '-') throw new FmtUsageError(`unknown option ${arg}`);
    else options.files.push(arg);
  }
  if (indent !== undefined && indent !== 'tab') {
    const n = Number(indent);
    if (!Number.isInteger(n) || n < 1 || n > 16) throw new FmtUsageError('--indent takes tab or a number from 1 to 16');
    options.format.insertSpaces = true;
    options.format.tabSize = n;
  }
  if (options.files.length === 0) throw new FmtUsageError('no file given');
  if (options.check && options.write) throw new FmtUsageError('--check and --write do not go together');
  return options;
}
