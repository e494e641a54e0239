// Reads a script's `#!` line: does it run stap, and does it ask for guru mode?
// `#!/usr/bin/stap -g`, `#!/usr/bin/env -S stap -vg`, `#! stap -gp1`.

import { OffsetRange } from '../syntax/diagnostic';
import { globalOptionNames } from './globalOptions';

export interface Shebang extends OffsetRange {
  runsStap: boolean;
  guru: boolean;
  /** The globals the line gives a value (`-G NAME=VALUE`), by name. */
  globalValues: string[];
}

// stap's short options that take an argument: in `-gp1`, `p` swallows `1`.
export const OPTIONS_WITH_ARGUMENT: ReadonlySet<string> = new Set('IDpsocxeErRamBSdTG'.split(''));

export function readShebang(text: string): Shebang | undefined {
  if (!text.startsWith('#!')) return undefined;
  const end = text.indexOf('\n');
  const line = text.slice(2, end < 0 ? text.length : end);
  const words = splitWords(line);
  let i = 0;
  if (words[i] && /(^|\/)env$/.test(words[i])) {
    i++;
    while (words[i]?.startsWith('-')) i++; // env -S, env -i ...
  }
  const runsStap = !!words[i] && /(^|\/)stap$/.test(words[i]);
  let guru = false;
  if (runsStap) {
    for (const w of words.slice(i + 1)) {
      if (w === '--') break;
      if (w.startsWith('--') || !w.startsWith('-')) continue;
      for (const c of w.slice(1)) {
        if (c === 'g') guru = true;
        if (OPTIONS_WITH_ARGUMENT.has(c)) break;
      }
    }
  }
  const globalValues = runsStap ? globalOptionNames(words.slice(i + 1), OPTIONS_WITH_ARGUMENT) : [];
  return { start: 0, end: end < 0 ? text.length : end, runsStap, guru, globalValues };
}

/** Splits like `env -S` does: whitespace separates, quotes group. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}

/**
 * The `#!` line asking for guru mode, other flags kept: `-v` becomes `-vg`,
 * and `#!/usr/bin/env stap` becomes `env -S stap -g` (without -S, Linux hands
 * env "stap -g" as one program name).
 */
export function withGuruFlag(line: string): string {
  const m = /^#!(\s*)(\S+)(.*)$/.exec(line);
  if (!m) return line;
  const [, space, interpreter, rest] = m;
  let words = rest.trim() === '' ? [] : rest.trim().split(/\s+/);
  const isEnv = /(^|\/)env$/.test(interpreter);
  if (isEnv && !words.some((w) => w === '-S' || w.startsWith('-S'))) words = ['-S', ...words];
  const stapAt = isEnv ? words.findIndex((w) => /(^|\/)stap$/.test(w)) : -1;
  const options = isEnv ? words.slice(stapAt + 1) : words;
  // Add g to the first cluster of flags that take no argument, else a new -g.
  const cluster = options.findIndex((w) => /^-[A-Za-z]+$/.test(w) && ![...w.slice(1)].some((c) => OPTIONS_WITH_ARGUMENT.has(c)));
  if (cluster >= 0) options[cluster] += 'g';
  else options.push('-g');
  const rebuilt = isEnv ? [...words.slice(0, stapAt + 1), ...options] : options;
  return `#!${space}${interpreter} ${rebuilt.join(' ')}`;
}
