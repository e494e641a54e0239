// Reads a script's `#!` line: does it run stap, and does it ask for guru mode?
// `#!/usr/bin/stap -g`, `#!/usr/bin/env -S stap -vg`, `#! stap -gp1`.

import { OffsetRange } from '../syntax/diagnostic';

export interface Shebang extends OffsetRange {
  runsStap: boolean;
  guru: boolean;
}

// stap's short options that take an argument: in `-gp1`, `p` swallows `1`.
const OPTIONS_WITH_ARGUMENT = new Set('IDpsocxeErRamBSdT'.split(''));

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
  return { start: 0, end: end < 0 ? text.length : end, runsStap, guru };
}

/** Splits like `env -S` does: whitespace separates, quotes group. */
function splitWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]);
  return words;
}
